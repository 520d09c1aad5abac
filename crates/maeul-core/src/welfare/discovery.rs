//! 복지사각지대 발굴 — discovery rounds in the workspace: the listed households (candidates),
//! their eight-week field window, and the visit that settles each.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// The field window of a round: bimonthly rounds give staff eight weeks to visit.
pub const FIELD_WINDOW: Duration = Duration::weeks(8);

/// The last day of the field window of a round opening on `opens_on`.
pub fn due_on(opens_on: Date) -> Date {
    opens_on + FIELD_WINDOW
}

/// 발굴 결과 — what a visit found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 공적지원: 기초생활보장
    PublicBasicLivelihood,
    /// 공적지원: 차상위
    PublicNearPoor,
    /// 공적지원: 긴급복지
    PublicEmergency,
    /// 공적지원: 기타
    PublicOther,
    /// 민간자원 연계
    PrivateResource,
    /// 통합사례관리 연계
    CaseManagement,
    /// 지원 불필요
    NoSupportNeeded,
    /// 연락 두절
    Unreachable,
    /// 거부
    Refused,
}

impl Outcome {
    pub const ALL: [Outcome; 9] = [
        Outcome::PublicBasicLivelihood,
        Outcome::PublicNearPoor,
        Outcome::PublicEmergency,
        Outcome::PublicOther,
        Outcome::PrivateResource,
        Outcome::CaseManagement,
        Outcome::NoSupportNeeded,
        Outcome::Unreachable,
        Outcome::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::PublicBasicLivelihood => "public_basic_livelihood",
            Outcome::PublicNearPoor => "public_near_poor",
            Outcome::PublicEmergency => "public_emergency",
            Outcome::PublicOther => "public_other",
            Outcome::PrivateResource => "private_resource",
            Outcome::CaseManagement => "case_management",
            Outcome::NoSupportNeeded => "no_support_needed",
            Outcome::Unreachable => "unreachable",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the household turned out to need support: the measure of a list's quality.
    pub fn needed_support(self) -> bool {
        matches!(
            self,
            Outcome::PublicBasicLivelihood
                | Outcome::PublicNearPoor
                | Outcome::PublicEmergency
                | Outcome::PublicOther
                | Outcome::PrivateResource
                | Outcome::CaseManagement
        )
    }
}

/// Where a listed household stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Listed, nobody assigned yet.
    Listed,
    /// A worker is assigned; no visit recorded.
    Assigned,
    /// A visit with its outcome is recorded.
    Visited,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Listed, Status::Assigned, Status::Visited];

    pub fn of(assigned: bool, visited: bool) -> Self {
        match (assigned, visited) {
            (_, true) => Status::Visited,
            (true, false) => Status::Assigned,
            (false, false) => Status::Listed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::Assigned => "assigned",
            Status::Visited => "visited",
        }
    }

    /// Past the field window without a visit.
    pub fn overdue(self, due_on: Date, today: Date) -> bool {
        self != Status::Visited && today > due_on
    }
}

/// Counts of listed households by state and outcome: what discovery summaries show. Tallies
/// of places add up to the tallies of the levels above.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub listed: i64,
    pub visited: i64,
    /// By outcome, in the order of [`Outcome::ALL`].
    outcomes: [i64; 9],
}

impl Tally {
    /// Adds `n` listed households whose latest outcome is `outcome` (`None`: not visited).
    pub fn add(&mut self, outcome: Option<Outcome>, n: i64) {
        self.listed += n;
        if let Some(o) = outcome {
            self.visited += n;
            self.outcomes[o as usize] += n;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.listed += other.listed;
        self.visited += other.visited;
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
    }

    pub fn count(&self, outcome: Outcome) -> i64 {
        self.outcomes[outcome as usize]
    }

    /// Visited households that turned out to need support.
    pub fn needed_support(&self) -> i64 {
        Outcome::ALL
            .into_iter()
            .filter(|o| o.needed_support())
            .map(|o| self.count(o))
            .sum()
    }

    /// Households not visited by the end of the field window.
    pub fn overdue(&self, due_on: Date, today: Date) -> i64 {
        if today > due_on {
            self.listed - self.visited
        } else {
            0
        }
    }
}

/// A round's name: what officials call it, e.g. `2026-6차`; 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundName(String);

impl RoundName {
    pub fn parse(s: &str) -> Result<Self, DiscoveryError> {
        let s = s.trim();
        if (1..=100).contains(&s.chars().count()) && !s.chars().any(char::is_control) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DiscoveryError::RoundName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest visit note kept.
pub const NOTE_MAX_CHARS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    #[error("a round name has 1 to 100 characters")]
    RoundName,
    #[error("the visit date is a date YYYY-MM-DD")]
    Date,
    #[error("the visit date lies in the future")]
    FutureDate,
    #[error("unknown outcome")]
    Outcome,
    #[error("a note has at most 4,000 characters")]
    NoteTooLong,
    #[error("unknown counselling domain")]
    Domains,
}

impl DiscoveryError {
    /// The input field the error is about.
    pub fn field(self) -> &'static str {
        match self {
            DiscoveryError::RoundName => "name",
            DiscoveryError::Date | DiscoveryError::FutureDate => "visited_on",
            DiscoveryError::Outcome => "outcome",
            DiscoveryError::NoteTooLong => "note",
            DiscoveryError::Domains => "domains",
        }
    }
}

/// 방문상담 기록 — a visit as recorded: a checked date, one outcome, the domains the
/// comprehensive counselling (종합상담) covered and an optional note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub visited_on: Date,
    pub outcome: Outcome,
    /// Codes of the needs domains counselled on (health, employment, housing, …), in the
    /// order of the configured domains, each once.
    pub domains: Vec<String>,
    /// Narrative, sealed before it is stored.
    pub note: Option<String>,
}

impl Visit {
    pub fn new(
        visited_on: &str,
        outcome: &str,
        note: &str,
        today: Date,
    ) -> Result<Self, DiscoveryError> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let visited_on =
            Date::parse(visited_on.trim(), &format).map_err(|_| DiscoveryError::Date)?;
        if visited_on > today {
            return Err(DiscoveryError::FutureDate);
        }
        let outcome = Outcome::parse(outcome.trim()).ok_or(DiscoveryError::Outcome)?;
        let note = note.trim();
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(DiscoveryError::NoteTooLong);
        }
        Ok(Self {
            visited_on,
            outcome,
            domains: Vec::new(),
            note: (!note.is_empty()).then(|| note.to_owned()),
        })
    }

    /// The visit with the domains its counselling covered, each one of `known` (the needs
    /// domains in force: code and name), kept in their order.
    pub fn counselled(
        mut self,
        domains: &[String],
        known: &[(String, String)],
    ) -> Result<Self, DiscoveryError> {
        let asked: Vec<&str> = domains.iter().map(|d| d.trim()).collect();
        if asked
            .iter()
            .any(|d| !known.iter().any(|(code, _)| code == d))
        {
            return Err(DiscoveryError::Domains);
        }
        self.domains = known
            .iter()
            .filter(|(code, _)| asked.contains(&code.as_str()))
            .map(|(code, _)| code.clone())
            .collect();
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_field_window_is_eight_weeks() {
        assert_eq!(due_on(date!(2026 - 11 - 02)), date!(2026 - 12 - 28));
    }

    #[test]
    fn outcomes_round_trip_and_six_of_them_mean_support_was_needed() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::parse("helped"), None);
        assert_eq!(
            Outcome::ALL.iter().filter(|o| o.needed_support()).count(),
            6
        );
        assert!(!Outcome::Unreachable.needed_support());
    }

    #[test]
    fn only_unvisited_households_past_the_window_are_overdue() {
        let due = date!(2026 - 12 - 28);
        assert!(!Status::Listed.overdue(due, due));
        assert!(Status::Listed.overdue(due, date!(2026 - 12 - 29)));
        assert!(Status::Assigned.overdue(due, date!(2027 - 01 - 10)));
        assert!(!Status::Visited.overdue(due, date!(2027 - 01 - 10)));
        assert_eq!(Status::of(true, false), Status::Assigned);
        assert_eq!(Status::of(false, true), Status::Visited);
    }

    #[test]
    fn counselling_covers_known_domains_in_their_order() {
        let known: Vec<(String, String)> = [
            ("health", "건강"),
            ("employment", "고용"),
            ("housing", "주거"),
        ]
        .iter()
        .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
        .collect();
        let visit = Visit::new("2026-11-20", "public_other", "", date!(2026 - 11 - 25)).unwrap();
        let asked = vec![
            "housing".to_owned(),
            " health".to_owned(),
            "housing".to_owned(),
        ];
        let counselled = visit.clone().counselled(&asked, &known).unwrap();
        assert_eq!(counselled.domains, vec!["health", "housing"]);
        assert_eq!(
            visit.counselled(&["care".to_owned()], &known),
            Err(DiscoveryError::Domains)
        );
        assert_eq!(DiscoveryError::Domains.field(), "domains");
    }

    #[test]
    fn visits_check_date_outcome_and_note() {
        let today = date!(2026 - 11 - 25);
        let v = Visit::new("2026-11-20", "public_emergency", "  ", today).unwrap();
        assert_eq!(v.outcome, Outcome::PublicEmergency);
        assert_eq!(v.note, None);
        assert_eq!(
            Visit::new("2026-11-26", "refused", "", today),
            Err(DiscoveryError::FutureDate)
        );
        assert_eq!(
            Visit::new("2026-13-01", "refused", "", today),
            Err(DiscoveryError::Date)
        );
        assert_eq!(
            Visit::new("2026-11-20", "helped", "", today),
            Err(DiscoveryError::Outcome)
        );
        let long = "가".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            Visit::new("2026-11-20", "refused", &long, today),
            Err(DiscoveryError::NoteTooLong)
        );
        assert_eq!(DiscoveryError::Outcome.field(), "outcome");
    }

    #[test]
    fn tallies_add_up_and_count_what_was_needed() {
        let mut a = Tally::default();
        a.add(None, 10);
        a.add(Some(Outcome::PublicEmergency), 3);
        a.add(Some(Outcome::Refused), 2);
        let mut b = Tally::default();
        b.add(Some(Outcome::PrivateResource), 4);
        let mut total = a;
        total.merge(&b);
        assert_eq!((total.listed, total.visited), (19, 9));
        assert_eq!(total.needed_support(), 7);
        assert_eq!(total.count(Outcome::Refused), 2);
        let due = date!(2026 - 12 - 28);
        assert_eq!(total.overdue(due, due), 0);
        assert_eq!(total.overdue(due, date!(2026 - 12 - 29)), 10);
    }

    #[test]
    fn round_names_are_short_single_lines() {
        assert_eq!(RoundName::parse(" 2026-6차 ").unwrap().as_str(), "2026-6차");
        assert!(RoundName::parse("").is_err());
        assert!(RoundName::parse("a\nb").is_err());
    }
}
