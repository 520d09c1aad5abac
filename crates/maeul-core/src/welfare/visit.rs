//! 방문 일정 — visits planned ahead for a household a discovery round listed, a case, or a person
//! in visiting health care: the day (and perhaps the hour), who goes and why. A plan stays open
//! until a visit of its subject is recorded on or after its day, or it is cancelled; one still
//! open after its day is shown as missed, so that no follow-up is forgotten.

use time::{Date, Duration, Time};

/// How far ahead a visit may be planned.
pub const HORIZON_DAYS: i64 = 366;
/// The longest purpose, in characters.
pub const PURPOSE_MAX: usize = 200;

/// Where a planned visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanStatus {
    /// 예정 — still to be made.
    Planned,
    /// 완료 — a visit of the subject was recorded on or after the planned day.
    Done,
    /// 취소.
    Cancelled,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 3] = [PlanStatus::Planned, PlanStatus::Done, PlanStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Planned => "planned",
            PlanStatus::Done => "done",
            PlanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("a visit is planned from today up to a year ahead")]
    Date,
    #[error("the hour is written HH:MM")]
    Time,
    #[error("the purpose is one line of 1 to 200 characters")]
    Purpose,
}

impl PlanError {
    pub fn field(self) -> &'static str {
        match self {
            PlanError::Date => "planned_on",
            PlanError::Time => "planned_at",
            PlanError::Purpose => "purpose",
        }
    }
}

/// A visit to plan: checked before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub on: Date,
    pub at: Option<Time>,
    pub purpose: String,
}

impl Plan {
    /// A plan for `on` (today up to [`HORIZON_DAYS`] ahead), at an hour written `HH:MM` or
    /// none (blank), for a purpose of one line.
    pub fn new(on: Date, at: &str, purpose: &str, today: Date) -> Result<Self, PlanError> {
        if on < today || on > today + Duration::days(HORIZON_DAYS) {
            return Err(PlanError::Date);
        }
        let at = match at.trim() {
            "" => None,
            t => Some(crate::format::parse_clock(t).ok_or(PlanError::Time)?),
        };
        let purpose = crate::text::line(purpose, PURPOSE_MAX).ok_or(PlanError::Purpose)?;
        Ok(Plan { on, at, purpose })
    }
}

/// A plan still open after its day: 지난 일정.
pub fn missed(status: PlanStatus, on: Date, today: Date) -> bool {
    status == PlanStatus::Planned && on < today
}

/// The week (Monday to Sunday) that holds a day: the span of the weekly schedule.
pub fn week_of(day: Date) -> (Date, Date) {
    let monday = day - Duration::days(i64::from(day.weekday().number_days_from_monday()));
    (monday, monday + Duration::days(6))
}

/// Whether a visit of the plan's subject recorded for `visited_on` fulfils it: an open plan
/// whose day has come by then. A visit made before the planned day leaves the plan open (it
/// may be the next one), to be cancelled by hand if it is no longer needed.
pub fn fulfilled_by(status: PlanStatus, on: Date, visited_on: Date) -> bool {
    status == PlanStatus::Planned && on <= visited_on
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    const TODAY: Date = date!(2026 - 11 - 27);

    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        // 2026-11-27 is a Friday.
        let week = (date!(2026 - 11 - 23), date!(2026 - 11 - 29));
        assert_eq!(week_of(TODAY), week);
        assert_eq!(week_of(week.0), week);
        assert_eq!(week_of(week.1), week);
        // Across a year's end.
        assert_eq!(
            week_of(date!(2027 - 01 - 01)),
            (date!(2026 - 12 - 28), date!(2027 - 01 - 03))
        );
    }

    #[test]
    fn a_plan_is_from_today_to_a_year_ahead() {
        let plan = Plan::new(TODAY, " 14:30 ", " 혈압 재측정 ", TODAY).unwrap();
        assert_eq!(plan.at, Some(time!(14:30)));
        assert_eq!(plan.purpose, "혈압 재측정");
        assert!(Plan::new(date!(2027 - 11 - 28), "", "x", TODAY).is_ok());
        assert_eq!(
            Plan::new(date!(2026 - 11 - 26), "", "x", TODAY),
            Err(PlanError::Date)
        );
        assert_eq!(
            Plan::new(date!(2027 - 11 - 29), "", "x", TODAY),
            Err(PlanError::Date)
        );
    }

    #[test]
    fn the_hour_is_optional_but_strict_and_the_purpose_one_line() {
        assert_eq!(Plan::new(TODAY, "", "x", TODAY).unwrap().at, None);
        for bad in ["9:00", "24:00", "14시", "14:3"] {
            assert_eq!(
                Plan::new(TODAY, bad, "x", TODAY),
                Err(PlanError::Time),
                "{bad}"
            );
        }
        assert_eq!(Plan::new(TODAY, "", "  ", TODAY), Err(PlanError::Purpose));
        assert_eq!(Plan::new(TODAY, "", "a\nb", TODAY), Err(PlanError::Purpose));
        let long = "가".repeat(PURPOSE_MAX + 1);
        assert_eq!(Plan::new(TODAY, "", &long, TODAY), Err(PlanError::Purpose));
        assert_eq!(PlanError::Time.field(), "planned_at");
    }

    #[test]
    fn an_open_plan_past_its_day_is_missed_and_a_visit_from_its_day_fulfils_it() {
        let on = date!(2026 - 12 - 01);
        assert!(!missed(PlanStatus::Planned, on, on));
        assert!(missed(PlanStatus::Planned, on, date!(2026 - 12 - 02)));
        assert!(!missed(PlanStatus::Done, on, date!(2026 - 12 - 02)));
        assert!(!missed(PlanStatus::Cancelled, on, date!(2026 - 12 - 02)));
        assert!(fulfilled_by(PlanStatus::Planned, on, on));
        assert!(fulfilled_by(PlanStatus::Planned, on, date!(2026 - 12 - 09)));
        assert!(!fulfilled_by(
            PlanStatus::Planned,
            on,
            date!(2026 - 11 - 30)
        ));
        assert!(!fulfilled_by(
            PlanStatus::Cancelled,
            on,
            date!(2026 - 12 - 09)
        ));
    }

    #[test]
    fn statuses_read_back() {
        for s in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PlanStatus::parse("missed"), None);
    }
}
