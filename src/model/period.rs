//! Reporting periods as types: months, UK financial years and quarters, calendar years and rolling
//! 12-month windows.
//!
//! A UK financial year runs April to March and is written `2017/18` (April 2017 to March 2018).
//! Financial quarter 1 is April to June. Parsing validates a label and never guesses: `2016/16`
//! is an error that says what was expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, such as 2017-04.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u8,
}

/// A UK financial year, identified by the calendar year in which it starts (2017 for `2017/18`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

/// Any period a figure can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month(Month),
    FinancialQuarter(FinancialYear, u8),
    FinancialYear(FinancialYear),
    CalendarYear(i32),
    /// The 12 months ending with (and including) the given month.
    Rolling12(Month),
    /// A financial year from April to the given month (year to date, for in-year refreshes).
    YearToDate(FinancialYear, Month),
}

/// Years outside this range are typing errors in police data, not history.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The accepted period labels, for error messages.
pub const PERIOD_FORMS: &str = "a financial year (2017/18), a financial quarter (2017/18 Q1), a month (2017-04), a calendar year (2017), a rolling year (12 months ending 2018-03) or a year to date (2018/19 to 2018-09)";

impl Month {
    /// A month, if `month` is 1 to 12 and the year is plausible.
    pub fn new(year: i32, month: u8) -> Option<Month> {
        ((1..=12).contains(&month) && YEARS.contains(&year)).then_some(Month { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The financial year this month falls in: April 2017 to March 2018 is 2017/18.
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear(if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        })
    }

    /// The financial quarter (1 = April to June) this month falls in.
    pub fn financial_quarter(self) -> u8 {
        ((self.month + 8) % 12) / 3 + 1
    }

    /// The month `n` months later (or earlier, for negative `n`).
    pub fn plus(self, n: i32) -> Month {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        Month {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// Months from `self` to `other`, exclusive of `other` (negative if `other` is earlier).
    pub fn months_until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + i32::from(other.month) - i32::from(self.month)
    }
}

impl FinancialYear {
    pub fn new(start_year: i32) -> Option<FinancialYear> {
        YEARS
            .contains(&start_year)
            .then_some(FinancialYear(start_year))
    }

    pub fn start_year(self) -> i32 {
        self.0
    }

    /// April of the starting year.
    pub fn first_month(self) -> Month {
        Month {
            year: self.0,
            month: 4,
        }
    }
}

impl Period {
    /// The first month the period covers.
    pub fn first_month(self) -> Month {
        match self {
            Period::Month(m) => m,
            Period::FinancialQuarter(fy, q) => fy.first_month().plus(3 * (i32::from(q) - 1)),
            Period::FinancialYear(fy) => fy.first_month(),
            Period::CalendarYear(y) => Month { year: y, month: 1 },
            Period::Rolling12(end) => end.plus(-11),
            Period::YearToDate(fy, _) => fy.first_month(),
        }
    }

    /// How many months the period covers.
    pub fn month_count(self) -> i32 {
        match self {
            Period::Month(_) => 1,
            Period::FinancialQuarter(..) => 3,
            Period::YearToDate(fy, to) => fy.first_month().months_until(to) + 1,
            _ => 12,
        }
    }

    /// The last month the period covers.
    pub fn last_month(self) -> Month {
        self.first_month().plus(self.month_count() - 1)
    }

    /// Every month the period covers, in order.
    pub fn months(self) -> impl Iterator<Item = Month> {
        let first = self.first_month();
        (0..self.month_count()).map(move |i| first.plus(i))
    }

    /// Whether `month` lies within the period.
    pub fn contains(self, month: Month) -> bool {
        self.first_month() <= month && month <= self.last_month()
    }

    /// A key that orders periods by when they start, then by length.
    pub fn sort_key(self) -> (Month, i32) {
        (self.first_month(), self.month_count())
    }

    /// The label with `/` replaced, for file names: `2016/17` becomes `2016-17`.
    pub fn slug(self) -> String {
        self.to_string().replace(['/', ' '], "-")
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => write!(f, "{m}"),
            Period::FinancialQuarter(fy, q) => write!(f, "{fy} Q{q}"),
            Period::FinancialYear(fy) => write!(f, "{fy}"),
            Period::CalendarYear(y) => write!(f, "{y}"),
            Period::Rolling12(end) => write!(f, "12 months ending {end}"),
            Period::YearToDate(fy, to) => write!(f, "{fy} to {to} (year to date)"),
        }
    }
}

/// Why a label is not a period. The message names the label and the form expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PeriodError {}

fn digits(s: &str, len: usize) -> Option<i32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

impl FromStr for Month {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            PeriodError(format!(
                "`{s}` is not a month; write months as YYYY-MM, e.g. 2017-04"
            ))
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (y, m) = (digits(y, 4).ok_or_else(bad)?, digits(m, 2).ok_or_else(bad)?);
        Month::new(y, m as u8).ok_or_else(bad)
    }
}

impl FromStr for FinancialYear {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let form = "write financial years as YYYY/YY, e.g. 2017/18 for April 2017 to March 2018";
        let bad = || PeriodError(format!("`{s}` is not a financial year; {form}"));
        let (start, end) = s.split_once('/').ok_or_else(bad)?;
        let start = digits(start, 4).ok_or_else(bad)?;
        let end = digits(end, 2)
            .map(|e| (start / 100) * 100 + e + if e < start % 100 { 100 } else { 0 })
            .or_else(|| digits(end, 4))
            .ok_or_else(bad)?;
        if end != start + 1 {
            let next = FinancialYear(start);
            return Err(PeriodError(format!(
                "`{s}` is not a financial year: the second year must be the one after {start} (as in {next}); {form}"
            )));
        }
        FinancialYear::new(start).ok_or_else(bad)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Parses any accepted label; the form is told apart by its shape before it is validated,
    /// so a malformed financial year gets the financial-year message.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(end) = s.strip_prefix("12 months ending ") {
            return Ok(Period::Rolling12(end.parse()?));
        }
        if let Some((fy, to)) = s.trim_end_matches(" (year to date)").split_once(" to ") {
            return year_to_date(s, fy.parse()?, to.parse()?);
        }
        if let Some((fy, q)) = s.split_once(" Q") {
            let quarter = digits(q, 1)
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| {
                    PeriodError(format!(
                        "`{s}`: a financial quarter is Q1 to Q4 (Q1 = April to June)"
                    ))
                })?;
            return Ok(Period::FinancialQuarter(fy.parse()?, quarter as u8));
        }
        if s.contains('/') {
            return Ok(Period::FinancialYear(s.parse()?));
        }
        if s.contains('-') {
            return Ok(Period::Month(s.parse()?));
        }
        match digits(s, 4).filter(|y| YEARS.contains(y)) {
            Some(y) => Ok(Period::CalendarYear(y)),
            None => Err(PeriodError(format!(
                "`{s}` is not a period; expected {PERIOD_FORMS}"
            ))),
        }
    }
}

/// A year to date: `to` must fall inside `fy`.
fn year_to_date(s: &str, fy: FinancialYear, to: Month) -> Result<Period, PeriodError> {
    if to.financial_year() != fy {
        return Err(PeriodError(format!(
            "`{s}`: a year to date runs from April of the financial year to a month inside it ({fy} to {}, say)",
            fy.first_month().plus(5)
        )));
    }
    Ok(Period::YearToDate(fy, to))
}

/// Periods, months and financial years serialise as their labels.
macro_rules! serialize_as_label {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}

serialize_as_label!(Period, Month, FinancialYear);

/// Periods and months deserialise from their labels, checked as `FromStr` checks them.
macro_rules! deserialize_from_label {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

deserialize_from_label!(Period, Month);

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn labels_round_trip() {
        for label in [
            "2017/18",
            "1999/00",
            "2017/18 Q1",
            "2017-04",
            "2017",
            "12 months ending 2018-03",
        ] {
            assert_eq!(p(label).to_string(), label);
        }
        assert_eq!(p("2017/2018").to_string(), "2017/18");
        assert_eq!(p("1999/2000").to_string(), "1999/00");
    }

    #[test]
    fn financial_year_covers_april_to_march() {
        let fy = p("2016/17");
        assert_eq!(fy.first_month().to_string(), "2016-04");
        assert_eq!(fy.last_month().to_string(), "2017-03");
        assert_eq!(fy.months().count(), 12);
        let cases = [
            ("2017-03", "2016/17"),
            ("2017-04", "2017/18"),
            ("2018-01", "2017/18"),
        ];
        for (month, year) in cases {
            let m: Month = month.parse().unwrap();
            assert_eq!(m.financial_year().to_string(), year, "{month}");
        }
    }

    #[test]
    fn quarters_start_in_april() {
        let cases = [(4, 1), (6, 1), (7, 2), (12, 3), (1, 4), (3, 4)];
        for (month, quarter) in cases {
            assert_eq!(
                Month::new(2017, month).unwrap().financial_quarter(),
                quarter
            );
        }
        assert_eq!(p("2017/18 Q4").first_month().to_string(), "2018-01");
        assert_eq!(p("2017/18 Q4").last_month().to_string(), "2018-03");
    }

    #[test]
    fn rolling_year_ends_with_its_month() {
        let r = p("12 months ending 2018-03");
        assert_eq!(r.first_month().to_string(), "2017-04");
        assert_eq!(
            r.months().collect::<Vec<_>>(),
            p("2017/18").months().collect::<Vec<_>>()
        );
    }

    #[test]
    fn invalid_labels_say_what_was_expected() {
        let cases = [
            (
                "2016/16",
                "the second year must be the one after 2016 (as in 2016/17)",
            ),
            ("2016/18", "the second year must be the one after 2016"),
            ("2016/2018", "the second year must be the one after 2016"),
            ("16/17", "write financial years as YYYY/YY"),
            ("2017-13", "write months as YYYY-MM"),
            ("2017/18 Q5", "Q1 to Q4"),
            ("last year", "expected a financial year (2017/18)"),
            ("", "is not a period"),
        ];
        for (label, expected) in cases {
            let err = label.parse::<Period>().unwrap_err().to_string();
            assert!(err.contains(expected), "{label}: {err}");
        }
    }

    #[test]
    fn periods_order_by_start() {
        let mut v = vec![p("2017/18"), p("2016-05"), p("2016/17")];
        v.sort();
        assert_eq!(v, vec![p("2016/17"), p("2016-05"), p("2017/18")]);
    }
}
