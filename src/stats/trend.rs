//! Monthly series per category with the rolling 12-month average: the average of the 12 months
//! ending with each month, defined only where all 12 are in the data (a gap never averages in as 0).

use serde::Serialize;

use crate::harmonise::{Month, Period};
use crate::model::{Dataset, Value};

/// One category's monthly counts for an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub category: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub month: Month,
    /// `None` for a month missing from its release (a gap, never a 0).
    pub count: Option<i64>,
    /// Mean of the 12 months ending here; `None` until 12 consecutive months are in the data.
    pub rolling_12: Option<f64>,
}

/// Every category's series for `area`, in the order categories first appear; months in order.
pub fn monthly_series(data: &Dataset, area: &str) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    for o in data.observations.iter().filter(|o| o.area == area) {
        let (Period::Month(month), Value::Count(count)) = (o.period, &o.value) else {
            continue;
        };
        let point = Point {
            month,
            count: Some(*count),
            rolling_12: None,
        };
        match series.iter_mut().find(|s| s.category == o.category) {
            Some(s) => s.points.push(point),
            None => series.push(Series {
                category: o.category.to_string(),
                points: vec![point],
            }),
        }
    }
    for g in data.gaps.iter().filter(|g| g.area == area) {
        let gap = Point {
            month: g.month,
            count: None,
            rolling_12: None,
        };
        if let Some(s) = series.iter_mut().find(|s| s.category == g.category) {
            s.points.push(gap);
        }
    }
    for s in &mut series {
        s.points.sort_by_key(|p| p.month);
        add_rolling(&mut s.points);
    }
    series
}

fn add_rolling(points: &mut [Point]) {
    for i in 11..points.len() {
        let window = &points[i - 11..=i];
        let counts: Option<Vec<i64>> = window.iter().map(|p| p.count).collect();
        if let (true, Some(counts)) = (window[0].month.plus(11) == window[11].month, counts) {
            points[i].rolling_12 = Some(counts.iter().sum::<i64>() as f64 / 12.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(m: i32, count: i64) -> Point {
        Point {
            month: Month::new(2016, 1).unwrap().plus(m),
            count: Some(count),
            rolling_12: None,
        }
    }

    #[test]
    fn rolling_average_needs_twelve_consecutive_months() {
        let mut pts: Vec<Point> = (0..13).map(|m| point(m, m as i64)).collect();
        add_rolling(&mut pts);
        assert_eq!(pts[10].rolling_12, None);
        assert_eq!(pts[11].rolling_12, Some(5.5)); // mean of 0..=11
        assert_eq!(pts[12].rolling_12, Some(6.5)); // mean of 1..=12
        let mut gap: Vec<Point> = (0..13).filter(|m| *m != 3).map(|m| point(m, 1)).collect();
        add_rolling(&mut gap);
        assert!(gap.iter().all(|p| p.rolling_12.is_none()));
        // A month missing from its release breaks every window that holds it.
        let mut missing: Vec<Point> = (0..14).map(|m| point(m, 1)).collect();
        missing[3].count = None;
        add_rolling(&mut missing);
        assert!(missing.iter().all(|p| p.rolling_12.is_none()));
        missing[3].count = Some(1);
        add_rolling(&mut missing);
        assert_eq!(missing[13].rolling_12, Some(1.0));
    }
}
