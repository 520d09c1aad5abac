//! 컨설팅 — consulting for local governments. A place, a si/gun/gu or a si/do asks for help on
//! one subject; the keepers of the expert pool over it assign an expert who fits; after the
//! consulting its report (findings and recommendations) is recorded. A request can be withdrawn
//! until it is reported.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::expert::{Availability, Expert, Specialty};
use crate::region::{Level, RegionCode};
use crate::text::{line, long_text};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest needs, findings or recommendations, in characters.
pub const MAX_TEXT: usize = 4000;
/// Longest reason for a withdrawal, in characters.
pub const MAX_REASON: usize = 200;
/// Most hours one engagement reports.
pub const MAX_HOURS: u16 = 200;

/// Where an engagement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 요청: waiting for an expert.
    Requested,
    /// 배정: an expert is assigned.
    Assigned,
    /// 완료: the report is in.
    Reported,
    /// 철회: withdrawn before a report.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Requested,
        Status::Assigned,
        Status::Reported,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Assigned => "assigned",
            Status::Reported => "reported",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A step of an engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Assign an expert, or another one before the report.
    Assign,
    Report,
    Withdraw,
}

/// The step does not follow from where the engagement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an engagement that is {} cannot take this step", .0.as_str())]
pub struct StepError(pub Status);

/// Where the engagement stands after `step`.
pub fn next(status: Status, step: Step) -> Result<Status, StepError> {
    match (status, step) {
        (Status::Requested | Status::Assigned, Step::Assign) => Ok(Status::Assigned),
        (Status::Assigned, Step::Report) => Ok(Status::Reported),
        (Status::Requested | Status::Assigned, Step::Withdraw) => Ok(Status::Withdrawn),
        _ => Err(StepError(status)),
    }
}

/// What a local government asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub title: String,
    pub specialty: Specialty,
    /// 요청 내용: the situation and what help is wanted.
    pub needs: String,
    /// 희망 시기: the day by which it is wanted, if any.
    pub wanted_by: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the region asking is a place, a si/gun/gu or a si/do")]
    Level,
    #[error("a title of 1 to {MAX_TITLE} characters")]
    Title,
    #[error("what is wanted, in 1 to {MAX_TEXT} characters")]
    Needs,
    #[error("the day wanted is not before today")]
    WantedBy,
}

impl RequestError {
    pub fn field(&self) -> &'static str {
        match self {
            RequestError::Level => "region",
            RequestError::Title => "title",
            RequestError::Needs => "needs",
            RequestError::WantedBy => "wanted_by",
        }
    }
}

impl Request {
    /// A request of `region` as typed on `today`.
    pub fn new(
        region: &RegionCode,
        title: &str,
        specialty: Specialty,
        needs: &str,
        wanted_by: Option<Date>,
        today: Date,
    ) -> Result<Request, RequestError> {
        if region.level() == Level::Nation {
            return Err(RequestError::Level);
        }
        let title = line(title, MAX_TITLE).ok_or(RequestError::Title)?;
        let needs = long_text(needs, MAX_TEXT)
            .filter(|n| !n.is_empty())
            .ok_or(RequestError::Needs)?;
        if wanted_by.is_some_and(|d| d < today) {
            return Err(RequestError::WantedBy);
        }
        Ok(Request {
            title,
            specialty,
            needs,
            wanted_by,
        })
    }
}

/// Why an expert does not fit a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error("the expert does not list the request's specialty")]
    Specialty,
    #[error("the expert does not work in the si/do of the region asking")]
    Region,
    #[error("the expert takes no work now")]
    Unavailable,
}

/// Whether `expert` can take a request on `specialty` from `region`: they list the specialty,
/// work in its si/do (or everywhere) and take work now.
pub fn fits(expert: &Expert, specialty: Specialty, region: &RegionCode) -> Result<(), FitError> {
    if !expert.specialties.contains(&specialty) {
        return Err(FitError::Specialty);
    }
    let works_there = expert.regions.is_empty()
        || region
            .sido()
            .is_some_and(|sido| expert.regions.contains(&sido));
    if !works_there {
        return Err(FitError::Region);
    }
    if expert.availability == Availability::Unavailable {
        return Err(FitError::Unavailable);
    }
    Ok(())
}

/// 결과 보고: what the consulting found and recommends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The (last) day it was held.
    pub held_on: Date,
    pub hours: u16,
    pub findings: String,
    pub recommendations: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("held on a day from the request to today")]
    HeldOn,
    #[error("1 to {MAX_HOURS} hours")]
    Hours,
    #[error("the findings, in 1 to {MAX_TEXT} characters")]
    Findings,
    #[error("the recommendations, in at most {MAX_TEXT} characters")]
    Recommendations,
}

impl ReportError {
    pub fn field(&self) -> &'static str {
        match self {
            ReportError::HeldOn => "held_on",
            ReportError::Hours => "hours",
            ReportError::Findings => "findings",
            ReportError::Recommendations => "recommendations",
        }
    }
}

impl Report {
    /// A report as typed on `today`, of a request made on `requested_on`.
    pub fn new(
        held_on: Date,
        hours: u16,
        findings: &str,
        recommendations: &str,
        requested_on: Date,
        today: Date,
    ) -> Result<Report, ReportError> {
        if held_on < requested_on || held_on > today {
            return Err(ReportError::HeldOn);
        }
        if hours == 0 || hours > MAX_HOURS {
            return Err(ReportError::Hours);
        }
        let findings = long_text(findings, MAX_TEXT)
            .filter(|f| !f.is_empty())
            .ok_or(ReportError::Findings)?;
        let recommendations =
            long_text(recommendations, MAX_TEXT).ok_or(ReportError::Recommendations)?;
        Ok(Report {
            held_on,
            hours,
            findings,
            recommendations,
        })
    }
}

/// A reason for withdrawing, 1 to [`MAX_REASON`] characters on one line.
pub fn withdrawal_reason(s: &str) -> Option<String> {
    line(s, MAX_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn expert(specialties: &[Specialty], regions: &[&str], a: Availability) -> Expert {
        Expert {
            name: "김하늘".into(),
            organisation: String::new(),
            specialties: specialties.to_vec(),
            regions: regions.iter().map(|r| code(r)).collect(),
            availability: a,
            email: "sky@example.org".into(),
            phone: String::new(),
            profile: String::new(),
        }
    }

    #[test]
    fn steps_follow_the_engagement() {
        use Status::*;
        assert_eq!(next(Requested, Step::Assign), Ok(Assigned));
        assert_eq!(next(Assigned, Step::Assign), Ok(Assigned));
        assert_eq!(next(Assigned, Step::Report), Ok(Reported));
        assert_eq!(next(Requested, Step::Report), Err(StepError(Requested)));
        assert_eq!(next(Requested, Step::Withdraw), Ok(Withdrawn));
        assert_eq!(next(Assigned, Step::Withdraw), Ok(Withdrawn));
        for step in [Step::Assign, Step::Report, Step::Withdraw] {
            assert_eq!(next(Reported, step), Err(StepError(Reported)));
            assert_eq!(next(Withdrawn, step), Err(StepError(Withdrawn)));
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn a_request_is_checked() {
        let place = code("1111051500");
        let today = date!(2026 - 11 - 27);
        let ok = Request::new(
            &place,
            " 주민총회 운영 ",
            Specialty::Facilitation,
            "분임 토의 진행을 돕는 분",
            Some(today),
            today,
        )
        .unwrap();
        assert_eq!(ok.title, "주민총회 운영");
        let err = |title: &str, needs: &str, wanted: Option<Date>, region: &RegionCode| {
            Request::new(region, title, Specialty::Welfare, needs, wanted, today).unwrap_err()
        };
        assert_eq!(err("", "x", None, &place), RequestError::Title);
        assert_eq!(
            err(&"가".repeat(101), "x", None, &place),
            RequestError::Title
        );
        assert_eq!(err("t", "  ", None, &place), RequestError::Needs);
        assert_eq!(
            err("t", &"가".repeat(4001), None, &place),
            RequestError::Needs
        );
        assert_eq!(
            err("t", "x", Some(date!(2026 - 11 - 26)), &place),
            RequestError::WantedBy
        );
        assert_eq!(
            err("t", "x", None, &RegionCode::nation()),
            RequestError::Level
        );
        assert!(
            Request::new(
                &code("4100000000"),
                "t",
                Specialty::Health,
                "x",
                None,
                today
            )
            .is_ok()
        );
    }

    #[test]
    fn an_expert_fits_by_specialty_region_and_availability() {
        let place = code("1111051500");
        let seoul = "1100000000";
        let e = expert(&[Specialty::Welfare], &[seoul], Availability::Limited);
        assert_eq!(fits(&e, Specialty::Welfare, &place), Ok(()));
        assert_eq!(
            fits(&e, Specialty::Health, &place),
            Err(FitError::Specialty)
        );
        assert_eq!(
            fits(&e, Specialty::Welfare, &code("4182025000")),
            Err(FitError::Region)
        );
        // A si/do asking is in its own si/do.
        assert_eq!(fits(&e, Specialty::Welfare, &code(seoul)), Ok(()));
        let everywhere = expert(&[Specialty::Welfare], &[], Availability::Available);
        assert_eq!(
            fits(&everywhere, Specialty::Welfare, &code("4182025000")),
            Ok(())
        );
        let off = expert(&[Specialty::Welfare], &[], Availability::Unavailable);
        assert_eq!(
            fits(&off, Specialty::Welfare, &place),
            Err(FitError::Unavailable)
        );
    }

    #[test]
    fn a_report_is_checked() {
        let asked = date!(2026 - 10 - 01);
        let today = date!(2026 - 11 - 27);
        let r = Report::new(today, 6, " 운영 진단 ", "", asked, today).unwrap();
        assert_eq!((r.hours, r.findings.as_str()), (6, "운영 진단"));
        let err = |held: Date, hours: u16, findings: &str, rec: &str| {
            Report::new(held, hours, findings, rec, asked, today).unwrap_err()
        };
        assert_eq!(err(date!(2026 - 09 - 30), 1, "f", ""), ReportError::HeldOn);
        assert_eq!(err(date!(2026 - 11 - 28), 1, "f", ""), ReportError::HeldOn);
        assert_eq!(err(asked, 0, "f", ""), ReportError::Hours);
        assert_eq!(err(asked, 201, "f", ""), ReportError::Hours);
        assert_eq!(err(asked, 200, "", ""), ReportError::Findings);
        assert_eq!(
            err(asked, 2, "f", &"가".repeat(4001)),
            ReportError::Recommendations
        );
    }

    #[test]
    fn a_withdrawal_gives_a_reason() {
        assert_eq!(
            withdrawal_reason(" 자체 해결 ").as_deref(),
            Some("자체 해결")
        );
        assert_eq!(withdrawal_reason(" "), None);
        assert_eq!(withdrawal_reason(&"가".repeat(201)), None);
    }
}
