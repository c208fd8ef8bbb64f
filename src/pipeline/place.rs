//! The pipeline's place analysis: the area whose street points `place` and the report's "Where"
//! section use, and the evidence that section rests on.

use super::{load_all, pick_area};
use crate::config::Config;
use crate::error::Result;
use crate::model::Dataset;
use crate::stats;

/// [`load`] for place analysis: an area that only a `points` source holds (no counts) is the
/// area too.
pub fn load_points(cfg: &Config) -> Result<(Dataset, String)> {
    let data = load_all(cfg)?;
    if let Some(wanted) = &cfg.area
        && !data
            .observations
            .iter()
            .any(|o| crate::model::same_name(&o.area, wanted))
        && let Some(p) = data
            .points
            .iter()
            .find(|p| crate::model::same_name(&p.area, wanted))
    {
        let area = p.area.to_string();
        return Ok((data, area));
    }
    let (data, area) = pick_area(cfg, data)?;
    match points_area(&data, &area) {
        Some(a) if a != area => {
            let a = a.to_string();
            if !cfg.quiet {
                crate::error::say(format_args!(
                    "{area}: no street points of its own; place uses those of {a}, the only area the points hold (say whose figures when quoting them)"
                ));
            }
            Ok((data, a))
        }
        _ => Ok((data, area)),
    }
}

/// The area whose points place analysis uses: `preferred` when the points hold it, else the
/// only area they hold; `None` when they hold none or several others.
fn points_area<'a>(data: &'a Dataset, preferred: &'a str) -> Option<&'a str> {
    crate::model::detail_area(data.points.iter().map(|p| &*p.area), preferred)
}

/// The report's place analysis: the points of the compared area (else of the one area that has
/// points) over the latest financial year they cover whole, placed in the first `[[boundaries]]`
/// file. A declared boundary file that is absent leaves the tables without maps and says so.
pub fn place_evidence(
    cfg: &Config,
    data: &Dataset,
    compared: &str,
) -> Result<Option<stats::place::PlaceEvidence>> {
    let Some(area) = points_area(data, compared) else {
        return Ok(None);
    };
    let Some(period) = stats::place::latest_whole_year(data, area) else {
        return Ok(None);
    };
    let (boundaries, no_boundaries) = match cfg.boundaries.first() {
        None => (None, Some("no [[boundaries]] file is declared".to_string())),
        Some(spec) if !spec.path.exists() => (
            None,
            Some(format!("the boundary file {} is absent", spec.display)),
        ),
        Some(spec) => (Some(crate::ingest::boundaries::read(spec)?), None),
    };
    let points: Vec<_> = stats::place::points_in(data, area, period).collect();
    let placed = boundaries
        .as_ref()
        .map(|b| stats::place::place(&points, &stats::place::Index::new(b)));
    Ok(Some(stats::place::PlaceEvidence {
        area: area.to_string(),
        period,
        placed,
        no_boundaries,
        points: stats::place::point_totals(&points),
        grid: stats::place::hotspots(&stats::place::located(&points).0, None, cfg.settings.adjust),
        classes: stats::place::classify_cells(&points, period, None, &Default::default()),
        change: stats::place_change::change_periods(data, area).map(|periods| {
            let changes =
                stats::place_change::lsoa_total_changes(data, area, periods, &cfg.settings);
            (periods, changes)
        }),
        boundaries,
    }))
}
