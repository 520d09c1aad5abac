//! 업무협약 (MOU) — agreements of public-private cooperation, recorded where they were made: the
//! five-ministry MOU at the nation (seed §4: "5부처(행안․국토․복지․농림․교육) MOU 체결"), those of
//! a private support organisation's project with the local government that hosts it, and those
//! between the local actors of a place on a shared agenda ("민․관 지역주체간 MOU 체결 지원").

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest title or party name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest scope, in characters.
pub const MAX_SCOPE: usize = 20_000;
/// Most parties to one agreement.
pub const MAX_PARTIES: usize = 30;

/// Who the parties are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 부처 간 협약: ministries together (the five-ministry MOU).
    Interministerial,
    /// 민관 협약: government with private organisations, funds or companies.
    PublicPrivate,
    /// 지역 주체 간 협약: the local actors of a place on a shared agenda.
    LocalActors,
}

impl Kind {
    pub const ALL: [Kind; 3] = [
        Kind::Interministerial,
        Kind::PublicPrivate,
        Kind::LocalActors,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Interministerial => "interministerial",
            Kind::PublicPrivate => "public_private",
            Kind::LocalActors => "local_actors",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An agreement as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mou {
    pub title: String,
    pub kind: Kind,
    /// The parties in the order the agreement names them.
    pub parties: Vec<String>,
    pub signed_on: Date,
    /// The last day it runs, when it says one.
    pub ends_on: Option<Date>,
    /// 협력 범위: what the parties agree to do together.
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MouError {
    #[error("a title of 1 to {MAX_NAME} characters without control characters")]
    Title,
    #[error("2 to {MAX_PARTIES} parties, each named once in 1 to {MAX_NAME} characters")]
    Parties,
    #[error("an agreement is recorded once signed: no day after today")]
    Future,
    #[error("it ends after the day it was signed")]
    Ends,
    #[error("the scope is at most {MAX_SCOPE} characters")]
    Scope,
}

impl MouError {
    pub fn field(&self) -> &'static str {
        match self {
            MouError::Title => "title",
            MouError::Parties => "parties",
            MouError::Future => "signed_on",
            MouError::Ends => "ends_on",
            MouError::Scope => "scope",
        }
    }
}

impl Mou {
    /// An agreement as typed, checked against `today`.
    pub fn new(
        title: &str,
        kind: Kind,
        parties: &[String],
        signed_on: Date,
        ends_on: Option<Date>,
        scope: &str,
        today: Date,
    ) -> Result<Mou, MouError> {
        let title = crate::text::line(title, MAX_NAME).ok_or(MouError::Title)?;
        let parties = parties
            .iter()
            .map(|p| crate::text::line(p, MAX_NAME).ok_or(MouError::Parties))
            .collect::<Result<Vec<_>, _>>()?;
        let mut distinct: Vec<String> = parties.iter().map(|p| p.to_lowercase()).collect();
        distinct.sort();
        distinct.dedup();
        if parties.len() < 2 || parties.len() > MAX_PARTIES || distinct.len() != parties.len() {
            return Err(MouError::Parties);
        }
        if signed_on > today {
            return Err(MouError::Future);
        }
        if ends_on.is_some_and(|e| e <= signed_on) {
            return Err(MouError::Ends);
        }
        Ok(Mou {
            title,
            kind,
            parties,
            signed_on,
            ends_on,
            scope: crate::text::long_text(scope, MAX_SCOPE).ok_or(MouError::Scope)?,
        })
    }

    /// Whether it runs on `day` (signed, and not ended).
    pub fn in_force(&self, day: Date) -> bool {
        self.signed_on <= day && self.ends_on.is_none_or(|e| day <= e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn parties(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    const TODAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn an_agreement_is_checked() {
        let five = parties(&[
            "행정안전부",
            "국토교통부",
            "보건복지부",
            "농림축산식품부",
            "교육부",
        ]);
        let m = Mou::new(
            " 지역활성화 5부처 업무협약 ",
            Kind::Interministerial,
            &five,
            date!(2019 - 03 - 20),
            None,
            "인구감소 대응과 지역활성화를 위한 융합적 협력",
            TODAY,
        )
        .unwrap();
        assert_eq!(m.title, "지역활성화 5부처 업무협약");
        assert_eq!(m.parties.len(), 5);
        assert!(m.in_force(TODAY));
        let signed = date!(2026 - 01 - 05);
        let check = |p: &[&str], on: Date, ends: Option<Date>| {
            Mou::new("협약", Kind::LocalActors, &parties(p), on, ends, "", TODAY)
        };
        assert_eq!(
            check(&["주민자치회"], signed, None).unwrap_err(),
            MouError::Parties
        );
        assert_eq!(
            check(&["주민자치회", " 주민자치회"], signed, None).unwrap_err(),
            MouError::Parties,
            "a party named twice"
        );
        assert_eq!(
            check(&["주민자치회", ""], signed, None).unwrap_err(),
            MouError::Parties
        );
        assert_eq!(
            check(
                &["주민자치회", "사회적협동조합"],
                date!(2026 - 11 - 27),
                None
            )
            .unwrap_err(),
            MouError::Future
        );
        assert_eq!(
            check(&["주민자치회", "사회적협동조합"], signed, Some(signed)).unwrap_err(),
            MouError::Ends
        );
        let ended = check(
            &["주민자치회", "사회적협동조합"],
            signed,
            Some(date!(2026 - 06 - 30)),
        )
        .unwrap();
        assert!(!ended.in_force(TODAY));
        assert!(ended.in_force(date!(2026 - 06 - 30)));
        let many: Vec<String> = (0..=MAX_PARTIES).map(|i| format!("단체{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(check(&many, signed, None).unwrap_err(), MouError::Parties);
    }

    #[test]
    fn kinds_read_back() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("other"), None);
    }
}
