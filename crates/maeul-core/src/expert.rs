//! 민간 전문인력 풀 — the pool of private experts who train, consult and facilitate for the
//! programme: what they know, where they work, whether they can take work now, and how to reach
//! them. The ministry and the si/do keep it; officials look in it to find someone.

use serde::{Deserialize, Serialize};

use crate::contact::{is_email, is_phone};
use crate::region::{Level, RegionCode};
use crate::text::{line, long_text, optional_line};

/// Longest name or organisation, in characters.
pub const MAX_NAME: usize = 100;
/// Longest profile, in characters.
pub const MAX_PROFILE: usize = 2000;

/// 전문 분야.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Specialty {
    /// 주민자치 (주민자치회, 주민총회, 자치계획).
    ResidentAutonomy,
    /// 마을계획·커뮤니티 디자인.
    CommunityPlanning,
    /// 퍼실리테이션·공론장.
    Facilitation,
    /// 복지·돌봄.
    Welfare,
    /// 건강.
    Health,
    /// 지역사업·도시재생.
    RegionalProjects,
    /// 조직·제도 (조례, 조직 모형).
    Organisation,
}

impl Specialty {
    pub const ALL: [Specialty; 7] = [
        Specialty::ResidentAutonomy,
        Specialty::CommunityPlanning,
        Specialty::Facilitation,
        Specialty::Welfare,
        Specialty::Health,
        Specialty::RegionalProjects,
        Specialty::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Specialty::ResidentAutonomy => "resident_autonomy",
            Specialty::CommunityPlanning => "community_planning",
            Specialty::Facilitation => "facilitation",
            Specialty::Welfare => "welfare",
            Specialty::Health => "health",
            Specialty::RegionalProjects => "regional_projects",
            Specialty::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether the expert takes work now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// 가능.
    Available,
    /// 일부 가능 (few days, or only some work).
    Limited,
    /// 불가.
    Unavailable,
}

impl Availability {
    pub const ALL: [Availability; 3] = [
        Availability::Available,
        Availability::Limited,
        Availability::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Available => "available",
            Availability::Limited => "limited",
            Availability::Unavailable => "unavailable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An expert as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expert {
    pub name: String,
    /// The organisation they work in (optional).
    pub organisation: String,
    /// In a fixed order, each once.
    pub specialties: Vec<Specialty>,
    /// The si/do they work in, each once; none: the whole country.
    pub regions: Vec<RegionCode>,
    pub availability: Availability,
    pub email: String,
    pub phone: String,
    /// 경력·소개.
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpertError {
    #[error("a name of 1 to {MAX_NAME} characters")]
    Name,
    #[error("an organisation of at most {MAX_NAME} characters")]
    Organisation,
    #[error("at least one specialty")]
    Specialties,
    #[error("the regions are si/do")]
    Regions,
    #[error("an e-mail address such as name@example.org")]
    Email,
    #[error("a telephone number of 7 to 20 digits, spaces and -()+")]
    Phone,
    #[error("an e-mail address or a telephone number to reach them")]
    Contact,
    #[error("the profile is at most {MAX_PROFILE} characters")]
    Profile,
}

impl ExpertError {
    pub fn field(&self) -> &'static str {
        match self {
            ExpertError::Name => "name",
            ExpertError::Organisation => "organisation",
            ExpertError::Specialties => "specialties",
            ExpertError::Regions => "regions",
            ExpertError::Email | ExpertError::Contact => "email",
            ExpertError::Phone => "phone",
            ExpertError::Profile => "profile",
        }
    }
}

impl Expert {
    /// An expert as typed: specialties and regions sorted and each kept once.
    pub fn new(e: Expert) -> Result<Expert, ExpertError> {
        let name = line(&e.name, MAX_NAME).ok_or(ExpertError::Name)?;
        let organisation =
            optional_line(&e.organisation, MAX_NAME).ok_or(ExpertError::Organisation)?;
        let mut specialties = e.specialties;
        specialties.sort();
        specialties.dedup();
        if specialties.is_empty() {
            return Err(ExpertError::Specialties);
        }
        let mut regions = e.regions;
        if regions.iter().any(|r| r.level() != Level::Sido) {
            return Err(ExpertError::Regions);
        }
        regions.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        regions.dedup();
        let email = e.email.trim().to_owned();
        if !email.is_empty() && (email.len() > MAX_NAME || !is_email(&email)) {
            return Err(ExpertError::Email);
        }
        let phone = e.phone.trim().to_owned();
        if !phone.is_empty() && !is_phone(&phone) {
            return Err(ExpertError::Phone);
        }
        if email.is_empty() && phone.is_empty() {
            return Err(ExpertError::Contact);
        }
        let profile = long_text(&e.profile, MAX_PROFILE).ok_or(ExpertError::Profile)?;
        Ok(Expert {
            name,
            organisation,
            specialties,
            regions,
            availability: e.availability,
            email,
            phone,
            profile,
        })
    }

    /// Whether they work in the si/do `sido` (or everywhere).
    pub fn works_in(&self, sido: &RegionCode) -> bool {
        self.regions.is_empty() || self.regions.contains(sido)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expert() -> Expert {
        Expert {
            name: " 한공론 ".into(),
            organisation: "마을공론연구소".into(),
            specialties: vec![
                Specialty::Facilitation,
                Specialty::ResidentAutonomy,
                Specialty::Facilitation,
            ],
            regions: vec![
                RegionCode::parse("4100000000").unwrap(),
                RegionCode::parse("1100000000").unwrap(),
            ],
            availability: Availability::Available,
            email: "han@example.org".into(),
            phone: String::new(),
            profile: "주민총회 퍼실리테이션 40회".into(),
        }
    }

    #[test]
    fn an_expert_is_checked_and_kept_in_order() {
        let e = Expert::new(expert()).unwrap();
        assert_eq!(e.name, "한공론");
        assert_eq!(
            e.specialties,
            vec![Specialty::ResidentAutonomy, Specialty::Facilitation]
        );
        assert_eq!(e.regions[0].as_str(), "1100000000");
        assert!(e.works_in(&RegionCode::parse("4100000000").unwrap()));
        assert!(!e.works_in(&RegionCode::parse("2600000000").unwrap()));
        let everywhere = Expert::new(Expert {
            regions: vec![],
            ..expert()
        })
        .unwrap();
        assert!(everywhere.works_in(&RegionCode::parse("2600000000").unwrap()));
        for (bad, field) in [
            (
                Expert {
                    name: " ".into(),
                    ..expert()
                },
                "name",
            ),
            (
                Expert {
                    specialties: vec![],
                    ..expert()
                },
                "specialties",
            ),
            (
                Expert {
                    regions: vec![RegionCode::parse("1111000000").unwrap()],
                    ..expert()
                },
                "regions",
            ),
            (
                Expert {
                    email: "han@".into(),
                    ..expert()
                },
                "email",
            ),
            (
                Expert {
                    email: String::new(),
                    ..expert()
                },
                "email",
            ),
            (
                Expert {
                    phone: "전화".into(),
                    ..expert()
                },
                "phone",
            ),
            (
                Expert {
                    profile: "a\u{0}".into(),
                    ..expert()
                },
                "profile",
            ),
        ] {
            assert_eq!(Expert::new(bad).unwrap_err().field(), field);
        }
        assert!(
            Expert::new(Expert {
                email: String::new(),
                phone: "010-1234-5678".into(),
                ..expert()
            })
            .is_ok()
        );
    }

    #[test]
    fn codes_read_back() {
        for s in Specialty::ALL {
            assert_eq!(Specialty::parse(s.as_str()), Some(s));
        }
        for a in Availability::ALL {
            assert_eq!(Availability::parse(a.as_str()), Some(a));
        }
    }
}
