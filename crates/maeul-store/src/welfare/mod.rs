//! Visiting health and welfare records. Every read of a personal record goes through a
//! method here that writes its access-log entry in the same transaction: no caller can
//! read a person without leaving a trace.

pub mod case;
pub mod discovery;
pub mod health;
pub mod resource;

use maeul_core::region::RegionPath;
use time::Date;

use crate::StoreError;

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A day as stored: `YYYY-MM-DD`, which orders as text.
pub(crate) fn text(d: Date) -> String {
    d.format(DATE).expect("a date formats")
}

/// A stored day.
pub(crate) fn date(s: &str) -> Result<Date, StoreError> {
    Date::parse(s, DATE).map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
}

/// A stored region path.
pub(crate) fn region_path(s: &str) -> Result<RegionPath, StoreError> {
    RegionPath::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
