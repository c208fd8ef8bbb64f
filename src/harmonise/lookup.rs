//! Regrouping an area's LSOAs into a larger geography through a [`Lookup`] (ward, MSOA): the
//! LSOA detail, the street points and the LSOA populations are relabelled with each LSOA's group,
//! so the place tables, the change by place and the rates work on the groups unchanged. An LSOA
//! the lookup does not hold keeps its own code, named as such, and is reported: never dropped.

use std::collections::BTreeMap;

use crate::model::Dataset;
use crate::model::place::{Lookup, LsoaPopulation};

/// What regrouping found: the LSOAs with recorded crime the lookup does not hold (code and
/// crimes over every month of the area's points, or of its LSOA detail without points), kept
/// under their own codes; and the name of every code the area's rows now carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Regrouped {
    pub unmatched: BTreeMap<String, u64>,
    pub names: BTreeMap<String, String>,
    /// LSOAs regrouped, and the groups they fell in.
    pub lsoas: usize,
    pub groups: usize,
}

/// Relabels `area`'s LSOA detail and points, and every LSOA population, with their groups.
pub fn regroup(data: &mut Dataset, area: &str, lookup: &Lookup) -> Regrouped {
    let mut out = Regrouped::default();
    let mut seen = std::collections::BTreeSet::new();
    let has_points = data.points.iter().any(|p| &*p.area == area);
    let mut relabel = |code: &mut Box<str>, crimes: u64, counted: bool| -> Option<String> {
        if code.is_empty() {
            return None;
        }
        match lookup.groups.get(&**code) {
            Some((group, name)) => {
                seen.insert(code.to_string());
                out.names.insert(group.clone(), name.clone());
                *code = group.as_str().into();
                Some(name.clone())
            }
            None => {
                let name = format!("{code} (an LSOA not in the {} lookup)", lookup.name);
                out.names.insert(code.to_string(), name.clone());
                if counted {
                    *out.unmatched.entry(code.to_string()).or_default() += crimes;
                }
                Some(name)
            }
        }
    };
    for l in data.lsoa.iter_mut().filter(|l| &*l.area == area) {
        // Anti-social behaviour (the first type) is not recorded crime.
        let crimes: u64 = l.counts[1..].iter().map(|&n| u64::from(n)).sum();
        if let Some(name) = relabel(&mut l.lsoa_code, crimes, !has_points) {
            l.lsoa_name = name.into();
        }
    }
    for p in data.points.iter_mut().filter(|p| &*p.area == area) {
        let crimes = p.crimes();
        relabel(&mut p.lsoa_code, crimes, true);
    }
    data.lsoa_population = populations(&data.lsoa_population, lookup);
    out.lsoas = seen.len();
    out.groups = seen
        .iter()
        .map(|c| &lookup.groups[c].0)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    out
}

/// Each group's population per period: the sum over its LSOAs, given only when every LSOA the
/// lookup puts in the group has one (a part-population would overstate the rate). LSOAs the
/// lookup does not hold keep theirs.
fn populations(rows: &[LsoaPopulation], lookup: &Lookup) -> Vec<LsoaPopulation> {
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    for (code, _) in lookup.groups.values() {
        *members.entry(code).or_default() += 1;
    }
    let mut sums: BTreeMap<(String, Option<crate::model::Period>), (f64, usize, usize)> =
        BTreeMap::new();
    let mut out = Vec::new();
    for r in rows {
        match lookup.groups.get(&r.code) {
            Some((code, _)) => {
                let e = sums
                    .entry((code.clone(), r.period))
                    .or_insert((0.0, 0, r.input));
                (e.0, e.1) = (e.0 + r.population, e.1 + 1);
            }
            None => out.push(r.clone()),
        }
    }
    for ((code, period), (population, n, input)) in sums {
        if members.get(code.as_str()) == Some(&n) {
            out.push(LsoaPopulation {
                code,
                period,
                population,
                input,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LsoaRecord;

    fn lookup() -> Lookup {
        let g = |c: &str, n: &str| (c.to_string(), n.to_string());
        Lookup {
            name: "msoa".into(),
            display: "lookup.csv".into(),
            groups: [
                ("A1".to_string(), g("M1", "Middle one")),
                ("A2".to_string(), g("M1", "Middle one")),
                ("B1".to_string(), g("M2", "Middle two")),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn record(code: &str, burglary: u32, asb: u32) -> LsoaRecord {
        let mut counts = [0u32; 14];
        counts[0] = asb;
        counts[2] = burglary;
        LsoaRecord {
            input: 0,
            month: "2017-04".parse().unwrap(),
            area: "X".into(),
            lsoa_code: code.into(),
            lsoa_name: format!("{code} name").into(),
            counts,
        }
    }

    #[test]
    fn relabels_lsoas_and_reports_the_unmatched() {
        let mut data = Dataset {
            lsoa: vec![
                record("A1", 3, 9),
                record("A2", 4, 0),
                record("Z9", 5, 2),
                record("", 1, 0),
            ],
            ..Dataset::default()
        };
        let r = regroup(&mut data, "X", &lookup());
        let codes: Vec<&str> = data.lsoa.iter().map(|l| &*l.lsoa_code).collect();
        assert_eq!(codes, ["M1", "M1", "Z9", ""]);
        assert_eq!(&*data.lsoa[0].lsoa_name, "Middle one");
        assert_eq!(
            &*data.lsoa[2].lsoa_name,
            "Z9 (an LSOA not in the msoa lookup)"
        );
        // Z9's 5 recorded crimes are reported; its 2 ASB incidents are not crime.
        assert_eq!(r.unmatched, [("Z9".to_string(), 5)].into_iter().collect());
        assert_eq!((r.lsoas, r.groups), (2, 1));
    }

    #[test]
    fn a_group_has_a_population_only_when_all_its_lsoas_do() {
        let pop = |code: &str, n: f64| LsoaPopulation {
            code: code.into(),
            period: None,
            population: n,
            input: 0,
        };
        let rows = [pop("A1", 1500.0), pop("A2", 1700.0), pop("Z9", 900.0)];
        let mut out = populations(&rows, &lookup());
        out.sort_by(|a, b| a.code.cmp(&b.code));
        let got: Vec<(&str, f64)> = out
            .iter()
            .map(|p| (p.code.as_str(), p.population))
            .collect();
        assert_eq!(got, [("M1", 3200.0), ("Z9", 900.0)]);
        // M2's only LSOA (B1) has no population: M2 gets none.
        let out = populations(&[pop("A1", 1500.0)], &lookup());
        assert!(out.is_empty());
    }
}
