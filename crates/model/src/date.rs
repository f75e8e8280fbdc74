//! Calendar dates (`YYYY-MM-DD`, stored as strings in documents) and the
//! conversions the rules need. The model has no clock: "today" and commit
//! times are always passed in by the caller.

use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use serde::{Deserialize, Serialize};

/// A valid Gregorian calendar date. Construct with [`Date::new`] or
/// [`Date::parse`]; an invalid date cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` is a leap year.
pub fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` (1–12) of `year`.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, or `None` if it does not exist (years 1900–2199 only).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1900..2200).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also accepts `YYYYMMDD`).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (y, m, d) = if s.len() == 10 && &s[4..5] == "-" && &s[7..8] == "-" {
            (&s[0..4], &s[5..7], &s[8..10])
        } else if s.len() == 8 && s.is_ascii() {
            (&s[0..4], &s[4..6], &s[6..8])
        } else {
            return None;
        };
        if ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }
    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Months since year 0 (for month arithmetic).
    pub fn month_index(&self) -> i32 {
        self.year as i32 * 12 + self.month as i32 - 1
    }

    /// The first day of the month with the given [`Date::month_index`].
    pub fn first_of_month_index(index: i32) -> Option<Date> {
        let year = u16::try_from(index.div_euclid(12)).ok()?;
        Date::new(year, (index.rem_euclid(12) + 1) as u8, 1)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The date of a day count since 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        Date::new(u16::try_from(y).ok()?, m as u8, d as u8)
    }

    /// The UTC date of a Unix time in milliseconds (as in change metadata).
    pub fn from_unix_ms(ms: i64) -> Option<Date> {
        Date::from_days_since_epoch(ms.div_euclid(86_400_000))
    }

    /// Unix time in milliseconds of midnight UTC starting this date.
    pub fn unix_ms(&self) -> i64 {
        self.days_since_epoch() * 86_400_000
    }

    /// This date plus `days` (may be negative).
    pub fn add_days(&self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days).unwrap_or(*self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Date::parse(&s).ok_or_else(|| format!("not a date: {s}"))
    }
}

impl Reconcile for Date {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Date::parse(s).ok_or_else(|| HydrateError::unexpected("a YYYY-MM-DD date", s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_validity() {
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("20240822").is_some());
        assert!(Date::parse("2024-8-22").is_none());
        assert_eq!(Date::new(2024, 8, 22).unwrap().to_string(), "2024-08-22");
    }

    #[test]
    fn epoch_round_trip() {
        let d = Date::new(2024, 8, 22).unwrap();
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::from_unix_ms(1_724_284_800_000),
            Date::new(2024, 8, 22)
        );
        assert_eq!(d.add_days(10), Date::new(2024, 9, 1).unwrap());
        let idx = d.month_index() + 5;
        assert_eq!(Date::first_of_month_index(idx), Date::new(2025, 1, 1));
    }
}
