//! CSV: plain numbers, one header row, text cells made safe for spreadsheets.

use crate::render::table::{COMPARISON_COLUMNS, changes, tidy_row};
use crate::stats::Comparison;

/// The comparison as CSV with [`COMPARISON_COLUMNS`]: the shared tidy rows, text cells made safe
/// for spreadsheets.
pub fn comparison_csv(cmp: &Comparison) -> String {
    let mut rows = vec![COMPARISON_COLUMNS.map(String::from).to_vec()];
    for c in changes(cmp) {
        let mut row = tidy_row(c, cmp);
        for i in [0, row.len() - 1] {
            row[i] = defuse(&row[i]);
        }
        rows.push(row);
    }
    write_csv(&rows)
}

/// Any table as CSV; text cells made safe for spreadsheets (the last column is the number).
pub fn csv_of(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend(rows.iter().map(|r| {
        let last = r.len() - 1;
        r.iter()
            .enumerate()
            .map(|(i, c)| if i == last { c.clone() } else { defuse(c) })
            .collect()
    }));
    write_csv(&all)
}

/// Several areas' comparisons as one CSV: `area` then [`COMPARISON_COLUMNS`].
pub fn comparisons_csv(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    for (i, cmp) in comparisons.iter().enumerate() {
        for (j, line) in comparison_csv(cmp).lines().enumerate() {
            match (i, j) {
                (0, 0) => out += &format!("area,{line}\n"),
                (_, 0) => {}
                _ => out += &format!("{},{line}\n", csv_field(&defuse(&cmp.area))),
            }
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    write_csv(&[vec![s.to_string()]]).trim_end().to_string()
}

/// The monthly series as tidy CSV: `month,area,category,count,rolling_12_month_average`.
pub fn monthly_csv(area: &str, series: &[crate::stats::trend::Series]) -> String {
    let mut rows = vec![
        [
            "month",
            "area",
            "category",
            "count",
            "rolling_12_month_average",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in series {
        for p in &s.points {
            let rolling = p.rolling_12.map_or_else(String::new, |r| format!("{r:.2}"));
            rows.push(vec![
                p.month.to_string(),
                defuse(area),
                defuse(&s.category),
                // A month missing from its release has no count (never a 0).
                p.count.map_or_else(String::new, |n| n.to_string()),
                rolling,
            ]);
        }
    }
    write_csv(&rows)
}

/// A text cell that a spreadsheet would read as a formula gets a leading apostrophe, so it is
/// shown as the text it is. A number (`-0.4154`, `-3.670e-05`) is no formula and stays a number.
pub fn defuse(cell: &str) -> String {
    if cell.parse::<f64>().is_ok_and(f64::is_finite) {
        return cell.to_string();
    }
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .expect("writing CSV to memory cannot fail");
    }
    let bytes = writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV was built from UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_negative_numbers_stay_numbers() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-SUM(A1)"), "'-SUM(A1)");
        assert_eq!(defuse("+44 20"), "'+44 20");
        // A negative SPC lower limit, Gi* z or annual change is a number, not a formula.
        assert_eq!(defuse("-0.4154"), "-0.4154");
        assert_eq!(defuse("-3.670e-05"), "-3.670e-05");
        assert_eq!(
            csv_of(&["a", "b"], &[vec!["-1.5".into(), "2".into()]]),
            "a,b\n-1.5,2\n"
        );
    }
}
