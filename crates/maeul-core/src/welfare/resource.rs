//! 지역사회자원 연계 — the directory of public and private services of an area, and referrals
//! of people to them with their status and result.

use serde::{Deserialize, Serialize};

/// What a service offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 식품·생필품 (푸드뱅크 등)
    Food,
    /// 주거
    Housing,
    /// 보건·의료
    Health,
    /// 돌봄
    Care,
    /// 고용·일자리
    Employment,
    /// 생계·금융 지원
    Finance,
    /// 교육
    Education,
    /// 법률·권익
    Legal,
    /// 정신건강·상담
    MentalHealth,
    Other,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Food,
        Category::Housing,
        Category::Health,
        Category::Care,
        Category::Employment,
        Category::Finance,
        Category::Education,
        Category::Legal,
        Category::MentalHealth,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Food => "food",
            Category::Housing => "housing",
            Category::Health => "health",
            Category::Care => "care",
            Category::Employment => "employment",
            Category::Finance => "finance",
            Category::Education => "education",
            Category::Legal => "legal",
            Category::MentalHealth => "mental_health",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Who runs a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// 공공
    Public,
    /// 민간
    Private,
}

impl Sector {
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Public => "public",
            Sector::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Sector::Public, Sector::Private]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourceError {
    #[error("a name has 1 to 100 characters")]
    Name,
    #[error("unknown category")]
    Category,
    #[error("a sector is public or private")]
    Sector,
    #[error("a capacity is a whole number from 0")]
    Capacity,
    #[error("the text is too long")]
    TooLong(&'static str),
    #[error("unknown referral status")]
    Status,
    #[error("a referral moves requested → accepted → completed, or is declined")]
    Transition,
}

impl ResourceError {
    pub fn field(&self) -> &'static str {
        match self {
            ResourceError::Name => "name",
            ResourceError::Category => "category",
            ResourceError::Sector => "sector",
            ResourceError::Capacity => "capacity",
            ResourceError::TooLong(field) => field,
            ResourceError::Status | ResourceError::Transition => "status",
        }
    }
}

/// A service in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub category: Category,
    pub sector: Sector,
    pub provider: String,
    pub capacity: Option<i64>,
    pub contact: String,
    pub description: String,
}

fn bounded(field: &'static str, s: &str, max: usize) -> Result<String, ResourceError> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(ResourceError::TooLong(field));
    }
    Ok(s.to_owned())
}

impl Resource {
    pub fn new(
        name: &str,
        category: &str,
        sector: &str,
        provider: &str,
        capacity: Option<i64>,
        contact: &str,
        description: &str,
    ) -> Result<Self, ResourceError> {
        let name = name.trim();
        if !(1..=100).contains(&name.chars().count()) {
            return Err(ResourceError::Name);
        }
        if capacity.is_some_and(|c| c < 0) {
            return Err(ResourceError::Capacity);
        }
        Ok(Resource {
            name: name.to_owned(),
            category: Category::parse(category.trim()).ok_or(ResourceError::Category)?,
            sector: Sector::parse(sector.trim()).ok_or(ResourceError::Sector)?,
            provider: bounded("provider", provider, 100)?,
            capacity,
            contact: bounded("contact", contact, 200)?,
            description: bounded("description", description, 2000)?,
        })
    }
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// 의뢰
    Requested,
    /// 접수(수락)
    Accepted,
    /// 서비스 제공 완료
    Completed,
    /// 거절·불가
    Declined,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 4] = [
        ReferralStatus::Requested,
        ReferralStatus::Accepted,
        ReferralStatus::Completed,
        ReferralStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Requested => "requested",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether a referral may move from this status to `next`.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, next),
            (Requested, Accepted)
                | (Requested, Declined)
                | (Accepted, Completed)
                | (Accepted, Declined)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_checked() {
        let r = Resource::new(
            " 종로 푸드뱅크 ",
            "food",
            "private",
            "종로구 자원봉사센터",
            Some(40),
            "02-000-0000",
            "",
        )
        .unwrap();
        assert_eq!(r.name, "종로 푸드뱅크");
        assert_eq!(
            Resource::new("", "food", "private", "", None, "", ""),
            Err(ResourceError::Name)
        );
        assert_eq!(
            Resource::new("a", "magic", "private", "", None, "", "")
                .unwrap_err()
                .field(),
            "category"
        );
        assert_eq!(
            Resource::new("a", "food", "private", "", Some(-1), "", ""),
            Err(ResourceError::Capacity)
        );
    }

    #[test]
    fn referrals_move_forward_only() {
        use ReferralStatus::*;
        assert!(Requested.may_become(Accepted));
        assert!(Accepted.may_become(Completed));
        assert!(Requested.may_become(Declined));
        assert!(!Completed.may_become(Accepted));
        assert!(!Requested.may_become(Completed));
        assert!(!Declined.may_become(Accepted));
    }
}
