//! 추진협의회 — the programme's promotion council of a local government: its members (the
//! si/gun/gu and eup/myeon/dong departments, the resident autonomy council, local organisations),
//! its meetings and what they decided (seed §3: "(구성) 시·군·구, 읍·면·동 담당부서, 주민자치회, 지역 내
//! 사업 관련 단체·기관; (역할) 사업 지원방안(조례제정, 자치단체 실시계획 등), 지역자원과 주민사업 연계방안 등 논의").
//! At the nation the same shape serves the national public-private council (민관 협의기구, seed
//! §4: "전국 단위 주민자치 연관 민간단체와 함께 협의기구 운영"): ministries and national
//! organisations.

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest name or organisation, and longest title, in characters.
pub const MAX_NAME: usize = 100;
/// Longest minutes or decision, in characters.
pub const MAX_TEXT: usize = 20_000;
/// Most decisions one meeting records.
pub const MAX_DECISIONS: usize = 20;

/// Whom a member speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Affiliation {
    /// 시·군·구 담당부서.
    SigunguDepartment,
    /// 읍·면·동 담당부서.
    EmdDepartment,
    /// 주민자치회.
    ResidentCouncil,
    /// 지역 내 사업 관련 단체·기관.
    LocalOrganisation,
    /// 중앙부처·공공기관 (the national council's public side).
    Ministry,
    /// 전국 단위 민간단체 (the national council's private side).
    NationalOrganisation,
    /// 전문가 등 그 밖의 위원.
    Other,
}

impl Affiliation {
    pub const ALL: [Affiliation; 7] = [
        Affiliation::SigunguDepartment,
        Affiliation::EmdDepartment,
        Affiliation::ResidentCouncil,
        Affiliation::LocalOrganisation,
        Affiliation::Ministry,
        Affiliation::NationalOrganisation,
        Affiliation::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Affiliation::SigunguDepartment => "sigungu_department",
            Affiliation::EmdDepartment => "emd_department",
            Affiliation::ResidentCouncil => "resident_council",
            Affiliation::LocalOrganisation => "local_organisation",
            Affiliation::Ministry => "ministry",
            Affiliation::NationalOrganisation => "national_organisation",
            Affiliation::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What a meeting decided about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 조례 제정·개정.
    Ordinance,
    /// 자치단체 실시계획.
    ImplementationPlan,
    /// 지역자원과 주민사업 연계.
    ResourceLinkage,
    Other,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Ordinance,
        DecisionKind::ImplementationPlan,
        DecisionKind::ResourceLinkage,
        DecisionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Ordinance => "ordinance",
            DecisionKind::ImplementationPlan => "implementation_plan",
            DecisionKind::ResourceLinkage => "resource_linkage",
            DecisionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A member of the council.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub affiliation: Affiliation,
    /// The department, council or organisation they come from.
    pub organisation: String,
    pub chair: bool,
    pub joined_on: Date,
}

/// A decision of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub kind: DecisionKind,
    pub summary: String,
}

/// A meeting of the council with what it decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub title: String,
    pub held_on: Date,
    pub attended: u32,
    pub minutes: String,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouncilError {
    #[error("a {field} of 1 to {MAX_NAME} characters without control characters")]
    Name { field: &'static str },
    #[error("minutes and decisions are at most {MAX_TEXT} characters")]
    Text { field: &'static str },
    #[error("a decision needs its summary")]
    EmptyDecision,
    #[error("at most {MAX_DECISIONS} decisions a meeting")]
    TooManyDecisions,
    #[error("attendance is 1 to 500")]
    Attendance,
}

impl CouncilError {
    pub fn field(&self) -> &'static str {
        match self {
            CouncilError::Name { field } | CouncilError::Text { field } => field,
            CouncilError::EmptyDecision | CouncilError::TooManyDecisions => "decisions",
            CouncilError::Attendance => "attended",
        }
    }
}

fn name(field: &'static str, s: &str) -> Result<String, CouncilError> {
    crate::text::line(s, MAX_NAME).ok_or(CouncilError::Name { field })
}

fn text(field: &'static str, s: &str) -> Result<String, CouncilError> {
    crate::text::long_text(s, MAX_TEXT).ok_or(CouncilError::Text { field })
}

impl Member {
    pub fn new(
        name_: &str,
        affiliation: Affiliation,
        organisation: &str,
        chair: bool,
        joined_on: Date,
    ) -> Result<Member, CouncilError> {
        Ok(Member {
            name: name("name", name_)?,
            affiliation,
            organisation: name("organisation", organisation)?,
            chair,
            joined_on,
        })
    }
}

impl Meeting {
    pub fn new(
        title: &str,
        held_on: Date,
        attended: u32,
        minutes: &str,
        decisions: Vec<(DecisionKind, String)>,
    ) -> Result<Meeting, CouncilError> {
        if !(1..=500).contains(&attended) {
            return Err(CouncilError::Attendance);
        }
        if decisions.len() > MAX_DECISIONS {
            return Err(CouncilError::TooManyDecisions);
        }
        let decisions = decisions
            .into_iter()
            .map(|(kind, summary)| {
                let summary = text("decisions", &summary)?;
                if summary.is_empty() {
                    return Err(CouncilError::EmptyDecision);
                }
                Ok(Decision { kind, summary })
            })
            .collect::<Result<_, _>>()?;
        Ok(Meeting {
            title: name("title", title)?,
            held_on,
            attended,
            minutes: text("minutes", minutes)?,
            decisions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn members_and_meetings_are_checked_when_made() {
        let day = date!(2020 - 03 - 02);
        let m = Member::new(
            " 윤총괄 ",
            Affiliation::SigunguDepartment,
            "자치행정과",
            true,
            day,
        )
        .unwrap();
        assert_eq!(m.name, "윤총괄");
        assert_eq!(
            Member::new(" ", Affiliation::Other, "x", false, day),
            Err(CouncilError::Name { field: "name" })
        );
        assert_eq!(
            Member::new("김", Affiliation::Other, "a\u{0}b", false, day)
                .unwrap_err()
                .field(),
            "organisation"
        );
        let ok = Meeting::new(
            "제1차 추진협의회",
            day,
            12,
            "실시계획 심의\n자원 연계",
            vec![(
                DecisionKind::ImplementationPlan,
                "2020년 실시계획 확정".into(),
            )],
        )
        .unwrap();
        assert_eq!(ok.decisions.len(), 1);
        assert_eq!(
            Meeting::new("회의", day, 0, "", vec![]).unwrap_err(),
            CouncilError::Attendance
        );
        assert_eq!(
            Meeting::new("회의", day, 3, "", vec![(DecisionKind::Other, " ".into())]).unwrap_err(),
            CouncilError::EmptyDecision
        );
        assert_eq!(
            Meeting::new(
                "회의",
                day,
                3,
                "",
                vec![(DecisionKind::Other, "x".into()); 21]
            )
            .unwrap_err(),
            CouncilError::TooManyDecisions
        );
        assert_eq!(
            Meeting::new("회의", day, 3, &"가".repeat(20_001), vec![])
                .unwrap_err()
                .field(),
            "minutes"
        );
    }

    #[test]
    fn codes_round_trip() {
        for a in Affiliation::ALL {
            assert_eq!(Affiliation::parse(a.as_str()), Some(a));
        }
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.as_str()), Some(k));
        }
    }
}
