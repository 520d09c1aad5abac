//! 주민자치회 — the resident autonomy council of an eup/myeon/dong: how far it has come
//! (from no council through the older committee and a pilot to an established council),
//! its legal basis, its subcommittees and its meetings.

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest name of a subcommittee, title of a meeting or ordinance reference, in characters.
pub const MAX_NAME: usize = 200;
/// Longest agenda or minutes, in characters.
pub const MAX_TEXT: usize = 20_000;
/// Most members a meeting can count (a council has a few dozen; this bounds typing errors).
pub const MAX_MEMBERS: u32 = 1_000;

/// The stage a place's council has reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilStatus {
    /// No council and no committee.
    None,
    /// 주민자치위원회 — the older advisory committee.
    Committee,
    /// 시범실시 주민자치회 — a council designated as a pilot.
    Pilot,
    /// 주민자치회 — a council established by ordinance.
    Established,
}

impl CouncilStatus {
    pub const ALL: [CouncilStatus; 4] = [
        CouncilStatus::None,
        CouncilStatus::Committee,
        CouncilStatus::Pilot,
        CouncilStatus::Established,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CouncilStatus::None => "none",
            CouncilStatus::Committee => "committee",
            CouncilStatus::Pilot => "pilot",
            CouncilStatus::Established => "established",
        }
    }

    /// The code, or the Korean a ministry spreadsheet uses.
    pub fn parse(s: &str) -> Option<Self> {
        let s: String = s.trim().to_lowercase().split_whitespace().collect();
        match s.as_str() {
            "none" | "없음" | "미구성" => Some(CouncilStatus::None),
            "committee" | "주민자치위원회" | "위원회" => Some(CouncilStatus::Committee),
            "pilot" | "시범" | "시범실시" | "시범주민자치회" => {
                Some(CouncilStatus::Pilot)
            }
            "established" | "주민자치회" | "본격" | "본격실시" | "정식" => {
                Some(CouncilStatus::Established)
            }
            _ => None,
        }
    }
}

/// A council's status and its legal basis, consistent once built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Council {
    pub status: CouncilStatus,
    /// 조례 — the ordinance the council stands on, e.g. "서울특별시 종로구 주민자치회 설치 및 운영에 관한 조례".
    pub ordinance: Option<String>,
    pub ordinance_on: Option<Date>,
    /// 시범실시 지정일
    pub pilot_designated_on: Option<Date>,
}

/// What is wrong with a council record, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouncilError {
    #[error("a pilot or established council stands on an ordinance: give its name and date")]
    OrdinanceNeeded,
    #[error("the ordinance name is at most {MAX_NAME} characters")]
    OrdinanceName,
    #[error("a pilot council needs its designation date")]
    PilotDateNeeded,
    #[error("only a pilot or established council has a pilot designation date")]
    PilotDateNotAllowed,
    #[error("a name or title is needed, of at most {MAX_NAME} characters")]
    Name,
    #[error("a text is at most {MAX_TEXT} characters")]
    Text,
    #[error("attendance is at most the number of members")]
    Attendance,
    #[error("a council has at most {MAX_MEMBERS} members")]
    Members,
}

impl CouncilError {
    /// The offending field, as the API names it.
    pub fn field(&self) -> &'static str {
        match self {
            CouncilError::OrdinanceNeeded | CouncilError::OrdinanceName => "ordinance",
            CouncilError::PilotDateNeeded | CouncilError::PilotDateNotAllowed => {
                "pilot_designated_on"
            }
            CouncilError::Name => "name",
            CouncilError::Text => "minutes",
            CouncilError::Attendance => "attended",
            CouncilError::Members => "members",
        }
    }
}

impl Council {
    /// A place without a council, as every place starts.
    pub fn none() -> Council {
        Council {
            status: CouncilStatus::None,
            ordinance: None,
            ordinance_on: None,
            pilot_designated_on: None,
        }
    }

    pub fn new(council: Council) -> Result<Council, CouncilError> {
        let ordinance = council
            .ordinance
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if ordinance
            .as_ref()
            .is_some_and(|o| o.chars().count() > MAX_NAME)
        {
            return Err(CouncilError::OrdinanceName);
        }
        let founded = matches!(
            council.status,
            CouncilStatus::Pilot | CouncilStatus::Established
        );
        if founded && (ordinance.is_none() || council.ordinance_on.is_none()) {
            return Err(CouncilError::OrdinanceNeeded);
        }
        match (council.status, council.pilot_designated_on) {
            (CouncilStatus::Pilot, None) => return Err(CouncilError::PilotDateNeeded),
            (CouncilStatus::None | CouncilStatus::Committee, Some(_)) => {
                return Err(CouncilError::PilotDateNotAllowed);
            }
            _ => {}
        }
        Ok(Council {
            ordinance,
            ..council
        })
    }
}

/// Places by council status, for a region and for each region below it; a level's counts
/// are the sum of the counts below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub none: i64,
    pub committee: i64,
    pub pilot: i64,
    pub established: i64,
}

impl StatusCounts {
    pub fn add(&mut self, status: CouncilStatus, n: i64) {
        *match status {
            CouncilStatus::None => &mut self.none,
            CouncilStatus::Committee => &mut self.committee,
            CouncilStatus::Pilot => &mut self.pilot,
            CouncilStatus::Established => &mut self.established,
        } += n;
    }

    pub fn merge(&mut self, other: &StatusCounts) {
        for s in CouncilStatus::ALL {
            self.add(s, other.get(s));
        }
    }

    pub fn get(&self, status: CouncilStatus) -> i64 {
        match status {
            CouncilStatus::None => self.none,
            CouncilStatus::Committee => self.committee,
            CouncilStatus::Pilot => self.pilot,
            CouncilStatus::Established => self.established,
        }
    }

    pub fn total(&self) -> i64 {
        CouncilStatus::ALL.iter().map(|s| self.get(*s)).sum()
    }

    /// Share of places with a council (pilot or established), in tenths of a percent.
    pub fn council_permille(&self) -> i64 {
        match self.total() {
            0 => 0,
            t => (self.pilot + self.established) * 1000 / t,
        }
    }
}

/// A name (of a subcommittee) or a title (of a meeting): trimmed, non-empty, bounded.
pub fn name(s: &str) -> Result<String, CouncilError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_NAME {
        return Err(CouncilError::Name);
    }
    Ok(s.to_owned())
}

/// 회의 — a council meeting; its minutes are public once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub title: String,
    pub held_on: Date,
    /// 안건
    pub agenda: String,
    /// Members present and members in office that day.
    pub attended: u32,
    pub members: u32,
    /// 회의록 — public.
    pub minutes: Option<String>,
    /// None: the whole council; otherwise one subcommittee's meeting.
    pub subcommittee_id: Option<i64>,
}

impl Meeting {
    pub fn new(meeting: Meeting) -> Result<Meeting, CouncilError> {
        let title = name(&meeting.title)?;
        let too_long = |s: &str| s.chars().count() > MAX_TEXT;
        if too_long(&meeting.agenda) || meeting.minutes.as_deref().is_some_and(too_long) {
            return Err(CouncilError::Text);
        }
        if meeting.members > MAX_MEMBERS {
            return Err(CouncilError::Members);
        }
        if meeting.attended > meeting.members {
            return Err(CouncilError::Attendance);
        }
        let minutes = meeting
            .minutes
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty());
        Ok(Meeting {
            title,
            agenda: meeting.agenda.trim().to_owned(),
            minutes,
            ..meeting
        })
    }

    /// Whether at least half the members were there (the usual quorum of a council meeting).
    pub fn quorate(&self) -> bool {
        self.members > 0 && self.attended * 2 >= self.members
    }
}

/// 위원 역할 — a member's role on the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// 회장
    Chair,
    /// 부회장
    ViceChair,
    /// 간사
    Secretary,
    /// 분과장
    SubcommitteeChair,
    /// 위원
    Member,
}

impl MemberRole {
    pub const ALL: [MemberRole; 5] = [
        MemberRole::Chair,
        MemberRole::ViceChair,
        MemberRole::Secretary,
        MemberRole::SubcommitteeChair,
        MemberRole::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Chair => "chair",
            MemberRole::ViceChair => "vice_chair",
            MemberRole::Secretary => "secretary",
            MemberRole::SubcommitteeChair => "subcommittee_chair",
            MemberRole::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// Most vice-chairs a council has at once.
pub const MAX_VICE_CHAIRS: usize = 2;

/// Why a role cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("the council already has a member in that role")]
    Taken,
    #[error("a subcommittee chair needs a subcommittee of the council")]
    SubcommitteeNeeded,
}

/// A serving member's role and subcommittee, as the role rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub member_id: i64,
    pub role: MemberRole,
    pub subcommittee_id: Option<i64>,
}

/// Whether `member_id` may take `role` (in `subcommittee` for a subcommittee chair) among the
/// members serving now: one chair, one secretary, at most two vice-chairs, one chair per
/// subcommittee.
pub fn check_role(
    serving: &[Seat],
    member_id: i64,
    role: MemberRole,
    subcommittee: Option<i64>,
) -> Result<(), RoleError> {
    let others = serving.iter().filter(|s| s.member_id != member_id);
    let holders = |r: MemberRole| others.clone().filter(|s| s.role == r).count();
    match role {
        MemberRole::Chair | MemberRole::Secretary if holders(role) > 0 => Err(RoleError::Taken),
        MemberRole::ViceChair if holders(role) >= MAX_VICE_CHAIRS => Err(RoleError::Taken),
        MemberRole::SubcommitteeChair => match subcommittee {
            None => Err(RoleError::SubcommitteeNeeded),
            Some(sub) => {
                let taken = others.clone().any(|s| {
                    s.role == MemberRole::SubcommitteeChair && s.subcommittee_id == Some(sub)
                });
                if taken { Err(RoleError::Taken) } else { Ok(()) }
            }
        },
        _ => Ok(()),
    }
}

/// 임기 — a member's term: two years from the first day (the last day is the day before the
/// second anniversary). None past the calendar's end (year 9999).
pub fn term_end(starts: Date) -> Option<Date> {
    let year = starts.year() + 2;
    // 29 February starts a term that ends on 27 February, two years on.
    let anniversary = Date::from_calendar_date(year, starts.month(), starts.day())
        .or_else(|_| Date::from_calendar_date(year, time::Month::February, 28))
        .ok()?;
    anniversary.previous_day()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn council(status: CouncilStatus) -> Council {
        Council {
            status,
            ordinance: Some(" 종로구 주민자치회 설치 및 운영에 관한 조례 ".into()),
            ordinance_on: Some(date!(2019 - 03 - 01)),
            pilot_designated_on: Some(date!(2019 - 04 - 01)),
        }
    }

    #[test]
    fn a_pilot_needs_its_ordinance_and_designation_date() {
        let ok = Council::new(council(CouncilStatus::Pilot)).unwrap();
        assert_eq!(
            ok.ordinance.as_deref(),
            Some("종로구 주민자치회 설치 및 운영에 관한 조례")
        );
        let mut c = council(CouncilStatus::Pilot);
        c.pilot_designated_on = None;
        assert_eq!(Council::new(c), Err(CouncilError::PilotDateNeeded));
        let mut c = council(CouncilStatus::Established);
        c.ordinance = Some("  ".into());
        assert_eq!(Council::new(c), Err(CouncilError::OrdinanceNeeded));
    }

    #[test]
    fn a_committee_has_no_pilot_date_but_may_cite_an_ordinance() {
        let c = council(CouncilStatus::Committee);
        assert_eq!(Council::new(c), Err(CouncilError::PilotDateNotAllowed));
        let mut c = council(CouncilStatus::Committee);
        c.pilot_designated_on = None;
        assert!(Council::new(c).is_ok());
        assert!(Council::new(Council::none()).is_ok());
    }

    #[test]
    fn statuses_read_as_ministry_spreadsheets_write_them() {
        assert_eq!(
            CouncilStatus::parse("시범 실시"),
            Some(CouncilStatus::Pilot)
        );
        assert_eq!(
            CouncilStatus::parse("주민자치위원회"),
            Some(CouncilStatus::Committee)
        );
        assert_eq!(
            CouncilStatus::parse("Established"),
            Some(CouncilStatus::Established)
        );
        assert_eq!(CouncilStatus::parse("maybe"), None);
        for s in CouncilStatus::ALL {
            assert_eq!(CouncilStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn counts_add_up() {
        let mut a = StatusCounts::default();
        a.add(CouncilStatus::Pilot, 3);
        a.add(CouncilStatus::None, 1);
        let mut b = StatusCounts::default();
        b.add(CouncilStatus::Established, 4);
        b.merge(&a);
        assert_eq!(b.total(), 8);
        assert_eq!(b.council_permille(), 875);
    }

    #[test]
    fn a_term_is_two_years() {
        assert_eq!(term_end(date!(2026 - 03 - 01)), Some(date!(2028 - 02 - 29)));
        assert_eq!(term_end(date!(2024 - 02 - 29)), Some(date!(2026 - 02 - 27)));
        assert_eq!(term_end(date!(2026 - 01 - 01)), Some(date!(2027 - 12 - 31)));
        assert_eq!(term_end(date!(9998 - 06 - 01)), None);
    }

    #[test]
    fn roles_are_held_once_except_vice_chairs_and_per_subcommittee_chairs() {
        let seat = |id, role, sub| Seat {
            member_id: id,
            role,
            subcommittee_id: sub,
        };
        let serving = [
            seat(1, MemberRole::Chair, None),
            seat(2, MemberRole::ViceChair, None),
            seat(3, MemberRole::SubcommitteeChair, Some(10)),
            seat(4, MemberRole::Member, None),
        ];
        assert_eq!(
            check_role(&serving, 4, MemberRole::Chair, None),
            Err(RoleError::Taken)
        );
        assert_eq!(check_role(&serving, 1, MemberRole::Chair, None), Ok(()));
        assert_eq!(check_role(&serving, 4, MemberRole::ViceChair, None), Ok(()));
        let two = [serving.as_slice(), &[seat(5, MemberRole::ViceChair, None)]].concat();
        assert_eq!(
            check_role(&two, 4, MemberRole::ViceChair, None),
            Err(RoleError::Taken)
        );
        assert_eq!(
            check_role(&serving, 4, MemberRole::SubcommitteeChair, Some(10)),
            Err(RoleError::Taken)
        );
        assert_eq!(
            check_role(&serving, 4, MemberRole::SubcommitteeChair, Some(11)),
            Ok(())
        );
        assert_eq!(
            check_role(&serving, 4, MemberRole::SubcommitteeChair, None),
            Err(RoleError::SubcommitteeNeeded)
        );
    }

    #[test]
    fn a_meeting_cannot_have_more_present_than_members() {
        let m = Meeting {
            title: "정기회의".into(),
            held_on: date!(2026 - 03 - 10),
            agenda: "자치계획 심의".into(),
            attended: 13,
            members: 25,
            minutes: Some("  ".into()),
            subcommittee_id: None,
        };
        let ok = Meeting::new(m.clone()).unwrap();
        assert_eq!(ok.minutes, None);
        assert!(ok.quorate());
        assert_eq!(
            Meeting::new(Meeting {
                attended: 26,
                ..m.clone()
            }),
            Err(CouncilError::Attendance)
        );
        assert_eq!(
            Meeting::new(Meeting {
                members: 2_147_483_648,
                ..m.clone()
            }),
            Err(CouncilError::Members)
        );
        assert_eq!(
            Meeting::new(Meeting {
                title: " ".into(),
                ..m
            }),
            Err(CouncilError::Name)
        );
    }
}
