//! Who published the figures each artefact shows: every chart and appendix table names its own
//! sources (each input's publisher as the config gives it, or its file when none is given).

use crate::model::{Dataset, same_name};

/// The publishers of the inputs at `used`, in order, each once, joined by `; `.
pub fn line(data: &Dataset, used: &[usize]) -> String {
    names(data, used).join("; ")
}

/// The publishers of the inputs at `used`, in order, each once.
pub fn names(data: &Dataset, used: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for &i in used {
        let f = &data.inputs[i];
        let name = f.publisher.clone().unwrap_or_else(|| f.path.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The publishers of the inputs that hold any of `areas`' figures.
pub fn of_areas(data: &Dataset, areas: &[&str]) -> String {
    let used: Vec<usize> = data
        .observations
        .iter()
        .filter(|o| areas.iter().any(|a| same_name(a, &o.area)))
        .map(|o| o.input)
        .collect();
    line(data, &sorted(used))
}

/// The publishers of the inputs that hold `area`'s figures.
pub fn of_area(data: &Dataset, area: &str) -> String {
    of_areas(data, &[area])
}

/// The publishers of the partner datasets.
pub fn of_partner(data: &Dataset) -> String {
    let used: Vec<usize> = data.partner.iter().map(|f| f.input).collect();
    line(data, &sorted(used))
}

/// Every publisher the run read, for the appendix's cover.
pub fn all(data: &Dataset) -> Vec<String> {
    names(data, &(0..data.inputs.len()).collect::<Vec<_>>())
}

fn sorted(mut used: Vec<usize>) -> Vec<usize> {
    used.sort_unstable();
    used.dedup();
    used
}
