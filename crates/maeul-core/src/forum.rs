//! 공론장 — forums and public deliberation: a local government (or the ministry) holds a forum,
//! a debate, a roundtable or a deliberative poll on a local question; anyone reads it, signed-in
//! people sign up while places are left, and afterwards the organisers record how many came,
//! what was discussed and what was proposed (which can become agenda items).

use serde::{Deserialize, Serialize};
use time::{Date, PrimitiveDateTime, Time};

use crate::text::{line, long_text, optional_line};

/// Longest title or venue, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest topic, summary or proposals, in characters.
pub const MAX_TEXT: usize = 8000;
/// Most places one event offers.
pub const MAX_CAPACITY: u32 = 10_000;
/// Most people one event records as attending.
pub const MAX_ATTENDANCE: u32 = 100_000;

/// The form of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 포럼: talks and discussion.
    Forum,
    /// 토론회: a debate between views.
    Debate,
    /// 원탁회의: residents at tables, each table reporting.
    Roundtable,
    /// 공론조사·숙의토론: informed deliberation, opinions asked before and after.
    Deliberation,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Forum,
        Kind::Debate,
        Kind::Roundtable,
        Kind::Deliberation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Forum => "forum",
            Kind::Debate => "debate",
            Kind::Roundtable => "roundtable",
            Kind::Deliberation => "deliberation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An event as announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forum {
    pub title: String,
    pub kind: Kind,
    /// 주제와 진행 방식.
    pub topic: String,
    pub held_on: Date,
    /// Local (Korean) time it starts.
    pub starts_at: Time,
    pub venue: String,
    /// Places to sign up for; `None`: no sign-up limit.
    pub capacity: Option<u32>,
    /// 지원 기관: who supports it (the ministry's direct support, a foundation), if anyone.
    pub supported_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForumError {
    #[error("a title of 1 to {MAX_TITLE} characters")]
    Title,
    #[error("the topic, in 1 to {MAX_TEXT} characters")]
    Topic,
    #[error("a venue of 1 to {MAX_TITLE} characters")]
    Venue,
    #[error("places from 1 to {MAX_CAPACITY}, or none for no limit")]
    Capacity,
    #[error("a supporter of at most {MAX_TITLE} characters")]
    SupportedBy,
}

impl ForumError {
    pub fn field(&self) -> &'static str {
        match self {
            ForumError::Title => "title",
            ForumError::Topic => "topic",
            ForumError::Venue => "venue",
            ForumError::Capacity => "capacity",
            ForumError::SupportedBy => "supported_by",
        }
    }
}

impl Forum {
    /// An event as typed (one already held can be recorded too).
    pub fn new(f: Forum) -> Result<Forum, ForumError> {
        Ok(Forum {
            title: line(&f.title, MAX_TITLE).ok_or(ForumError::Title)?,
            kind: f.kind,
            topic: long_text(&f.topic, MAX_TEXT)
                .filter(|t| !t.is_empty())
                .ok_or(ForumError::Topic)?,
            held_on: f.held_on,
            starts_at: f.starts_at,
            venue: line(&f.venue, MAX_TITLE).ok_or(ForumError::Venue)?,
            capacity: match f.capacity {
                Some(n) if n == 0 || n > MAX_CAPACITY => return Err(ForumError::Capacity),
                c => c,
            },
            supported_by: optional_line(&f.supported_by, MAX_TITLE)
                .ok_or(ForumError::SupportedBy)?,
        })
    }

    /// When it starts, in local time.
    pub fn starts(&self) -> PrimitiveDateTime {
        PrimitiveDateTime::new(self.held_on, self.starts_at)
    }

    /// Whether it has started at `now` (local time).
    pub fn started(&self, now: PrimitiveDateTime) -> bool {
        now >= self.starts()
    }
}

/// Why a sign-up is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignUpError {
    #[error("the event has started: sign-up is closed")]
    Started,
    #[error("every place is taken")]
    Full,
}

/// Whether one more person may sign up at `now`, with `taken` places taken.
pub fn may_sign_up(f: &Forum, taken: u32, now: PrimitiveDateTime) -> Result<(), SignUpError> {
    if f.started(now) {
        return Err(SignUpError::Started);
    }
    if f.capacity.is_some_and(|c| taken >= c) {
        return Err(SignUpError::Full);
    }
    Ok(())
}

/// 결과: what the organisers record after the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// 참석 인원.
    pub attendance: u32,
    /// 논의 결과.
    pub summary: String,
    /// 제안: what the event proposes, e.g. agenda items for the assembly.
    pub proposals: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    #[error("the outcome is recorded once the event has started")]
    Early,
    #[error("attendance from 0 to {MAX_ATTENDANCE}")]
    Attendance,
    #[error("the summary, in 1 to {MAX_TEXT} characters")]
    Summary,
    #[error("the proposals, in at most {MAX_TEXT} characters")]
    Proposals,
}

impl OutcomeError {
    pub fn field(&self) -> &'static str {
        match self {
            OutcomeError::Early => "",
            OutcomeError::Attendance => "attendance",
            OutcomeError::Summary => "summary",
            OutcomeError::Proposals => "proposals",
        }
    }
}

impl Outcome {
    /// The outcome of `f` as typed at `now` (local time).
    pub fn new(
        f: &Forum,
        attendance: u32,
        summary: &str,
        proposals: &str,
        now: PrimitiveDateTime,
    ) -> Result<Outcome, OutcomeError> {
        if !f.started(now) {
            return Err(OutcomeError::Early);
        }
        if attendance > MAX_ATTENDANCE {
            return Err(OutcomeError::Attendance);
        }
        Ok(Outcome {
            attendance,
            summary: long_text(summary, MAX_TEXT)
                .filter(|s| !s.is_empty())
                .ok_or(OutcomeError::Summary)?,
            proposals: long_text(proposals, MAX_TEXT).ok_or(OutcomeError::Proposals)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn forum(capacity: Option<u32>) -> Forum {
        Forum::new(Forum {
            title: " 청운효자동 마을 정원 원탁회의 ".into(),
            kind: Kind::Roundtable,
            topic: "정원 운영 방식과 예산".into(),
            held_on: date!(2026 - 12 - 05),
            starts_at: time!(14:00),
            venue: "청운효자동 주민센터 3층".into(),
            capacity,
            supported_by: String::new(),
        })
        .unwrap()
    }

    #[test]
    fn an_event_is_checked() {
        assert_eq!(forum(None).title, "청운효자동 마을 정원 원탁회의");
        let bad = |change: fn(&mut Forum)| {
            let mut f = forum(None);
            change(&mut f);
            Forum::new(f).unwrap_err()
        };
        assert_eq!(bad(|f| f.title = " ".into()), ForumError::Title);
        assert_eq!(bad(|f| f.topic = String::new()), ForumError::Topic);
        assert_eq!(bad(|f| f.venue = "가".repeat(101)), ForumError::Venue);
        assert_eq!(bad(|f| f.capacity = Some(0)), ForumError::Capacity);
        assert_eq!(bad(|f| f.capacity = Some(10_001)), ForumError::Capacity);
        assert_eq!(
            bad(|f| f.supported_by = "a\nb".into()),
            ForumError::SupportedBy
        );
    }

    #[test]
    fn sign_up_closes_at_the_start_or_when_full() {
        let before = datetime!(2026-12-05 13:59);
        let at = datetime!(2026-12-05 14:00);
        assert_eq!(may_sign_up(&forum(Some(2)), 1, before), Ok(()));
        assert_eq!(
            may_sign_up(&forum(Some(2)), 2, before),
            Err(SignUpError::Full)
        );
        assert_eq!(
            may_sign_up(&forum(None), 5000, at),
            Err(SignUpError::Started)
        );
        assert_eq!(may_sign_up(&forum(None), 5000, before), Ok(()));
    }

    #[test]
    fn the_outcome_comes_after_the_start() {
        let f = forum(None);
        let before = datetime!(2026-12-05 13:59);
        let after = datetime!(2026-12-05 16:00);
        assert_eq!(
            Outcome::new(&f, 40, "요약", "", before),
            Err(OutcomeError::Early)
        );
        let o = Outcome::new(&f, 40, " 요약 ", "의제 2건", after).unwrap();
        assert_eq!((o.attendance, o.summary.as_str()), (40, "요약"));
        assert_eq!(
            Outcome::new(&f, 100_001, "요약", "", after),
            Err(OutcomeError::Attendance)
        );
        assert_eq!(
            Outcome::new(&f, 0, " ", "", after),
            Err(OutcomeError::Summary)
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("seminar"), None);
    }
}
