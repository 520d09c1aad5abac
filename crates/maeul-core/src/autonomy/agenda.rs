//! 의제 — agenda items: residents propose local issues, other residents support them once
//! each, and a ladder of support thresholds set by the council moves an item to subcommittee
//! review and then obliges the council to answer it in public. Moderation hides an item with
//! a recorded reason.

use serde::{Deserialize, Serialize};

pub use crate::topic::Topic;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest body or answer, in characters.
pub const MAX_TEXT: usize = 5_000;
/// The highest rough cost accepted, in won (one trillion).
pub const MAX_COST: i64 = 1_000_000_000_000;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 공감 모으는 중 — gathering support.
    Open,
    /// 분과 검토 — enough support for the council's subcommittee to review it.
    Review,
    /// 답변 대기 — enough support that the council owes a public answer.
    AnswerDue,
    /// 답변 완료 — the council has answered in public.
    Answered,
    /// 숨김 — hidden by moderation, with its reason.
    Hidden,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Review,
        Status::AnswerDue,
        Status::Answered,
        Status::Hidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Review => "review",
            Status::AnswerDue => "answer_due",
            Status::Answered => "answered",
            Status::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// 공감 기준 — the council's ladder: supports that send an item to subcommittee review, and
/// supports that oblige a public answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    pub review: u32,
    pub answer: u32,
}

impl Default for Ladder {
    /// 20 supports for review and 50 for a public answer, until a council sets its own.
    fn default() -> Self {
        Ladder {
            review: 20,
            answer: 50,
        }
    }
}

/// What is wrong with a proposal, a ladder, an answer or a moderation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaError {
    #[error("a title of 1 to {MAX_TITLE} characters is needed")]
    Title,
    #[error("the text is 1 to {MAX_TEXT} characters")]
    Text { field: &'static str },
    #[error("the rough cost is an amount in won from 0")]
    Cost,
    #[error("the thresholds are 1 to 100,000 supports, review at most the answer's")]
    Ladder,
}

impl AgendaError {
    pub fn field(&self) -> &'static str {
        match self {
            AgendaError::Title => "title",
            AgendaError::Text { field } => field,
            AgendaError::Cost => "rough_cost",
            AgendaError::Ladder => "review",
        }
    }
}

impl Ladder {
    pub fn new(review: u32, answer: u32) -> Result<Ladder, AgendaError> {
        if review == 0 || answer > 100_000 || review > answer {
            return Err(AgendaError::Ladder);
        }
        Ok(Ladder { review, answer })
    }

    /// The status an item reaches with `supports`, from `current` (an answered or hidden
    /// item stays where it is; the ladder only moves items up).
    pub fn climb(&self, current: Status, supports: u32) -> Status {
        let reached = if supports >= self.answer {
            Status::AnswerDue
        } else if supports >= self.review {
            Status::Review
        } else {
            Status::Open
        };
        match (current, reached) {
            (Status::Answered | Status::Hidden, _) => current,
            (Status::AnswerDue, _) => Status::AnswerDue,
            (Status::Review, Status::Open) => Status::Review,
            (_, r) => r,
        }
    }
}

/// 의제 제안 — a proposal, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub title: String,
    pub body: String,
    pub topic: Topic,
    /// 대략의 비용 (원), when the proposer has an idea of it.
    pub rough_cost: Option<i64>,
}

/// A text trimmed and within bounds, or the error naming `field`.
pub fn text(s: &str, field: &'static str) -> Result<String, AgendaError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_TEXT {
        return Err(AgendaError::Text { field });
    }
    Ok(s.to_owned())
}

impl Proposal {
    pub fn new(p: Proposal) -> Result<Proposal, AgendaError> {
        let title = p.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(AgendaError::Title);
        }
        if p.rough_cost.is_some_and(|c| !(0..=MAX_COST).contains(&c)) {
            return Err(AgendaError::Cost);
        }
        Ok(Proposal {
            title: title.to_owned(),
            body: text(&p.body, "body")?,
            ..p
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_moves_items_up_and_never_down() {
        let l = Ladder::new(3, 5).unwrap();
        assert_eq!(l.climb(Status::Open, 2), Status::Open);
        assert_eq!(l.climb(Status::Open, 3), Status::Review);
        assert_eq!(l.climb(Status::Review, 5), Status::AnswerDue);
        assert_eq!(l.climb(Status::Open, 9), Status::AnswerDue);
        // A council that raises its thresholds does not send reviewed items back.
        assert_eq!(l.climb(Status::Review, 1), Status::Review);
        assert_eq!(l.climb(Status::Answered, 9), Status::Answered);
        assert_eq!(l.climb(Status::Hidden, 9), Status::Hidden);
        assert_eq!(Ladder::new(6, 5), Err(AgendaError::Ladder));
        assert_eq!(Ladder::new(0, 5), Err(AgendaError::Ladder));
    }

    #[test]
    fn a_proposal_needs_a_title_and_a_body() {
        let p = Proposal {
            title: "  경로당 앞 횡단보도  ".into(),
            body: "어르신들이 건너기 위험합니다.".into(),
            topic: Topic::Safety,
            rough_cost: Some(3_000_000),
        };
        assert_eq!(
            Proposal::new(p.clone()).unwrap().title,
            "경로당 앞 횡단보도"
        );
        let no_body = Proposal {
            body: " ".into(),
            ..p.clone()
        };
        assert_eq!(Proposal::new(no_body).unwrap_err().field(), "body");
        let cost = Proposal {
            rough_cost: Some(-1),
            ..p
        };
        assert_eq!(Proposal::new(cost), Err(AgendaError::Cost));
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
    }
}
