//! 담당자 네트워크 — the national network of the officers in charge of each field of the programme
//! in every local government, from the ministry down to the eup/myeon/dong, so that an officer
//! finds a peer or the ministry finds who answers for a place.

use serde::{Deserialize, Serialize};

use crate::contact::{is_email, is_phone};

/// Longest name, department or position, in characters.
pub const MAX_NAME: usize = 100;

/// 분야 — what an officer is in charge of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 사업 총괄 (주민자치형 공공서비스).
    Programme,
    /// 조직·인력 (읍·면·동 조직 모형, 인력 배치).
    Organisation,
    /// 주민자치 (주민자치회, 주민총회, 자치계획).
    ResidentAutonomy,
    /// 찾아가는 복지 (발굴, 방문 상담).
    Welfare,
    /// 방문건강관리.
    VisitingHealth,
    /// 통합사례관리.
    CaseManagement,
    /// 지역사회자원·민관협력.
    Cooperation,
    /// 지역사업 연계·공모.
    RegionalProjects,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Programme,
        Field::Organisation,
        Field::ResidentAutonomy,
        Field::Welfare,
        Field::VisitingHealth,
        Field::CaseManagement,
        Field::Cooperation,
        Field::RegionalProjects,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Programme => "programme",
            Field::Organisation => "organisation",
            Field::ResidentAutonomy => "resident_autonomy",
            Field::Welfare => "welfare",
            Field::VisitingHealth => "visiting_health",
            Field::CaseManagement => "case_management",
            Field::Cooperation => "cooperation",
            Field::RegionalProjects => "regional_projects",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficerError {
    #[error("a {field} of 1 to {MAX_NAME} characters is needed")]
    Required { field: &'static str },
    #[error("the {field} is at most {MAX_NAME} characters")]
    TooLong { field: &'static str },
    #[error("a telephone number of digits, spaces, '-', '(' ')' and '+', 7 to 20 characters")]
    Phone,
    #[error("an e-mail address such as name@korea.kr")]
    Email,
}

impl OfficerError {
    pub fn field(&self) -> &'static str {
        match self {
            OfficerError::Required { field } | OfficerError::TooLong { field } => field,
            OfficerError::Phone => "phone",
            OfficerError::Email => "email",
        }
    }
}

fn required(s: &str, field: &'static str) -> Result<String, OfficerError> {
    let t = s.trim();
    if t.is_empty() || t.chars().any(char::is_control) {
        return Err(OfficerError::Required { field });
    }
    if s.chars().count() > MAX_NAME {
        return Err(OfficerError::TooLong { field });
    }
    Ok(t.to_owned())
}

/// 담당자 — an officer as listed: who, in which department and position, how to reach them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub field: Field,
    pub name: String,
    /// 부서 — the department or team (복지정책과, 행정복지센터 맞춤형복지팀 …).
    pub department: String,
    /// 직위 — optional (주무관, 팀장 …).
    pub position: String,
    /// 전화 — the office telephone.
    pub phone: String,
    /// 전자우편 — optional, the office address.
    pub email: String,
}

impl Officer {
    pub fn new(o: Officer) -> Result<Officer, OfficerError> {
        let name = required(&o.name, "name")?;
        let department = required(&o.department, "department")?;
        let position = o.position.trim().to_owned();
        if position.chars().count() > MAX_NAME || position.chars().any(char::is_control) {
            return Err(OfficerError::TooLong { field: "position" });
        }
        let phone = o.phone.trim().to_owned();
        if !is_phone(&phone) {
            return Err(OfficerError::Phone);
        }
        let email = o.email.trim().to_owned();
        if !email.is_empty() && (email.len() > MAX_NAME || !is_email(&email)) {
            return Err(OfficerError::Email);
        }
        Ok(Officer {
            field: o.field,
            name,
            department,
            position,
            phone,
            email,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer() -> Officer {
        Officer {
            field: Field::ResidentAutonomy,
            name: " 김담당 ".into(),
            department: "자치행정과".into(),
            position: "주무관".into(),
            phone: "02-2148-1234".into(),
            email: "kim@korea.kr".into(),
        }
    }

    #[test]
    fn an_officer_has_a_name_a_department_and_a_telephone() {
        let o = Officer::new(officer()).unwrap();
        assert_eq!(o.name, "김담당");
        let nameless = Officer {
            name: " ".into(),
            ..officer()
        };
        assert_eq!(Officer::new(nameless).unwrap_err().field(), "name");
        for phone in ["123", "02-2148-12a4", "----------"] {
            let bad = Officer {
                phone: phone.into(),
                ..officer()
            };
            assert_eq!(Officer::new(bad), Err(OfficerError::Phone), "{phone}");
        }
        for email in [
            "kim",
            "kim@korea",
            "@korea.kr",
            "kim @korea.kr",
            "a@b@c.kr",
            "kim@korea..kr",
            "a@b.kr?cc=x@evil.kr",
        ] {
            let bad = Officer {
                email: email.into(),
                ..officer()
            };
            assert_eq!(Officer::new(bad), Err(OfficerError::Email), "{email}");
        }
        let no_email = Officer {
            email: String::new(),
            position: String::new(),
            ..officer()
        };
        assert!(Officer::new(no_email).is_ok());
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
    }
}
