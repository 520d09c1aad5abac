//! 우수사례 — good practice: what a place did about a local problem, written up by its council
//! or staff, reviewed by the ministry and published for other places to learn from, linked to
//! the programme and the agenda or plan item it grew from.

use serde::{Deserialize, Serialize};

use crate::autonomy::plan::{MAX_TEXT, MAX_TITLE};
use crate::topic::Topic;

/// Longest summary, in characters: what a search result shows.
pub const MAX_SUMMARY: usize = 500;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 심사 대기 — submitted, waiting for the ministry's review.
    Submitted,
    /// 보완 요청 — returned with a note; the place revises and submits again.
    Returned,
    /// 공개 — published in the library.
    Published,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Submitted, Status::Returned, Status::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Where a review leaves a case: a submitted case is published or returned; a published one
    /// can be taken down (returned) when it turns out wrong; nothing else is reviewed.
    pub fn reviewed(self, decision: Decision) -> Result<Status, PracticeError> {
        match (self, decision) {
            (Status::Submitted, Decision::Publish) => Ok(Status::Published),
            (Status::Submitted | Status::Published, Decision::Return) => Ok(Status::Returned),
            _ => Err(PracticeError::NotUnderReview),
        }
    }

    /// Whether the place may still revise the case: not once it is published (it would change
    /// what was reviewed); the ministry returns it first.
    pub fn revisable(self) -> bool {
        self != Status::Published
    }
}

/// The ministry's decision on a submitted case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 공개.
    Publish,
    /// 보완 요청 (or taking a published case down).
    Return,
}

impl Decision {
    pub const ALL: [Decision; 2] = [Decision::Publish, Decision::Return];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Publish => "publish",
            Decision::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PracticeError {
    #[error("a title of 1 to {MAX_TITLE} characters is needed")]
    Title,
    #[error("a summary of 1 to {MAX_SUMMARY} characters is needed")]
    Summary,
    #[error("the account of what was done has 1 to {MAX_TEXT} characters")]
    Body,
    #[error("the text is at most {MAX_TEXT} characters")]
    Text { field: &'static str },
    #[error("a case is reviewed while it waits for review (or, to take it down, once published)")]
    NotUnderReview,
    #[error("a case returned for revision says why")]
    NoteNeeded,
}

impl PracticeError {
    pub fn field(&self) -> &'static str {
        match self {
            PracticeError::Title => "title",
            PracticeError::Summary => "summary",
            PracticeError::Body => "body",
            PracticeError::Text { field } => field,
            PracticeError::NotUnderReview => "decision",
            PracticeError::NoteNeeded => "note",
        }
    }
}

fn bounded(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && s.chars().count() <= max).then(|| t.to_owned())
}

/// 우수사례 — a case as the place writes it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub title: String,
    /// 분야 — the problem it addressed.
    pub topic: Topic,
    /// One paragraph: what a search result shows.
    pub summary: String,
    /// 추진 과정 — what was done, by whom, how.
    pub body: String,
    /// 성과와 교훈 — what came of it and what others should know.
    pub results: String,
    /// The catalogue programme that funded or inspired it.
    pub programme_id: Option<i64>,
    /// The agenda item it grew from (of the place).
    pub agenda_item_id: Option<i64>,
    /// The autonomy-plan item it carried out (of the place).
    pub plan_item_id: Option<i64>,
}

impl Practice {
    pub fn new(p: Practice) -> Result<Practice, PracticeError> {
        let title = bounded(&p.title, MAX_TITLE).ok_or(PracticeError::Title)?;
        let summary = bounded(&p.summary, MAX_SUMMARY).ok_or(PracticeError::Summary)?;
        let body = bounded(&p.body, MAX_TEXT).ok_or(PracticeError::Body)?;
        if p.results.chars().count() > MAX_TEXT {
            return Err(PracticeError::Text { field: "results" });
        }
        Ok(Practice {
            title,
            summary,
            body,
            results: p.results.trim().to_owned(),
            ..p
        })
    }
}

/// A review: the decision and, when returned, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub decision: Decision,
    pub note: String,
}

impl Review {
    pub fn new(decision: Decision, note: &str) -> Result<Review, PracticeError> {
        if note.chars().count() > MAX_TEXT {
            return Err(PracticeError::Text { field: "note" });
        }
        let note = note.trim().to_owned();
        if decision == Decision::Return && note.is_empty() {
            return Err(PracticeError::NoteNeeded);
        }
        Ok(Review { decision, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice() -> Practice {
        Practice {
            title: " 빈집을 고쳐 만든 마을 사랑방 ".into(),
            topic: Topic::Housing,
            summary: "주민총회에서 정한 빈집 정비를 도시재생 사업과 이어 사랑방으로 만들었습니다."
                .into(),
            body: "분과가 빈집을 조사하고 …".into(),
            results: String::new(),
            programme_id: None,
            agenda_item_id: None,
            plan_item_id: None,
        }
    }

    #[test]
    fn a_case_has_a_title_a_summary_and_an_account() {
        assert_eq!(
            Practice::new(practice()).unwrap().title,
            "빈집을 고쳐 만든 마을 사랑방"
        );
        let no_summary = Practice {
            summary: " ".into(),
            ..practice()
        };
        assert_eq!(Practice::new(no_summary), Err(PracticeError::Summary));
        let long = Practice {
            summary: "가".repeat(MAX_SUMMARY + 1),
            ..practice()
        };
        assert_eq!(Practice::new(long).unwrap_err().field(), "summary");
        let empty = Practice {
            body: String::new(),
            ..practice()
        };
        assert_eq!(Practice::new(empty).unwrap_err().field(), "body");
    }

    #[test]
    fn a_review_publishes_or_returns_with_a_reason() {
        use Decision::*;
        use Status::*;
        assert_eq!(Submitted.reviewed(Publish), Ok(Published));
        assert_eq!(Submitted.reviewed(Return), Ok(Returned));
        assert_eq!(Published.reviewed(Return), Ok(Returned), "taken down");
        assert_eq!(
            Published.reviewed(Publish),
            Err(PracticeError::NotUnderReview)
        );
        assert_eq!(
            Returned.reviewed(Publish),
            Err(PracticeError::NotUnderReview)
        );
        assert!(Returned.revisable() && Submitted.revisable() && !Published.revisable());
        assert_eq!(Review::new(Return, " "), Err(PracticeError::NoteNeeded));
        assert!(Review::new(Publish, "").is_ok());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
    }
}
