//! A `[[source]]` table as written, and its resolution into an [`ingest::Source`](Source).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::default_force_areas;
use crate::harmonise::{Month, Period};
use crate::ingest::police_uk::Selection;
use crate::ingest::police_uk::file::BadRows;
use crate::ingest::police_uk::lookup::Lookup;
use crate::ingest::{Source, SourceKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    name: Option<String>,
    kind: String,
    path: String,
    area: Option<String>,
    publisher: Option<String>,
    /// police-uk: force slugs to read.
    #[serde(default)]
    forces: Vec<String>,
    /// police-uk: first and last month to read.
    from_month: Option<String>,
    to_month: Option<String>,
    /// police-uk: `fail` (default) or `reject` rows that cannot be counted.
    bad_rows: Option<String>,
    /// `utf-8` (default) or `windows-1252`.
    encoding: Option<String>,
    /// Workbooks: the sheet to read.
    sheet: Option<String>,
    /// partner: `values` (default) or `incidents`.
    rows: Option<crate::ingest::partner::RowKind>,
    /// partner: `count` (default), `percent` or `rate`.
    unit: Option<crate::model::Unit>,
    /// partner, population: which column holds what.
    columns: Option<crate::ingest::partner::Columns>,
    date_format: Option<String>,
    measure: Option<String>,
    total: Option<String>,
    /// partner: the area whose rows sum the other areas' (a borough and its wards).
    area_total: Option<String>,
    publish_by: Option<crate::ingest::partner::Grain>,
    /// population (ONS LSOA estimates): the period the estimate is the denominator for.
    period: Option<String>,
    /// partner: disclosure control; `true` withholds counts of 1 to 4, a number sets the top.
    sensitive: Option<Sensitive>,
    /// police-uk: LSOA-name prefixes inside each force's area, by slug (added to the defaults).
    #[serde(default)]
    force_areas: BTreeMap<String, Vec<String>>,
    /// police-uk: LSOA codes to the areas of another geography.
    lookup: Option<RawLookup>,
    /// police-uk: read the archive for the outcome join and stop and search only (its street
    /// counts come from another source); absent, the report leaves those sections out.
    #[serde(default)]
    justice_only: bool,
}

/// `[source.lookup]`: a CSV of LSOA codes and the areas they lie in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLookup {
    path: String,
    /// The LSOA code's column (`LSOA code` by default; ONS lookups say `LSOA11CD`).
    code: Option<String>,
    /// The area's column (`area` by default; e.g. `WD19NM` for wards).
    area: Option<String>,
}

impl RawLookup {
    fn resolve(&self, base: &Path) -> Lookup {
        Lookup {
            path: base.join(&self.path),
            display: self.path.clone(),
            code: self.code.clone().unwrap_or_else(|| "LSOA code".into()),
            area: self.area.clone().unwrap_or_else(|| "area".into()),
        }
    }
}

/// `sensitive = true` or `sensitive = 9`.
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Sensitive {
    Flag(bool),
    Threshold(i64),
}

/// The layout keys of partner and population sources.
fn layout(
    raw: &RawSource,
    kind: SourceKind,
) -> Result<Option<crate::ingest::partner::Layout>, String> {
    use crate::ingest::partner::Layout;
    if !matches!(kind, SourceKind::Partner | SourceKind::Population) {
        let set = [
            ("rows", raw.rows.is_some()),
            ("unit", raw.unit.is_some()),
            ("columns", raw.columns.is_some()),
            ("date_format", raw.date_format.is_some()),
            ("measure", raw.measure.is_some()),
            ("total", raw.total.is_some()),
            ("area_total", raw.area_total.is_some()),
            ("publish_by", raw.publish_by.is_some()),
            ("period", raw.period.is_some()),
        ];
        return match set.iter().find(|(_, on)| *on) {
            Some((key, _)) => Err(format!(
                "`{key}` applies to partner and population sources only"
            )),
            None => Ok(None),
        };
    }
    let period = raw
        .period
        .as_deref()
        .map(|p| p.parse::<Period>().map_err(|e| format!("period: {e}")))
        .transpose()?;
    if let Some(f) = &raw.date_format {
        check_date_format(f)?;
    }
    Ok(Some(Layout {
        rows: raw.rows.unwrap_or_default(),
        unit: raw.unit.unwrap_or_default(),
        columns: raw.columns.clone().unwrap_or_default(),
        date_format: raw.date_format.clone(),
        measure: raw.measure.clone(),
        total: raw.total.clone(),
        area_total: raw.area_total.clone(),
        publish_by: raw.publish_by.unwrap_or_default(),
        period,
    }))
}

/// A date format must name a day, month and year (chrono `%d`, `%m` or `%b`, `%Y`).
fn check_date_format(f: &str) -> Result<(), String> {
    let has = |any: &[&str]| any.iter().any(|p| f.contains(p));
    if has(&["%d", "%e"]) && has(&["%m", "%b", "%B"]) && has(&["%Y", "%y"]) {
        Ok(())
    } else {
        Err(format!(
            "date_format `{f}` must hold a day, month and year, e.g. \"%d/%m/%Y\" or \"%Y-%m-%d\""
        ))
    }
}

pub(super) fn resolve_source(raw: RawSource, index: usize, base: &Path) -> Result<Source, String> {
    let kind: SourceKind = raw
        .kind
        .parse()
        .map_err(|e| format!("source {}: {e}", index + 1))?;
    if raw.path.trim().is_empty() {
        return Err(format!("source {}: `path` is empty", index + 1));
    }
    let at = |(key, e): (&str, String)| format!("source {}: {key}: {e}", index + 1);
    let layout = layout(&raw, kind).map_err(|e| at(("layout", e)))?;
    let sensitive = sensitive(raw.sensitive, kind).map_err(at)?;
    if raw.justice_only && kind != SourceKind::PoliceUk {
        let why = "applies to a data.police.uk archive (kind = \"police-uk\")";
        return Err(at(("justice_only", why.into())));
    }
    let selection = selection(&raw, base).map_err(at)?;
    let encoding = raw
        .encoding
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e| at(("encoding", e)))?
        .unwrap_or_default();
    Ok(Source {
        encoding,
        layout,
        sensitive,
        sheet: raw.sheet,
        name: raw.name.unwrap_or_else(|| kind.to_string()),
        kind,
        path: base.join(&raw.path),
        display: raw.path,
        area: raw.area,
        publisher: raw.publisher,
        selection,
    })
}

/// A key's error: the key, and what is wrong with it.
type KeyError = (&'static str, String);

/// `sensitive = true` (the default threshold) or a threshold of 1 or more; partner data only.
fn sensitive(raw: Option<Sensitive>, kind: SourceKind) -> Result<Option<i64>, KeyError> {
    let threshold = match raw {
        None | Some(Sensitive::Flag(false)) => None,
        Some(Sensitive::Flag(true)) => Some(crate::ingest::disclosure::DEFAULT_THRESHOLD),
        Some(Sensitive::Threshold(n)) if n >= 1 => Some(n),
        Some(Sensitive::Threshold(n)) => {
            let why = format!("{n} is not a threshold; give true or a count of 1 or more");
            return Err(("sensitive", why));
        }
    };
    if threshold.is_some() && kind != SourceKind::Partner {
        let why = "disclosure control applies to partner datasets (kind = \"partner\")";
        return Err(("sensitive", why.into()));
    }
    Ok(threshold)
}

/// Which forces and months of an archive to read, and how strictly.
fn selection(raw: &RawSource, base: &Path) -> Result<Selection, KeyError> {
    let month = |key: &'static str, v: &Option<String>| {
        v.as_deref()
            .map(|m| m.parse::<Month>().map_err(|e| (key, e.to_string())))
            .transpose()
    };
    let bad_rows = match raw.bad_rows.as_deref() {
        None | Some("fail") => BadRows::Fail,
        Some("reject") => BadRows::Reject,
        Some(other) => return Err(("bad_rows", format!("`{other}` is not fail or reject"))),
    };
    let mut force_areas = default_force_areas();
    force_areas.extend(raw.force_areas.clone());
    Ok(Selection {
        forces: raw.forces.clone(),
        from: month("from_month", &raw.from_month)?,
        to: month("to_month", &raw.to_month)?,
        bad_rows,
        force_areas,
        progress: false,
        cache_dir: None,
        lsoa_detail: true,
        point_detail: false,
        point_area: None,
        point_forces: None,
        lsoa_forces: None,
        point_months: None,
        rehash: false,
        justice_detail: raw.justice_only,
        justice_only: raw.justice_only,
        lookup: raw.lookup.as_ref().map(|l| l.resolve(base)),
    })
}
