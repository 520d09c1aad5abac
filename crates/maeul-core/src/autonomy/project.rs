//! 사업 실행 — carrying out the items the assembly adopted: each adopted plan item becomes a
//! project with milestones (추진 일정), a progress figure and public updates (추진 소식), so that
//! residents see what happened to what they voted for.
//!
//! Milestones are planned once the plan is adopted and ticked off while it executes; an update
//! says what was done, the progress after it and, when known, what has been spent so far (the
//! same figure the settlement counts).

use time::{Date, Month};

use super::plan::{self, MAX_TEXT, MAX_TITLE, PlanError};

/// Most milestones of one project.
pub const MAX_MILESTONES: usize = 50;

/// What is wrong with a milestone or an update.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("a title of 1 to {MAX_TITLE} characters is needed")]
    Title,
    #[error("an update of 1 to {MAX_TEXT} characters is needed")]
    Body,
    #[error("progress is a percentage from 0 to 100")]
    Progress,
    #[error("a milestone falls between the year before the plan's year and the year after it")]
    DueOutside,
    #[error("a milestone is done from the year before the plan's year to today")]
    DoneOutside,
    #[error("a project has at most {MAX_MILESTONES} milestones")]
    TooManyMilestones,
    #[error(transparent)]
    Plan(#[from] PlanError),
}

impl ProjectError {
    pub fn field(&self) -> &'static str {
        match self {
            ProjectError::Title | ProjectError::TooManyMilestones => "title",
            ProjectError::Body => "body",
            ProjectError::Progress => "progress",
            ProjectError::DueOutside => "due_on",
            ProjectError::DoneOutside => "done_on",
            ProjectError::Plan(e) => e.field(),
        }
    }
}

/// 추진 일정 — a planned step of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub title: String,
    pub due_on: Date,
}

impl Milestone {
    /// A milestone of a plan for `year`: due from the year before (preparation after the
    /// assembly) to the year after (work carried over).
    pub fn new(title: &str, due_on: Date, year: i32) -> Result<Milestone, ProjectError> {
        let trimmed = title.trim();
        if trimmed.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(ProjectError::Title);
        }
        let first = Date::from_calendar_date(year - 1, Month::January, 1);
        let last = Date::from_calendar_date(year + 1, Month::December, 31);
        match (first, last) {
            (Ok(first), Ok(last)) if (first..=last).contains(&due_on) => Ok(Milestone {
                title: trimmed.to_owned(),
                due_on,
            }),
            _ => Err(ProjectError::DueOutside),
        }
    }
}

/// The day a milestone of a plan for `year` was done: not in the future, nor before the year
/// before the plan's (when its preparation may start).
pub fn done_on(day: Date, today: Date, year: i32) -> Result<Date, ProjectError> {
    match Date::from_calendar_date(year - 1, Month::January, 1) {
        Ok(first) if (first..=today).contains(&day) => Ok(day),
        _ => Err(ProjectError::DoneOutside),
    }
}

/// 추진 소식 — what was done, the progress after it and the spending so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub body: String,
    /// 0–100 %.
    pub progress: u8,
    /// 집행액 so far (원), when known.
    pub spent: Option<i64>,
}

impl Update {
    pub fn new(body: &str, progress: i64, spent: Option<i64>) -> Result<Update, ProjectError> {
        let trimmed = body.trim();
        if trimmed.is_empty() || body.chars().count() > MAX_TEXT {
            return Err(ProjectError::Body);
        }
        let progress = u8::try_from(progress)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or(ProjectError::Progress)?;
        let spent = spent.map(|s| plan::amount(s, "spent")).transpose()?;
        Ok(Update {
            body: trimmed.to_owned(),
            progress,
            spent,
        })
    }
}

/// A milestone as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneState {
    pub due_on: Date,
    pub done_on: Option<Date>,
}

/// Where a project's milestones stand on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub done: usize,
    pub total: usize,
    /// Not done and due before the day.
    pub overdue: usize,
    /// The earliest due day of those not done.
    pub next_due: Option<Date>,
}

/// Counts the milestones done, overdue on `today`, and the next one due.
pub fn schedule<'a>(
    milestones: impl IntoIterator<Item = &'a MilestoneState>,
    today: Date,
) -> Schedule {
    let mut s = Schedule::default();
    for m in milestones {
        s.total += 1;
        match m.done_on {
            Some(_) => s.done += 1,
            None => {
                if m.due_on < today {
                    s.overdue += 1;
                }
                s.next_due = Some(s.next_due.map_or(m.due_on, |d| d.min(m.due_on)));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_milestone_falls_around_the_plans_year() {
        let m = Milestone::new(" 업체 선정 ", date!(2027 - 03 - 31), 2027).unwrap();
        assert_eq!(m.title, "업체 선정");
        assert!(Milestone::new("준비", date!(2026 - 01 - 01), 2027).is_ok());
        assert!(Milestone::new("정산", date!(2028 - 12 - 31), 2027).is_ok());
        assert_eq!(
            Milestone::new("너무 이른", date!(2025 - 12 - 31), 2027),
            Err(ProjectError::DueOutside)
        );
        assert_eq!(
            Milestone::new("너무 늦은", date!(2029 - 01 - 01), 2027),
            Err(ProjectError::DueOutside)
        );
        assert_eq!(
            Milestone::new(" ", date!(2027 - 03 - 31), 2027),
            Err(ProjectError::Title)
        );
        let long = "가".repeat(MAX_TITLE + 1);
        assert_eq!(
            Milestone::new(&long, date!(2027 - 03 - 31), 2027),
            Err(ProjectError::Title)
        );
    }

    #[test]
    fn a_milestone_is_done_around_the_plans_year_and_not_in_the_future() {
        let today = date!(2027 - 05 - 10);
        assert_eq!(done_on(today, today, 2027), Ok(today));
        assert_eq!(
            done_on(date!(2026 - 01 - 01), today, 2027),
            Ok(date!(2026 - 01 - 01))
        );
        assert_eq!(
            done_on(date!(2027 - 05 - 11), today, 2027),
            Err(ProjectError::DoneOutside)
        );
        assert_eq!(
            done_on(date!(2025 - 12 - 31), today, 2027),
            Err(ProjectError::DoneOutside)
        );
    }

    #[test]
    fn an_update_says_something_with_progress_in_percent() {
        let u = Update::new(" 화단 조성 완료 ", 60, Some(1_200_000)).unwrap();
        assert_eq!(
            (u.body.as_str(), u.progress, u.spent),
            ("화단 조성 완료", 60, Some(1_200_000))
        );
        assert_eq!(Update::new("", 10, None), Err(ProjectError::Body));
        assert_eq!(Update::new("x", 101, None), Err(ProjectError::Progress));
        assert_eq!(Update::new("x", -1, None), Err(ProjectError::Progress));
        assert_eq!(
            Update::new("x", 100, Some(-5)).unwrap_err().field(),
            "spent"
        );
        assert_eq!(Update::new("x", 0, None).unwrap().spent, None);
    }

    #[test]
    fn the_schedule_counts_done_overdue_and_the_next_due() {
        let today = date!(2027 - 06 - 01);
        let ms = [
            MilestoneState {
                due_on: date!(2027 - 03 - 01),
                done_on: Some(date!(2027 - 03 - 05)),
            },
            MilestoneState {
                due_on: date!(2027 - 05 - 01),
                done_on: None,
            },
            MilestoneState {
                due_on: date!(2027 - 09 - 01),
                done_on: None,
            },
            MilestoneState {
                due_on: date!(2027 - 06 - 01),
                done_on: None,
            },
        ];
        assert_eq!(
            schedule(&ms, today),
            Schedule {
                done: 1,
                total: 4,
                overdue: 1,
                next_due: Some(date!(2027 - 05 - 01)),
            }
        );
        assert_eq!(schedule(&[], today), Schedule::default());
    }
}
