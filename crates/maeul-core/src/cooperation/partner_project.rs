//! 민간 지원조직 주도 사업 — projects a private support organisation leads in a target area chosen
//! together with the local government and residents: the local actors it gathers, the shared
//! agenda, the survey of local resources, the consultants from the expert pool, and the private
//! funds and grant calls linked to it (seed §4 task 5: "대상지 공동 선정, 지역주체 발굴, 의제 발굴,
//! 지역자원 조사, 민간 기금·공모사업 연계").

use serde::{Deserialize, Serialize};
use time::Date;

use crate::text::{line, long_text};

/// Longest title, organisation, party, actor, resource or fund source, in characters.
pub const MAX_NAME: usize = 100;
/// Longest agenda, in characters.
pub const MAX_AGENDA: usize = 4000;
/// Most entries of one list (parties, actors, resources, funds).
pub const MAX_ITEMS: usize = 200;
/// Most consultants.
pub const MAX_CONSULTANTS: usize = 20;

/// Where the project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 대상지 선정.
    Selection,
    /// 지역주체·의제 발굴.
    Agenda,
    /// 지역자원 조사.
    Survey,
    /// 실행.
    Running,
    /// 종료.
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Selection,
        Stage::Agenda,
        Stage::Survey,
        Stage::Running,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Selection => "selection",
            Stage::Agenda => "agenda",
            Stage::Survey => "survey",
            Stage::Running => "running",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where money linked to the project comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundKind {
    /// 민간 기금 (a foundation, a company's fund).
    PrivateFund,
    /// 공모사업 (a ministry's or local government's grant call).
    GrantCall,
}

impl FundKind {
    pub const ALL: [FundKind; 2] = [FundKind::PrivateFund, FundKind::GrantCall];

    pub fn as_str(self) -> &'static str {
        match self {
            FundKind::PrivateFund => "private_fund",
            FundKind::GrantCall => "grant_call",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A linked fund: its source, kind and amount in won (0 while not known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fund {
    pub source: String,
    pub kind: FundKind,
    pub amount_won: i64,
}

/// A project as recorded; its target area is the region that keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerProject {
    pub title: String,
    /// 민간 지원조직.
    pub organisation: String,
    /// The day the target area was chosen.
    pub selected_on: Date,
    /// Who chose it together (the local government, the council, the organisation…).
    pub selected_with: Vec<String>,
    pub stage: Stage,
    /// 공동 의제.
    pub agenda: String,
    /// 지역 주체: residents' groups, social economy organisations, schools…
    pub actors: Vec<String>,
    /// 지역자원 조사: spaces, people, organisations, money found in the area.
    pub resources: Vec<String>,
    pub funds: Vec<Fund>,
    /// Experts of the pool who consult for it.
    pub consultants: Vec<i64>,
    /// The MOU it was agreed under, if any.
    pub mou_id: Option<i64>,
}

/// What is wrong, with the list entry (from 0) where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerError {
    #[error("a title of 1 to {MAX_NAME} characters")]
    Title,
    #[error("the organisation, 1 to {MAX_NAME} characters")]
    Organisation,
    #[error("the target area is chosen on or before today")]
    SelectedOn,
    #[error("1 to {MAX_ITEMS} who chose it, each once, of 1 to {MAX_NAME} characters")]
    SelectedWith(Option<usize>),
    #[error("the agenda is at most {MAX_AGENDA} characters")]
    Agenda,
    #[error("at most {MAX_ITEMS} actors, each once, of 1 to {MAX_NAME} characters")]
    Actors(Option<usize>),
    #[error("at most {MAX_ITEMS} resources of 1 to {MAX_NAME} characters")]
    Resources(Option<usize>),
    #[error(
        "at most {MAX_ITEMS} funds: a source of 1 to {MAX_NAME} characters, an amount not below 0"
    )]
    Funds(Option<usize>),
    #[error("at most {MAX_CONSULTANTS} consultants, each once")]
    Consultants,
}

impl PartnerError {
    /// The field at fault, with the entry: `actors[2]`.
    pub fn field(&self) -> String {
        let at = |name: &str, i: &Option<usize>| match i {
            Some(i) => format!("{name}[{i}]"),
            None => name.to_owned(),
        };
        match self {
            PartnerError::Title => "title".into(),
            PartnerError::Organisation => "organisation".into(),
            PartnerError::SelectedOn => "selected_on".into(),
            PartnerError::SelectedWith(i) => at("selected_with", i),
            PartnerError::Agenda => "agenda".into(),
            PartnerError::Actors(i) => at("actors", i),
            PartnerError::Resources(i) => at("resources", i),
            PartnerError::Funds(i) => at("funds", i),
            PartnerError::Consultants => "consultants".into(),
        }
    }
}

/// A list of names: each trimmed and on one line, `distinct` ones named once.
fn names(
    list: &[String],
    min: usize,
    distinct: bool,
    err: fn(Option<usize>) -> PartnerError,
) -> Result<Vec<String>, PartnerError> {
    if list.len() < min || list.len() > MAX_ITEMS {
        return Err(err(None));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, n) in list.iter().enumerate() {
        let n = line(n, MAX_NAME).ok_or(err(Some(i)))?;
        if distinct && out.contains(&n) {
            return Err(err(Some(i)));
        }
        out.push(n);
    }
    Ok(out)
}

impl PartnerProject {
    /// A project as typed on `today`.
    pub fn new(p: PartnerProject, today: Date) -> Result<PartnerProject, PartnerError> {
        let title = line(&p.title, MAX_NAME).ok_or(PartnerError::Title)?;
        let organisation = line(&p.organisation, MAX_NAME).ok_or(PartnerError::Organisation)?;
        if p.selected_on > today {
            return Err(PartnerError::SelectedOn);
        }
        let selected_with = names(&p.selected_with, 1, true, PartnerError::SelectedWith)?;
        let agenda = long_text(&p.agenda, MAX_AGENDA).ok_or(PartnerError::Agenda)?;
        let actors = names(&p.actors, 0, true, PartnerError::Actors)?;
        let resources = names(&p.resources, 0, false, PartnerError::Resources)?;
        if p.funds.len() > MAX_ITEMS {
            return Err(PartnerError::Funds(None));
        }
        let mut funds = Vec::with_capacity(p.funds.len());
        for (i, f) in p.funds.iter().enumerate() {
            let source = line(&f.source, MAX_NAME).ok_or(PartnerError::Funds(Some(i)))?;
            if f.amount_won < 0 {
                return Err(PartnerError::Funds(Some(i)));
            }
            funds.push(Fund {
                source,
                kind: f.kind,
                amount_won: f.amount_won,
            });
        }
        let mut consultants = p.consultants.clone();
        consultants.sort_unstable();
        consultants.dedup();
        if consultants.len() != p.consultants.len() || consultants.len() > MAX_CONSULTANTS {
            return Err(PartnerError::Consultants);
        }
        Ok(PartnerProject {
            title,
            organisation,
            selected_on: p.selected_on,
            selected_with,
            stage: p.stage,
            agenda,
            actors,
            resources,
            funds,
            consultants: p.consultants,
            mou_id: p.mou_id,
        })
    }

    /// The funds linked, in won, by kind: (private funds, grant calls).
    pub fn funded(&self) -> (i64, i64) {
        self.funds.iter().fold((0, 0), |(p, g), f| match f.kind {
            FundKind::PrivateFund => (p.saturating_add(f.amount_won), g),
            FundKind::GrantCall => (p, g.saturating_add(f.amount_won)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 27);

    fn project() -> PartnerProject {
        PartnerProject {
            title: " 청운효자동 골목 돌봄 ".into(),
            organisation: "마을지원센터 (예시)".into(),
            selected_on: date!(2026 - 03 - 02),
            selected_with: vec!["종로구".into(), "청운효자동 주민자치회".into()],
            stage: Stage::Agenda,
            agenda: "혼자 사는 어르신 돌봄".into(),
            actors: vec!["청운경로당".into(), "마을 협동조합".into()],
            resources: vec!["주민센터 3층 강당".into(), "마을 정원".into()],
            funds: vec![
                Fund {
                    source: "사회복지공동모금회".into(),
                    kind: FundKind::PrivateFund,
                    amount_won: 30_000_000,
                },
                Fund {
                    source: "행정안전부 공모".into(),
                    kind: FundKind::GrantCall,
                    amount_won: 50_000_000,
                },
            ],
            consultants: vec![3, 1],
            mou_id: None,
        }
    }

    #[test]
    fn a_project_is_checked_entry_by_entry() {
        let p = PartnerProject::new(project(), TODAY).unwrap();
        assert_eq!(p.title, "청운효자동 골목 돌봄");
        assert_eq!(p.funded(), (30_000_000, 50_000_000));
        let bad = |change: fn(&mut PartnerProject)| {
            let mut p = project();
            change(&mut p);
            PartnerProject::new(p, TODAY).unwrap_err().field()
        };
        assert_eq!(bad(|p| p.title = " ".into()), "title");
        assert_eq!(bad(|p| p.organisation = String::new()), "organisation");
        assert_eq!(
            bad(|p| p.selected_on = date!(2026 - 11 - 28)),
            "selected_on"
        );
        assert_eq!(bad(|p| p.selected_with.clear()), "selected_with");
        assert_eq!(
            bad(|p| p.selected_with.push("종로구 ".into())),
            "selected_with[2]"
        );
        assert_eq!(bad(|p| p.actors[1] = "a\nb".into()), "actors[1]");
        assert_eq!(bad(|p| p.resources[0] = "가".repeat(101)), "resources[0]");
        assert_eq!(bad(|p| p.funds[1].amount_won = -1), "funds[1]");
        assert_eq!(bad(|p| p.funds[0].source = " ".into()), "funds[0]");
        assert_eq!(bad(|p| p.consultants.push(3)), "consultants");
        assert_eq!(bad(|p| p.agenda = "가".repeat(4001)), "agenda");
    }

    #[test]
    fn stages_and_fund_kinds_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for k in FundKind::ALL {
            assert_eq!(FundKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Stage::parse("done"), None);
    }
}
