//! Regions: the official hierarchy nation → si/do → si/gun/gu → eup/myeon/dong.

pub mod kikcd;

use std::fmt;

use serde::{Deserialize, Serialize};

/// 행정기관코드 — the 10-digit official region code: si/do (2) + si/gun/gu (3) +
/// eup/myeon/dong (3) + `00`. `0000000000` stands for the nation.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("a region code has exactly 10 digits")]
    NotTenDigits,
    #[error("a region code ends in 00")]
    BadSuffix,
}

impl RegionCode {
    pub const NATION: &'static str = "0000000000";

    pub fn parse(s: &str) -> Result<Self, RegionCodeError> {
        let s = s.trim();
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionCodeError::NotTenDigits);
        }
        if !s.ends_with("00") {
            return Err(RegionCodeError::BadSuffix);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn nation() -> Self {
        Self(Self::NATION.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level implied by the code's trailing zeros.
    pub fn level(&self) -> Level {
        let s = self.0.as_bytes();
        let zero = |r: std::ops::Range<usize>| s[r].iter().all(|&b| b == b'0');
        if zero(0..10) {
            Level::Nation
        } else if zero(2..10) {
            Level::Sido
        } else if zero(5..10) {
            Level::Sigungu
        } else {
            Level::Emd
        }
    }

    /// The si/do this code lies in (itself for a si/do, `None` for the nation).
    pub fn sido(&self) -> Option<RegionCode> {
        (self.level() != Level::Nation).then(|| Self(format!("{}00000000", &self.0[..2])))
    }

    /// The si/gun/gu code formed by the first five digits (which may not exist, as in Sejong).
    pub fn sigungu_prefix(&self) -> Option<RegionCode> {
        matches!(self.level(), Level::Sigungu | Level::Emd)
            .then(|| Self(format!("{}00000", &self.0[..5])))
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({})", self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

/// The level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Nation,
    /// 시·도
    Sido,
    /// 시·군·구, including a city that holds 일반구 and the 일반구 themselves.
    Sigungu,
    /// 읍·면·동
    Emd,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nation => "nation",
            Level::Sido => "sido",
            Level::Sigungu => "sigungu",
            Level::Emd => "emd",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Level::Nation, Level::Sido, Level::Sigungu, Level::Emd]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

/// The kind of a region within its level, as residents name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    Nation,
    /// 특별시·광역시·특별자치시·도·특별자치도
    Sido,
    /// 시 (a city without 일반구)
    City,
    /// 시 that holds 일반구 (e.g. 수원시)
    ParentCity,
    /// 군
    County,
    /// 자치구 (an autonomous district of a metropolitan city)
    District,
    /// 일반구 (a non-autonomous district inside a large city)
    Ilbangu,
    /// 읍
    Eup,
    /// 면
    Myeon,
    /// 동
    Dong,
}

impl RegionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::Nation => "nation",
            RegionKind::Sido => "sido",
            RegionKind::City => "city",
            RegionKind::ParentCity => "parent_city",
            RegionKind::County => "county",
            RegionKind::District => "district",
            RegionKind::Ilbangu => "ilbangu",
            RegionKind::Eup => "eup",
            RegionKind::Myeon => "myeon",
            RegionKind::Dong => "dong",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use RegionKind::*;
        [
            Nation, Sido, City, ParentCity, County, District, Ilbangu, Eup, Myeon, Dong,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The kind of an eup/myeon/dong or a si/gun/gu from the last syllable of its name.
    pub fn from_name(level: Level, name: &str) -> Self {
        match level {
            Level::Nation => RegionKind::Nation,
            Level::Sido => RegionKind::Sido,
            Level::Sigungu if name.contains(' ') => RegionKind::Ilbangu,
            Level::Sigungu if name.ends_with('군') => RegionKind::County,
            Level::Sigungu if name.ends_with('구') => RegionKind::District,
            Level::Sigungu => RegionKind::City,
            Level::Emd if name.ends_with('읍') => RegionKind::Eup,
            Level::Emd if name.ends_with('면') => RegionKind::Myeon,
            Level::Emd => RegionKind::Dong,
        }
    }
}

/// Whether a region is a local government of its own (기초자치단체): a 시·군·자치구, or a si/do
/// with no si/gun/gu below it (세종). An 일반구 is part of its city; a si/do with si/gun/gu is not.
pub fn is_local_government(kind: RegionKind, sigungu_below: bool) -> bool {
    match kind {
        RegionKind::City | RegionKind::ParentCity | RegionKind::County | RegionKind::District => {
            true
        }
        RegionKind::Sido => !sigungu_below,
        RegionKind::Nation
        | RegionKind::Ilbangu
        | RegionKind::Eup
        | RegionKind::Myeon
        | RegionKind::Dong => false,
    }
}

/// One region of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: RegionCode,
    pub level: Level,
    pub kind: RegionKind,
    /// Its own name: `청운효자동`, `수원시 장안구`, `종로구`.
    pub name: String,
    /// The name residents read: `서울특별시 종로구 청운효자동`.
    pub full_name: String,
    /// The region directly above; `None` for a si/do (whose parent is the nation).
    pub parent: Option<RegionCode>,
    /// `YYYYMMDD` as in the official file.
    pub created_on: Option<String>,
}

/// The chain of regions from a si/do down to a region, as stored with every region so that
/// "is X within Y" is a string test, not a walk of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPath(Vec<RegionCode>);

impl RegionPath {
    /// Parses the stored form `1100000000/1111000000/1111051500`.
    pub fn parse(s: &str) -> Result<Self, RegionCodeError> {
        s.split('/')
            .filter(|p| !p.is_empty())
            .map(RegionCode::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn new(codes: Vec<RegionCode>) -> Self {
        Self(codes)
    }

    pub fn codes(&self) -> &[RegionCode] {
        &self.0
    }

    /// Whether a grant on `scope` covers this region (a grant covers the regions below it).
    pub fn within(&self, scope: &RegionCode) -> bool {
        scope.as_str() == RegionCode::NATION || self.0.iter().any(|c| c == scope)
    }

    /// The region on this path directly below `scope` (the nation's are the si/do), or the
    /// last region when it is `scope` itself; `None` when the path is not within `scope`.
    /// Used to roll counts of places up to the level under a region.
    pub fn step_below(&self, scope: &RegionCode) -> Option<&RegionCode> {
        if scope.as_str() == RegionCode::NATION {
            return self.0.first();
        }
        let at = self.0.iter().position(|c| c == scope)?;
        self.0.get(at + 1).or(self.0.get(at))
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(RegionCode::as_str)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_steps_one_level_below_a_scope() {
        let path = RegionPath::parse("1100000000/1111000000/1111051500").unwrap();
        let code = |s: &str| RegionCode::parse(s).unwrap();
        assert_eq!(
            path.step_below(&RegionCode::nation()),
            Some(&code("1100000000"))
        );
        assert_eq!(
            path.step_below(&code("1100000000")),
            Some(&code("1111000000"))
        );
        assert_eq!(
            path.step_below(&code("1111000000")),
            Some(&code("1111051500"))
        );
        assert_eq!(
            path.step_below(&code("1111051500")),
            Some(&code("1111051500"))
        );
        assert_eq!(path.step_below(&code("2600000000")), None);
    }

    #[test]
    fn codes_parse_only_when_well_formed() {
        assert!(RegionCode::parse("1111051500").is_ok());
        assert_eq!(
            RegionCode::parse("111105150"),
            Err(RegionCodeError::NotTenDigits)
        );
        assert_eq!(
            RegionCode::parse("11110515a0"),
            Err(RegionCodeError::NotTenDigits)
        );
        assert_eq!(
            RegionCode::parse("1111051512"),
            Err(RegionCodeError::BadSuffix)
        );
    }

    #[test]
    fn level_follows_trailing_zeros() {
        let level = |s| RegionCode::parse(s).unwrap().level();
        assert_eq!(level("0000000000"), Level::Nation);
        assert_eq!(level("1100000000"), Level::Sido);
        assert_eq!(level("1111000000"), Level::Sigungu);
        assert_eq!(level("4111100000"), Level::Sigungu);
        assert_eq!(level("1111051500"), Level::Emd);
    }

    #[test]
    fn kind_comes_from_the_name() {
        assert_eq!(
            RegionKind::from_name(Level::Sigungu, "수원시 장안구"),
            RegionKind::Ilbangu
        );
        assert_eq!(
            RegionKind::from_name(Level::Sigungu, "종로구"),
            RegionKind::District
        );
        assert_eq!(
            RegionKind::from_name(Level::Sigungu, "홍천군"),
            RegionKind::County
        );
        assert_eq!(
            RegionKind::from_name(Level::Emd, "조치원읍"),
            RegionKind::Eup
        );
        assert_eq!(
            RegionKind::from_name(Level::Emd, "연기면"),
            RegionKind::Myeon
        );
        assert_eq!(
            RegionKind::from_name(Level::Emd, "청운효자동"),
            RegionKind::Dong
        );
    }

    #[test]
    fn a_scope_covers_the_regions_below_it() {
        let path = RegionPath::parse("4100000000/4111000000/4111100000/4111156000").unwrap();
        for scope in [
            "0000000000",
            "4100000000",
            "4111000000",
            "4111100000",
            "4111156000",
        ] {
            assert!(path.within(&RegionCode::parse(scope).unwrap()), "{scope}");
        }
        for scope in ["1100000000", "4111300000", "4111156600"] {
            assert!(!path.within(&RegionCode::parse(scope).unwrap()), "{scope}");
        }
    }
}
