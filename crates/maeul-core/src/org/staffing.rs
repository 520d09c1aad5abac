//! 인력 배치 — the posts of the four staff kinds: the unit that holds each post's quota (정원) and
//! the unit where its holder works (배치), checked against the manual's table (seed §3,
//! "인력별 정원 배정 및 배치"), with vacancies and the headcount per region that the standard
//! labour cost (기준인건비) reflects.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::region::{Level, Region, RegionKind, RegionPath};

/// Longest holder name, in characters.
pub const MAX_HOLDER: usize = 50;

/// 사업 총괄인력 / 복지인력 / 간호인력 / 주민자치 인력 — the four staff kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffKind {
    Programme,
    Welfare,
    Nurse,
    Autonomy,
}

/// The organisational units a quota is held by or a post placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// 시·군·구 본청 사업 총괄부서.
    LeadDepartment,
    /// 보건소 of a si/gun/gu.
    HealthCentre,
    /// 읍·면·동 (the community centre itself).
    CommunityCentre,
    /// 읍·면·동 찾아가는 보건복지팀.
    VisitingTeam,
    /// 읍·면·동 행정팀.
    AdministrationTeam,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::LeadDepartment => "lead_department",
            Unit::HealthCentre => "health_centre",
            Unit::CommunityCentre => "community_centre",
            Unit::VisitingTeam => "visiting_team",
            Unit::AdministrationTeam => "administration_team",
        }
    }
}

impl StaffKind {
    pub const ALL: [StaffKind; 4] = [
        StaffKind::Programme,
        StaffKind::Welfare,
        StaffKind::Nurse,
        StaffKind::Autonomy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffKind::Programme => "programme",
            StaffKind::Welfare => "welfare",
            StaffKind::Nurse => "nurse",
            StaffKind::Autonomy => "autonomy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where the quota of a post of this kind is held.
    pub fn quota_unit(self) -> Unit {
        match self {
            StaffKind::Programme => Unit::LeadDepartment,
            StaffKind::Welfare | StaffKind::Autonomy => Unit::CommunityCentre,
            StaffKind::Nurse => Unit::HealthCentre,
        }
    }

    /// Where a post of this kind is placed.
    pub fn placement_unit(self) -> Unit {
        match self {
            StaffKind::Programme => Unit::LeadDepartment,
            StaffKind::Welfare | StaffKind::Nurse => Unit::VisitingTeam,
            StaffKind::Autonomy => Unit::AdministrationTeam,
        }
    }
}

/// A post: its kind and who holds it (none: vacant) since when. Its quota and placement
/// regions are checked by [`check_units`] and kept beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub kind: StaffKind,
    pub holder: Option<String>,
    pub since: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error(
        "the quota of this kind is held by a local government (nurses: also a 일반구's health centre) or an eup/myeon/dong as the manual's table says"
    )]
    QuotaUnit,
    #[error(
        "this kind is placed in the quota's own unit, a nurse in an eup/myeon/dong of the health centre's si/gun/gu"
    )]
    Placement,
    #[error("a holder's name of 1 to {MAX_HOLDER} characters, or none for a vacant post")]
    Holder,
    #[error("a vacant post has no holder since a day")]
    SinceWithoutHolder,
}

impl PostError {
    pub fn field(&self) -> &'static str {
        match self {
            PostError::QuotaUnit => "kind",
            PostError::Placement => "placement_code",
            PostError::Holder => "holder",
            PostError::SinceWithoutHolder => "since",
        }
    }
}

/// Whether a post of `kind` may hold its quota in `quota` (a local government of its own when
/// `quota_is_local_government`: [`crate::region::is_local_government`]) and be placed in
/// `placement` (whose path is `placement_path`): the manual's table. A head office is a local
/// government's (세종's too, not a 일반구's); a health centre a local government's or a 일반구's.
pub fn check_units(
    kind: StaffKind,
    quota: &Region,
    quota_is_local_government: bool,
    placement: &Region,
    placement_path: &RegionPath,
) -> Result<(), PostError> {
    let quota_fits = match kind.quota_unit() {
        Unit::LeadDepartment => quota_is_local_government,
        Unit::HealthCentre => quota_is_local_government || quota.kind == RegionKind::Ilbangu,
        _ => quota.level == Level::Emd,
    };
    if !quota_fits {
        return Err(PostError::QuotaUnit);
    }
    let placed = match kind {
        StaffKind::Nurse => placement.level == Level::Emd && placement_path.within(&quota.code),
        _ => placement.code == quota.code,
    };
    if !placed {
        return Err(PostError::Placement);
    }
    Ok(())
}

impl Post {
    /// A post with its holder checked: a name is trimmed, empty means vacant.
    pub fn new(
        kind: StaffKind,
        holder: Option<&str>,
        since: Option<Date>,
    ) -> Result<Post, PostError> {
        let holder = holder.map(str::trim).filter(|h| !h.is_empty());
        if let Some(h) = holder {
            let n = h.chars().count();
            if n > MAX_HOLDER || h.chars().any(char::is_control) {
                return Err(PostError::Holder);
            }
        }
        if holder.is_none() && since.is_some() {
            return Err(PostError::SinceWithoutHolder);
        }
        Ok(Post {
            kind,
            holder: holder.map(str::to_owned),
            since,
        })
    }
}

/// Posts and filled posts of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headcount {
    pub posts: i64,
    pub filled: i64,
}

impl Headcount {
    pub fn vacant(&self) -> i64 {
        self.posts - self.filled
    }
}

/// Headcount by kind (in [`StaffKind::ALL`] order); a region's counts are the sum of those of
/// the regions below it, every post counted where its quota is held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaffCounts(pub [Headcount; 4]);

impl StaffCounts {
    pub fn add(&mut self, kind: StaffKind, filled: bool) {
        let h = &mut self.0[kind as usize];
        h.posts += 1;
        h.filled += i64::from(filled);
    }

    pub fn of(&self, kind: StaffKind) -> Headcount {
        self.0[kind as usize]
    }

    pub fn total(&self) -> Headcount {
        self.0.iter().fold(Headcount::default(), |t, h| Headcount {
            posts: t.posts + h.posts,
            filled: t.filled + h.filled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::RegionCode;
    use time::macros::date;

    fn region(code: &str, level: Level, kind: RegionKind) -> Region {
        Region {
            code: RegionCode::parse(code).unwrap(),
            level,
            kind,
            name: String::new(),
            full_name: String::new(),
            parent: None,
            created_on: None,
        }
    }

    fn path(codes: &[&str]) -> RegionPath {
        RegionPath::new(
            codes
                .iter()
                .map(|c| RegionCode::parse(c).unwrap())
                .collect(),
        )
    }

    #[test]
    fn each_kind_holds_its_quota_and_is_placed_as_the_manual_says() {
        let gu = region("1111000000", Level::Sigungu, RegionKind::District);
        let dong = region("1111051500", Level::Emd, RegionKind::Dong);
        let dong_path = path(&["1100000000", "1111000000", "1111051500"]);
        let gu_path = path(&["1100000000", "1111000000"]);
        let other = region("2611051000", Level::Emd, RegionKind::Dong);
        let other_path = path(&["2600000000", "2611000000", "2611051000"]);
        let check = |kind, quota: &Region, placement: &Region, placement_path: &RegionPath| {
            let local = matches!(quota.kind, RegionKind::District | RegionKind::Sido);
            check_units(kind, quota, local, placement, placement_path)
        };
        use StaffKind::*;
        assert_eq!(check(Programme, &gu, &gu, &gu_path), Ok(()));
        assert_eq!(
            check(Programme, &gu, &dong, &dong_path),
            Err(PostError::Placement)
        );
        assert_eq!(
            check(Programme, &dong, &dong, &dong_path),
            Err(PostError::QuotaUnit)
        );
        assert_eq!(check(Welfare, &dong, &dong, &dong_path), Ok(()));
        assert_eq!(
            check(Welfare, &gu, &dong, &dong_path),
            Err(PostError::QuotaUnit)
        );
        assert_eq!(check(Autonomy, &dong, &dong, &dong_path), Ok(()));
        assert_eq!(
            check(Nurse, &gu, &dong, &dong_path),
            Ok(()),
            "the health centre's nurse in a dong team"
        );
        assert_eq!(
            check(Nurse, &gu, &other, &other_path),
            Err(PostError::Placement),
            "outside the si/gun/gu"
        );
        assert_eq!(
            check(Nurse, &gu, &gu, &gu_path),
            Err(PostError::Placement),
            "placed in a community centre"
        );
        assert_eq!(
            check(Nurse, &dong, &dong, &dong_path),
            Err(PostError::QuotaUnit)
        );
        // A 일반구 has a health centre but no head office of its own; 세종 has both.
        let ilbangu = region("4111100000", Level::Sigungu, RegionKind::Ilbangu);
        let ilbangu_path = path(&["4100000000", "4111000000", "4111100000"]);
        let ilbangu_dong = region("4111151000", Level::Emd, RegionKind::Dong);
        let ilbangu_dong_path = path(&["4100000000", "4111000000", "4111100000", "4111151000"]);
        assert_eq!(
            check(Programme, &ilbangu, &ilbangu, &ilbangu_path),
            Err(PostError::QuotaUnit)
        );
        assert_eq!(
            check(Nurse, &ilbangu, &ilbangu_dong, &ilbangu_dong_path),
            Ok(())
        );
        let sejong = region("3600000000", Level::Sido, RegionKind::Sido);
        let sejong_eup = region("3611025000", Level::Emd, RegionKind::Eup);
        let sejong_eup_path = path(&["3600000000", "3611025000"]);
        assert_eq!(
            check(Programme, &sejong, &sejong, &path(&["3600000000"])),
            Ok(())
        );
        assert_eq!(check(Nurse, &sejong, &sejong_eup, &sejong_eup_path), Ok(()));
        assert_eq!(
            check_units(Programme, &sejong, false, &sejong, &path(&["3600000000"])),
            Err(PostError::QuotaUnit),
            "a si/do with si/gun/gu below"
        );
    }

    #[test]
    fn holders_are_named_or_the_post_is_vacant() {
        assert_eq!(
            Post::new(StaffKind::Welfare, Some("  "), None)
                .unwrap()
                .holder,
            None
        );
        assert_eq!(
            Post::new(
                StaffKind::Welfare,
                Some(" 정복지 "),
                Some(date!(2024 - 01 - 02))
            )
            .unwrap()
            .holder
            .as_deref(),
            Some("정복지")
        );
        assert_eq!(
            Post::new(StaffKind::Welfare, Some(&"가".repeat(51)), None),
            Err(PostError::Holder)
        );
        assert_eq!(
            Post::new(StaffKind::Welfare, Some("a\u{0}b"), None),
            Err(PostError::Holder)
        );
        assert_eq!(
            Post::new(StaffKind::Welfare, None, Some(date!(2024 - 01 - 02))),
            Err(PostError::SinceWithoutHolder)
        );
    }

    #[test]
    fn headcounts_add_up_by_kind() {
        let mut c = StaffCounts::default();
        c.add(StaffKind::Welfare, true);
        c.add(StaffKind::Welfare, false);
        c.add(StaffKind::Nurse, true);
        assert_eq!(
            c.of(StaffKind::Welfare),
            Headcount {
                posts: 2,
                filled: 1
            }
        );
        assert_eq!(c.of(StaffKind::Welfare).vacant(), 1);
        assert_eq!(
            c.total(),
            Headcount {
                posts: 3,
                filled: 2
            }
        );
    }
}
