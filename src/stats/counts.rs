//! Picking figures out of a dataset: one area, one period, in the order the source listed them.

use crate::error::{Error, Result};
use crate::harmonise::{Period, label};
use crate::model::{Dataset, Observation};

/// The area to report on: the one asked for (matched ignoring case and spacing), or the only one
/// the data holds.
pub fn select_area(data: &Dataset, wanted: Option<&str>) -> Result<String> {
    let areas = data.areas();
    let available = || areas.join(", ");
    match wanted {
        Some(w) => areas
            .iter()
            .find(|a| label::match_key(a) == label::match_key(w))
            .map(|a| a.to_string())
            .ok_or_else(|| Error::AreaNotInData {
                area: w.to_string(),
                available: available(),
            }),
        None if areas.len() == 1 => Ok(areas[0].to_string()),
        None => Err(Error::AmbiguousArea {
            available: available(),
        }),
    }
}

/// The figures for `area` in `period`, in source order; an error naming `flag` when the data holds
/// nothing for that period.
pub fn period_figures<'a>(
    data: &'a Dataset,
    area: &str,
    period: Period,
    flag: &str,
) -> Result<Vec<&'a Observation>> {
    let figures: Vec<&Observation> = data
        .observations
        .iter()
        .filter(|o| o.area == area && o.period == period)
        .collect();
    if figures.is_empty() {
        let available: Vec<String> = periods_of(data, area)
            .iter()
            .map(|p| p.to_string())
            .collect();
        return Err(Error::PeriodNotInData {
            flag: flag.to_string(),
            period: period.to_string(),
            available: if available.is_empty() {
                "no periods".into()
            } else {
                available.join(", ")
            },
        });
    }
    Ok(figures)
}

/// The periods the data holds for `area`, in time order.
pub fn periods_of(data: &Dataset, area: &str) -> Vec<Period> {
    let mut periods: Vec<Period> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .map(|o| o.period)
        .collect();
    periods.sort();
    periods.dedup();
    periods
}
