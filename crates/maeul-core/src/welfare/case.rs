//! 통합사례관리 — integrated case management: the steps of a case, their deadlines, and which
//! level handles it (DESIGN.md §5; 희망복지지원단 통합사례관리 업무안내).

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::account::{Principal, Role};
use crate::region::RegionPath;

/// A step of a case, in the order the manual gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 초기상담·접수
    Intake,
    /// 욕구 및 위기도 조사
    Assessment,
    /// 사례회의
    Conference,
    /// 사례 분류 (일반 / 고난도)
    Classification,
    /// 서비스 계획 수립
    Plan,
    /// 서비스 제공 및 점검
    Monitoring,
    /// 종결
    Closure,
    /// 사후관리
    FollowUp,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Intake,
        Step::Assessment,
        Step::Conference,
        Step::Classification,
        Step::Plan,
        Step::Monitoring,
        Step::Closure,
        Step::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Intake => "intake",
            Step::Assessment => "assessment",
            Step::Conference => "conference",
            Step::Classification => "classification",
            Step::Plan => "plan",
            Step::Monitoring => "monitoring",
            Step::Closure => "closure",
            Step::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The steps that may be recorded after this one. A case may be closed at any point
    /// before closure (the person moves, refuses, no longer needs help); monitoring and
    /// follow-up repeat.
    pub fn may_follow(self) -> &'static [Step] {
        use Step::*;
        match self {
            Intake => &[Assessment, Closure],
            Assessment => &[Conference, Closure],
            Conference => &[Classification, Closure],
            Classification => &[Plan, Closure],
            Plan | Monitoring => &[Monitoring, Closure],
            Closure | FollowUp => &[FollowUp],
        }
    }

    /// Whether the case is still open after this step.
    pub fn open(self) -> bool {
        !matches!(self, Step::Closure | Step::FollowUp)
    }

    /// Whether the step is done with the person (a home or centre visit), so that recording it
    /// completes a planned visit of the case. A conference, a classification and a closure are
    /// decisions among staff: a visit planned for that day still has to be made.
    pub fn meets_person(self) -> bool {
        !matches!(
            self,
            Step::Conference | Step::Classification | Step::Closure
        )
    }
}

/// 사례 분류.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// 일반사례: handled by the eup/myeon/dong.
    General,
    /// 고난도사례: handled by the si/gun/gu case manager (희망복지지원단).
    HighDifficulty,
}

impl Classification {
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::General => "general",
            Classification::HighDifficulty => "high_difficulty",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Classification::General, Classification::HighDifficulty]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// 위기도.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crisis {
    High,
    Medium,
    Low,
}

impl Crisis {
    pub fn as_str(self) -> &'static str {
        match self {
            Crisis::High => "high",
            Crisis::Medium => "medium",
            Crisis::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Crisis::High, Crisis::Medium, Crisis::Low]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// 종결 사유.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// 목표 달성
    GoalAchieved,
    /// 욕구 해소·지원 불필요
    NoLongerNeeded,
    /// 대상자 거부
    Refused,
    /// 전출
    MovedAway,
    /// 사망
    Deceased,
    /// 타 기관 이관
    Transferred,
    Other,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 7] = [
        ClosureReason::GoalAchieved,
        ClosureReason::NoLongerNeeded,
        ClosureReason::Refused,
        ClosureReason::MovedAway,
        ClosureReason::Deceased,
        ClosureReason::Transferred,
        ClosureReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClosureReason::GoalAchieved => "goal_achieved",
            ClosureReason::NoLongerNeeded => "no_longer_needed",
            ClosureReason::Refused => "refused",
            ClosureReason::MovedAway => "moved_away",
            ClosureReason::Deceased => "deceased",
            ClosureReason::Transferred => "transferred",
            ClosureReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The configurable part: deadlines in days and the needs domains an assessment covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRules {
    /// Intake to assessment (≈10 days).
    pub assessment_days: i64,
    /// Assessment to classification, the case conference in between (≈5 days).
    pub classification_days: i64,
    /// Classification to service plan (≈15 days) …
    pub plan_days: i64,
    /// … and intake to plan at most (30 days).
    pub intake_to_plan_days: i64,
    /// Between monitoring visits while services are delivered.
    pub monitoring_days: i64,
    /// Closure to follow-up, and between follow-ups.
    pub follow_up_days: i64,
    /// Needs domains: code and Korean name, e.g. `["health", "건강"]`.
    pub needs_domains: Vec<(String, String)>,
}

impl Default for CaseRules {
    /// The manual's deadlines and its ten needs domains.
    fn default() -> Self {
        let domains = [
            ("safety", "안전"),
            ("health", "건강"),
            ("daily_living", "일상생활 유지"),
            ("family", "가족관계"),
            ("social", "사회적 관계"),
            ("economy", "경제"),
            ("education", "교육"),
            ("employment", "고용"),
            ("housing", "생활환경(주거)"),
            ("legal", "법률 및 권익보장"),
        ];
        CaseRules {
            assessment_days: 10,
            classification_days: 5,
            plan_days: 15,
            intake_to_plan_days: 30,
            monitoring_days: 30,
            follow_up_days: 90,
            needs_domains: domains
                .iter()
                .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("{0}")]
    Rules(String),
    #[error("unknown step")]
    Step,
    #[error("this step cannot follow the case's last step")]
    Order,
    #[error("the date is a date YYYY-MM-DD, not in the future and not before the last step")]
    Date,
    #[error("an assessment names at least one known needs domain and a crisis level")]
    Assessment,
    #[error("a classification is general or high_difficulty")]
    Classification,
    #[error("a closure gives its reason")]
    ClosureReason,
    #[error("a note has at most 4,000 characters")]
    Note,
}

impl CaseError {
    /// The input field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            CaseError::Rules(_) => "rules",
            CaseError::Step | CaseError::Order => "step",
            CaseError::Date => "done_on",
            CaseError::Assessment => "needs",
            CaseError::Classification => "classification",
            CaseError::ClosureReason => "closure_reason",
            CaseError::Note => "note",
        }
    }
}

impl CaseRules {
    /// Reads rules from TOML; every deadline must be positive and the plan's own deadline
    /// cannot lie beyond the intake-to-plan limit's reach.
    pub fn parse(text: &str) -> Result<Self, CaseError> {
        let rules: CaseRules =
            toml::from_str(text).map_err(|e| CaseError::Rules(e.message().to_owned()))?;
        let days = [
            rules.assessment_days,
            rules.classification_days,
            rules.plan_days,
            rules.intake_to_plan_days,
            rules.monitoring_days,
            rules.follow_up_days,
        ];
        if days.iter().any(|d| !(1..=3650).contains(d)) {
            return Err(CaseError::Rules("deadlines are 1 to 3,650 days".into()));
        }
        if rules.needs_domains.is_empty() {
            return Err(CaseError::Rules("name at least one needs domain".into()));
        }
        Ok(rules)
    }

    /// The rules as a TOML file that [`CaseRules::parse`] reads back.
    pub fn to_toml(&self) -> String {
        let domains: Vec<String> = self
            .needs_domains
            .iter()
            .map(|(code, name)| format!("[{code:?}, {name:?}]"))
            .collect();
        format!(
            "assessment_days = {}\nclassification_days = {}\nplan_days = {}\nintake_to_plan_days = {}\n\
             monitoring_days = {}\nfollow_up_days = {}\nneeds_domains = [{}]\n",
            self.assessment_days,
            self.classification_days,
            self.plan_days,
            self.intake_to_plan_days,
            self.monitoring_days,
            self.follow_up_days,
            domains.join(", ")
        )
    }

    /// The next step due after `last` (done on `done_on`) in a case opened on `opened_on`,
    /// with its deadline. Nothing is due after a follow-up that ends the case's watch.
    pub fn next_due(&self, opened_on: Date, last: Step, done_on: Date) -> (Step, Date) {
        let days = Duration::days;
        match last {
            Step::Intake => (Step::Assessment, opened_on + days(self.assessment_days)),
            // The conference takes place within the classification's window.
            Step::Assessment => (Step::Conference, done_on + days(self.classification_days)),
            Step::Conference => (
                Step::Classification,
                done_on + days(self.classification_days),
            ),
            Step::Classification => (
                Step::Plan,
                (done_on + days(self.plan_days)).min(opened_on + days(self.intake_to_plan_days)),
            ),
            Step::Plan | Step::Monitoring => {
                (Step::Monitoring, done_on + days(self.monitoring_days))
            }
            Step::Closure | Step::FollowUp => (Step::FollowUp, done_on + days(self.follow_up_days)),
        }
    }
}

/// Whether a user may see a case of the place at `path`: the welfare staff of the place and the
/// case managers of its si/gun/gu always; its nurses only when the case is assigned to them.
pub fn may_see(user: &Principal, path: &RegionPath, assigned_to: Option<i64>) -> bool {
    user.grants.iter().any(|g| {
        path.within(&g.scope)
            && match g.role {
                Role::WelfareStaff | Role::CaseManager => true,
                Role::Nurse => assigned_to == Some(user.user_id),
                _ => false,
            }
    })
}

/// A step as recorded, checked against the case's last step and the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub step: Step,
    pub done_on: Date,
    /// Assessment: the needs domains found.
    pub needs: Vec<String>,
    pub crisis: Option<Crisis>,
    pub classification: Option<Classification>,
    pub closure_reason: Option<ClosureReason>,
    pub note: Option<String>,
}

/// The raw fields of a step, as a form or a JSON body gives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepInput {
    pub step: String,
    pub done_on: String,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub crisis: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    #[serde(default)]
    pub closure_reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl StepRecord {
    /// Checks a step against the case: it must be allowed after `last` (done on
    /// `last_done_on`), dated between that day and today, and carry what its kind needs.
    pub fn new(
        input: &StepInput,
        rules: &CaseRules,
        last: Step,
        last_done_on: Date,
        today: Date,
    ) -> Result<Self, CaseError> {
        let step = Step::parse(input.step.trim()).ok_or(CaseError::Step)?;
        if !last.may_follow().contains(&step) {
            return Err(CaseError::Order);
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let done_on = Date::parse(input.done_on.trim(), &format).map_err(|_| CaseError::Date)?;
        if done_on > today || done_on < last_done_on {
            return Err(CaseError::Date);
        }
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut record = StepRecord {
            step,
            done_on,
            needs: Vec::new(),
            crisis: None,
            classification: None,
            closure_reason: None,
            note: blank(&input.note),
        };
        if record
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > 4000)
        {
            return Err(CaseError::Note);
        }
        match step {
            Step::Assessment => {
                let mut needs: Vec<String> = input
                    .needs
                    .iter()
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .collect();
                needs.sort();
                needs.dedup();
                let known = |n: &String| rules.needs_domains.iter().any(|(c, _)| c == n);
                record.crisis = blank(&input.crisis).and_then(|c| Crisis::parse(&c));
                if needs.is_empty() || !needs.iter().all(known) || record.crisis.is_none() {
                    return Err(CaseError::Assessment);
                }
                record.needs = needs;
            }
            Step::Classification => {
                record.classification = Some(
                    blank(&input.classification)
                        .and_then(|c| Classification::parse(&c))
                        .ok_or(CaseError::Classification)?,
                );
            }
            Step::Closure => {
                record.closure_reason = Some(
                    blank(&input.closure_reason)
                        .and_then(|c| ClosureReason::parse(&c))
                        .ok_or(CaseError::ClosureReason)?,
                );
            }
            _ => {}
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(step: &str, day: &str) -> StepInput {
        StepInput {
            step: step.into(),
            done_on: day.into(),
            ..StepInput::default()
        }
    }

    #[test]
    fn only_steps_done_with_the_person_count_as_a_visit() {
        let meeting: Vec<Step> = Step::ALL.into_iter().filter(|s| s.meets_person()).collect();
        assert_eq!(
            meeting,
            [
                Step::Intake,
                Step::Assessment,
                Step::Plan,
                Step::Monitoring,
                Step::FollowUp
            ]
        );
    }

    #[test]
    fn deadlines_follow_the_manual_and_the_plan_keeps_the_thirty_day_limit() {
        let rules = CaseRules::default();
        let opened = date!(2026 - 11 - 02);
        assert_eq!(
            rules.next_due(opened, Step::Intake, opened),
            (Step::Assessment, date!(2026 - 11 - 12))
        );
        assert_eq!(
            rules.next_due(opened, Step::Assessment, date!(2026 - 11 - 10)),
            (Step::Conference, date!(2026 - 11 - 15))
        );
        // Classified on day 12: plan due on day 27, within the 30 days.
        assert_eq!(
            rules.next_due(opened, Step::Classification, date!(2026 - 11 - 14)),
            (Step::Plan, date!(2026 - 11 - 29))
        );
        // Classified late, on day 25: 15 more days would pass day 30, so day 30 holds.
        assert_eq!(
            rules.next_due(opened, Step::Classification, date!(2026 - 11 - 27)),
            (Step::Plan, date!(2026 - 12 - 02))
        );
        assert_eq!(
            rules
                .next_due(opened, Step::Closure, date!(2026 - 12 - 20))
                .0,
            Step::FollowUp
        );
    }

    #[test]
    fn steps_come_in_order_and_a_case_can_close_at_any_point() {
        let rules = CaseRules::default();
        let day = date!(2026 - 11 - 10);
        let today = date!(2026 - 11 - 25);
        let plan = StepRecord::new(
            &input("plan", "2026-11-20"),
            &rules,
            Step::Intake,
            day,
            today,
        );
        assert_eq!(plan, Err(CaseError::Order));
        let mut close = input("closure", "2026-11-20");
        assert_eq!(
            StepRecord::new(&close, &rules, Step::Intake, day, today),
            Err(CaseError::ClosureReason)
        );
        close.closure_reason = Some("moved_away".into());
        let closed = StepRecord::new(&close, &rules, Step::Intake, day, today).unwrap();
        assert_eq!(closed.closure_reason, Some(ClosureReason::MovedAway));
        assert!(!Step::Closure.open());
        assert_eq!(
            StepRecord::new(
                &input("monitoring", "2026-11-20"),
                &rules,
                Step::Closure,
                day,
                today
            ),
            Err(CaseError::Order)
        );
    }

    #[test]
    fn an_assessment_needs_known_domains_and_a_crisis_level() {
        let rules = CaseRules::default();
        let (day, today) = (date!(2026 - 11 - 02), date!(2026 - 11 - 25));
        let mut a = input("assessment", "2026-11-09");
        a.needs = vec!["health".into(), "housing".into(), "health".into()];
        assert_eq!(
            StepRecord::new(&a, &rules, Step::Intake, day, today),
            Err(CaseError::Assessment)
        );
        a.crisis = Some("high".into());
        let ok = StepRecord::new(&a, &rules, Step::Intake, day, today).unwrap();
        assert_eq!(ok.needs, ["health", "housing"]);
        a.needs = vec!["astrology".into()];
        assert_eq!(
            StepRecord::new(&a, &rules, Step::Intake, day, today),
            Err(CaseError::Assessment)
        );
    }

    #[test]
    fn dates_lie_between_the_last_step_and_today() {
        let rules = CaseRules::default();
        let (day, today) = (date!(2026 - 11 - 10), date!(2026 - 11 - 25));
        for bad in ["2026-11-09", "2026-11-26", "2026-02-30", "soon"] {
            let mut a = input("conference", bad);
            a.note = Some("회의".into());
            assert_eq!(
                StepRecord::new(&a, &rules, Step::Assessment, day, today),
                Err(CaseError::Date),
                "{bad}"
            );
        }
    }

    #[test]
    fn rules_read_from_toml_and_refuse_nonsense() {
        let text = r#"
assessment_days = 7
classification_days = 5
plan_days = 15
intake_to_plan_days = 30
monitoring_days = 30
follow_up_days = 90
needs_domains = [["health", "건강"], ["housing", "주거"]]
"#;
        let rules = CaseRules::parse(text).unwrap();
        assert_eq!(rules.assessment_days, 7);
        assert_eq!(rules.needs_domains.len(), 2);
        assert!(CaseRules::parse(&text.replace("= 7", "= 0")).is_err());
        assert!(CaseRules::parse("assessment_days = 1").is_err());
        assert_eq!(
            CaseRules::parse(&CaseRules::default().to_toml()).unwrap(),
            CaseRules::default()
        );
    }

    #[test]
    fn nurses_see_only_the_cases_assigned_to_them() {
        use crate::account::Grant;
        use crate::region::RegionCode;
        let user = |role, scope: &str| Principal {
            user_id: 7,
            login: "u".into(),
            name: "u".into(),
            grants: vec![Grant::new(role, RegionCode::parse(scope).unwrap()).unwrap()],
        };
        let path = RegionPath::parse("1100000000/1111000000/1111051500").unwrap();
        assert!(may_see(
            &user(Role::WelfareStaff, "1111051500"),
            &path,
            None
        ));
        assert!(may_see(&user(Role::CaseManager, "1111000000"), &path, None));
        assert!(!may_see(
            &user(Role::CaseManager, "1114000000"),
            &path,
            None
        ));
        assert!(!may_see(&user(Role::Nurse, "1111051500"), &path, Some(8)));
        assert!(may_see(&user(Role::Nurse, "1111051500"), &path, Some(7)));
        assert!(!may_see(
            &user(Role::ProgrammeStaff, "1111000000"),
            &path,
            Some(7)
        ));
    }
}
