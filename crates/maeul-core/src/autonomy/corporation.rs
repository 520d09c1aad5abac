//! 실행 법인 — organisations linked to a council that carry out its projects: a social
//! co-operative, a village enterprise, a co-operative or a non-profit takes on projects the
//! council commissions (위탁) or subsidises (보조) under a contract, and reports on them.

use serde::{Deserialize, Serialize};
use time::Date;

use super::plan::{self, MAX_TEXT, MAX_TITLE, PlanError};

/// Longest name of an organisation or its representative, in characters.
pub const MAX_NAME: usize = 100;

/// What kind of organisation it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 사회적협동조합.
    SocialCooperative,
    /// 협동조합.
    Cooperative,
    /// 마을기업.
    VillageEnterprise,
    /// 사회적기업.
    SocialEnterprise,
    /// 비영리법인·단체.
    NonProfit,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::SocialCooperative,
        OrgKind::Cooperative,
        OrgKind::VillageEnterprise,
        OrgKind::SocialEnterprise,
        OrgKind::NonProfit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::SocialCooperative => "social_cooperative",
            OrgKind::Cooperative => "cooperative",
            OrgKind::VillageEnterprise => "village_enterprise",
            OrgKind::SocialEnterprise => "social_enterprise",
            OrgKind::NonProfit => "non_profit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How the organisation takes on a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    /// 위탁 — the council commissions the work.
    Commissioned,
    /// 보조 — the council subsidises the organisation's own project.
    Subsidised,
}

impl ContractKind {
    pub const ALL: [ContractKind; 2] = [ContractKind::Commissioned, ContractKind::Subsidised];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractKind::Commissioned => "commissioned",
            ContractKind::Subsidised => "subsidised",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What is wrong with an organisation, a contract or a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorporationError {
    #[error("a name of 1 to {MAX_NAME} characters is needed")]
    Name { field: &'static str },
    #[error("a title of 1 to {MAX_TITLE} characters is needed")]
    Title,
    #[error("a registration number of 10 or 13 digits (business or corporation number)")]
    Registration,
    #[error("a contact of at most {} characters", MAX_NAME * 2)]
    Contact,
    #[error("a contract ends on or after the day it starts")]
    Period,
    #[error("a report of 1 to {MAX_TEXT} characters is needed")]
    Report,
    #[error(transparent)]
    Plan(#[from] PlanError),
}

impl CorporationError {
    pub fn field(&self) -> &'static str {
        match self {
            CorporationError::Name { field } => field,
            CorporationError::Title => "title",
            CorporationError::Registration => "registration_no",
            CorporationError::Contact => "contact",
            CorporationError::Period => "ends_on",
            CorporationError::Report => "body",
            CorporationError::Plan(e) => e.field(),
        }
    }
}

fn bounded(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && s.chars().count() <= max && !t.chars().any(char::is_control))
        .then(|| t.to_owned())
}

/// An organisation as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub kind: OrgKind,
    /// 사업자등록번호 (10 digits) or 법인등록번호 (13 digits), digits only; optional.
    pub registration_no: Option<String>,
    /// 대표자 — published in the registry as on the organisation's own registration.
    pub representative: String,
    pub founded_on: Option<Date>,
    /// 연락처 — the organisation's public contact (telephone, address or web).
    pub contact: String,
    pub description: String,
}

impl Organisation {
    pub fn new(o: Organisation) -> Result<Organisation, CorporationError> {
        let name = bounded(&o.name, MAX_NAME).ok_or(CorporationError::Name { field: "name" })?;
        let representative =
            bounded(&o.representative, MAX_NAME).ok_or(CorporationError::Name {
                field: "representative",
            })?;
        let registration_no = match o.registration_no.as_deref() {
            None | Some("") => None,
            Some(r) => {
                let digits: String = r.chars().filter(|c| *c != '-').collect();
                if !(digits.len() == 10 || digits.len() == 13)
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                    || r.len() > 20
                {
                    return Err(CorporationError::Registration);
                }
                Some(digits)
            }
        };
        if o.contact.chars().count() > MAX_NAME * 2 || o.contact.chars().any(char::is_control) {
            return Err(CorporationError::Contact);
        }
        Ok(Organisation {
            name,
            representative,
            registration_no,
            contact: o.contact.trim().to_owned(),
            description: plan::note(&o.description, "description")?,
            ..o
        })
    }
}

/// A contract for a project: commissioned or subsidised, with its amount and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub title: String,
    pub kind: ContractKind,
    /// 계약·보조 금액 (원).
    pub amount: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The adopted plan item it carries out, if any.
    pub plan_item_id: Option<i64>,
}

impl Contract {
    pub fn new(c: Contract) -> Result<Contract, CorporationError> {
        let title = bounded(&c.title, MAX_TITLE).ok_or(CorporationError::Title)?;
        if c.ends_on < c.starts_on {
            return Err(CorporationError::Period);
        }
        Ok(Contract {
            title,
            amount: plan::amount(c.amount, "amount")?,
            ..c
        })
    }
}

/// A report on a contract: what was done, and what was spent so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub body: String,
    pub spent: Option<i64>,
}

impl Report {
    pub fn new(body: &str, spent: Option<i64>) -> Result<Report, CorporationError> {
        let trimmed = body.trim();
        if trimmed.is_empty() || body.chars().count() > MAX_TEXT {
            return Err(CorporationError::Report);
        }
        Ok(Report {
            body: trimmed.to_owned(),
            spent: spent.map(|s| plan::amount(s, "spent")).transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn org() -> Organisation {
        Organisation {
            name: " 청운마을 사회적협동조합 ".into(),
            kind: OrgKind::SocialCooperative,
            registration_no: Some("110-11-23456".into()),
            representative: "김대표".into(),
            founded_on: Some(date!(2021 - 03 - 02)),
            contact: "02-000-0000".into(),
            description: String::new(),
        }
    }

    #[test]
    fn an_organisation_needs_a_name_a_representative_and_a_real_number() {
        let o = Organisation::new(org()).unwrap();
        assert_eq!(o.name, "청운마을 사회적협동조합");
        assert_eq!(o.registration_no.as_deref(), Some("1101123456"));
        let bad = Organisation {
            registration_no: Some("12345".into()),
            ..org()
        };
        assert_eq!(Organisation::new(bad), Err(CorporationError::Registration));
        let none = Organisation {
            registration_no: Some(String::new()),
            ..org()
        };
        assert_eq!(Organisation::new(none).unwrap().registration_no, None);
        let spaced = Organisation {
            registration_no: Some(" 1101123456".into()),
            ..org()
        };
        assert_eq!(
            Organisation::new(spaced),
            Err(CorporationError::Registration)
        );
        let nameless = Organisation {
            representative: " ".into(),
            ..org()
        };
        assert_eq!(
            Organisation::new(nameless).unwrap_err().field(),
            "representative"
        );
    }

    #[test]
    fn a_contract_has_a_title_an_amount_and_a_period() {
        let c = Contract {
            title: "골목 화단 관리 위탁".into(),
            kind: ContractKind::Commissioned,
            amount: 3_000_000,
            starts_on: date!(2026 - 04 - 01),
            ends_on: date!(2026 - 11 - 30),
            plan_item_id: None,
        };
        assert!(Contract::new(c.clone()).is_ok());
        let backwards = Contract {
            ends_on: date!(2026 - 03 - 31),
            ..c.clone()
        };
        assert_eq!(Contract::new(backwards), Err(CorporationError::Period));
        let negative = Contract { amount: -1, ..c };
        assert_eq!(Contract::new(negative).unwrap_err().field(), "amount");
    }

    #[test]
    fn a_report_says_something() {
        assert_eq!(
            Report::new(" 4월 작업 완료 ", Some(500_000)).unwrap().body,
            "4월 작업 완료"
        );
        assert_eq!(Report::new(" ", None), Err(CorporationError::Report));
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        for k in ContractKind::ALL {
            assert_eq!(ContractKind::parse(k.as_str()), Some(k));
        }
    }
}
