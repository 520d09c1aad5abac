//! 지역사업 연계 — linking a local agenda to a ministry's programme: from a candidate programme
//! through consultation with the si/gun/gu, the application and its selection, to execution and
//! the final report. Each step is recorded with its date, who takes the next action, a note and
//! documents.

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest title, owner or document name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 5_000;
/// Largest document, in bytes (10 MiB: a scanned notice or an application form).
pub const MAX_DOCUMENT: usize = 10 * 1024 * 1024;
/// The highest amount requested, awarded or spent, in won.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Where a linkage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 후보 검토 — a programme that may fit, chosen by the council.
    Candidate,
    /// 시군구 협의 — consulting the si/gun/gu programme staff.
    Consultation,
    /// 신청 준비 — the application is being prepared.
    Preparing,
    /// 신청 완료 — submitted.
    Submitted,
    /// 선정 — selected for funding.
    Selected,
    /// 미선정 — not selected.
    NotSelected,
    /// 사업 실행 — the funded project is carried out.
    Executing,
    /// 결과 보고 — the final report is in.
    Reported,
    /// 중단 — given up.
    Dropped,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Candidate,
        Stage::Consultation,
        Stage::Preparing,
        Stage::Submitted,
        Stage::Selected,
        Stage::NotSelected,
        Stage::Executing,
        Stage::Reported,
        Stage::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Candidate => "candidate",
            Stage::Consultation => "consultation",
            Stage::Preparing => "preparing",
            Stage::Submitted => "submitted",
            Stage::Selected => "selected",
            Stage::NotSelected => "not_selected",
            Stage::Executing => "executing",
            Stage::Reported => "reported",
            Stage::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// The stages a linkage may move to from this one. Not selected, it may go back to
    /// consultation for the next call; until it is submitted it may be dropped.
    pub fn next(self) -> &'static [Stage] {
        match self {
            Stage::Candidate => &[Stage::Consultation, Stage::Dropped],
            Stage::Consultation => &[Stage::Preparing, Stage::Dropped],
            Stage::Preparing => &[Stage::Submitted, Stage::Dropped],
            Stage::Submitted => &[Stage::Selected, Stage::NotSelected],
            Stage::Selected => &[Stage::Executing, Stage::Dropped],
            Stage::NotSelected => &[Stage::Consultation, Stage::Dropped],
            Stage::Executing => &[Stage::Reported],
            Stage::Reported | Stage::Dropped => &[],
        }
    }

    /// Whether nothing more happens.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// What an amount given at this stage means: requested on submission, awarded on
    /// selection, spent in the report. Elsewhere no amount is taken.
    pub fn amount_kind(self) -> Option<AmountKind> {
        match self {
            Stage::Submitted => Some(AmountKind::Requested),
            Stage::Selected => Some(AmountKind::Awarded),
            Stage::Reported => Some(AmountKind::Spent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountKind {
    Requested,
    Awarded,
    Spent,
}

/// What is wrong with a linkage, a step or a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkageError {
    #[error("a title of 1 to {MAX_NAME} characters is needed")]
    Title,
    #[error("who takes the next step: 1 to {MAX_NAME} characters")]
    Owner,
    #[error("the note is at most {MAX_NOTE} characters")]
    Note,
    #[error("a linkage at {from:?} cannot move to {to:?}")]
    Transition { from: Stage, to: Stage },
    #[error("an amount in won from 0 to one trillion, only when submitting, selected or reporting")]
    Amount,
    #[error("the next deadline cannot be before the step")]
    Due,
    #[error("a document has a name of 1 to {MAX_NAME} characters and 1 byte to 10 MiB")]
    Document,
}

impl LinkageError {
    pub fn field(&self) -> &'static str {
        match self {
            LinkageError::Title => "title",
            LinkageError::Owner => "owner",
            LinkageError::Note => "note",
            LinkageError::Transition { .. } => "stage",
            LinkageError::Amount => "amount",
            LinkageError::Due => "due_on",
            LinkageError::Document => "name",
        }
    }
}

/// Trimmed, and within `max` characters as sent (so that the API's declared lengths hold).
fn bounded(s: &str, max: usize, allow_empty: bool) -> Option<String> {
    let trimmed = s.trim();
    ((allow_empty || !trimmed.is_empty()) && s.chars().count() <= max).then(|| trimmed.to_owned())
}

/// A linkage's title, checked.
pub fn title(s: &str) -> Result<String, LinkageError> {
    bounded(s, MAX_NAME, false).ok_or(LinkageError::Title)
}

/// Who takes the next action (a name and office, as people write it), checked.
pub fn owner(s: &str) -> Result<String, LinkageError> {
    bounded(s, MAX_NAME, false).ok_or(LinkageError::Owner)
}

/// 단계 기록 — one step of a linkage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub stage: Stage,
    /// The day it happened.
    pub on: Date,
    /// Who takes the next action.
    pub owner: String,
    pub note: String,
    /// The next deadline (e.g. the call's closing day).
    pub due_on: Option<Date>,
    /// Requested, awarded or spent, by the stage ([`Stage::amount_kind`]).
    pub amount: Option<i64>,
}

impl Step {
    /// A step from the linkage's current stage, checked.
    pub fn new(from: Stage, step: Step) -> Result<Step, LinkageError> {
        if !from.next().contains(&step.stage) {
            return Err(LinkageError::Transition {
                from,
                to: step.stage,
            });
        }
        let owner = owner(&step.owner)?;
        let note = bounded(&step.note, MAX_NOTE, true).ok_or(LinkageError::Note)?;
        if let Some(a) = step.amount
            && (step.stage.amount_kind().is_none() || !(0..=MAX_AMOUNT).contains(&a))
        {
            return Err(LinkageError::Amount);
        }
        if step.due_on.is_some_and(|d| d < step.on) {
            return Err(LinkageError::Due);
        }
        Ok(Step {
            owner,
            note,
            ..step
        })
    }
}

/// A document's name as shown and downloaded: the last part of whatever path the browser
/// sent, without control characters, checked with the size of its content.
pub fn document_name(name: &str, size: usize) -> Result<String, LinkageError> {
    if name.chars().count() > MAX_NAME {
        return Err(LinkageError::Document);
    }
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    match bounded(&clean, MAX_NAME, false) {
        Some(n) if (1..=MAX_DOCUMENT).contains(&size) => Ok(n),
        _ => Err(LinkageError::Document),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn step(stage: Stage) -> Step {
        Step {
            stage,
            on: date!(2027 - 03 - 02),
            owner: " 종로구 도시재생과 김담당 ".into(),
            note: "공모 요건 확인".into(),
            due_on: Some(date!(2027 - 04 - 30)),
            amount: None,
        }
    }

    #[test]
    fn a_linkage_moves_along_the_procedure_only() {
        let s = Step::new(Stage::Candidate, step(Stage::Consultation)).unwrap();
        assert_eq!(s.owner, "종로구 도시재생과 김담당");
        assert_eq!(
            Step::new(Stage::Candidate, step(Stage::Submitted)),
            Err(LinkageError::Transition {
                from: Stage::Candidate,
                to: Stage::Submitted
            })
        );
        // Not selected this year: back to consultation for the next call.
        assert!(Step::new(Stage::NotSelected, step(Stage::Consultation)).is_ok());
        assert!(Step::new(Stage::Submitted, step(Stage::Dropped)).is_err());
        assert!(Stage::Reported.is_final() && Stage::Dropped.is_final());
        // Every stage but the first is reachable.
        for s in Stage::ALL.into_iter().skip(1) {
            assert!(Stage::ALL.iter().any(|f| f.next().contains(&s)), "{s:?}");
        }
    }

    #[test]
    fn amounts_belong_to_submission_selection_and_report() {
        let mut submitted = step(Stage::Submitted);
        submitted.amount = Some(50_000_000);
        assert!(Step::new(Stage::Preparing, submitted.clone()).is_ok());
        let mut early = step(Stage::Preparing);
        early.amount = Some(1);
        assert_eq!(
            Step::new(Stage::Consultation, early),
            Err(LinkageError::Amount)
        );
        submitted.amount = Some(-1);
        assert_eq!(
            Step::new(Stage::Preparing, submitted),
            Err(LinkageError::Amount)
        );
        let mut late = step(Stage::Consultation);
        late.due_on = Some(date!(2027 - 03 - 01));
        assert_eq!(Step::new(Stage::Candidate, late), Err(LinkageError::Due));
        let mut nobody = step(Stage::Consultation);
        nobody.owner = " ".into();
        assert_eq!(
            Step::new(Stage::Candidate, nobody),
            Err(LinkageError::Owner)
        );
    }

    #[test]
    fn a_document_keeps_only_its_own_name() {
        assert_eq!(
            document_name("C:\\Users\\kim\\신청서.hwp", 10).unwrap(),
            "신청서.hwp"
        );
        assert_eq!(document_name("../../etc/passwd", 10).unwrap(), "passwd");
        assert_eq!(document_name("공고문.pdf", 0), Err(LinkageError::Document));
        assert_eq!(
            document_name("공고문.pdf", MAX_DOCUMENT + 1),
            Err(LinkageError::Document)
        );
        assert_eq!(document_name("dir/", 10), Err(LinkageError::Document));
    }
}
