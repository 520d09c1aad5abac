//! 자치계획 — the autonomy plan: the council's yearly plan of items, each with its budget,
//! funding source and responsible subcommittee, put to the resident general assembly, carried
//! out, and closed with a settlement (결산).
//!
//! A plan moves one way: draft → at the assembly → adopted → executing → closed. An assembly
//! whose result is not valid sends the plan back to draft, so that it can be put again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assembly::{DecisionRule, Item as BallotItem, PricedOption, Rules};
use crate::topic::Topic;

/// Longest item title, in characters (also the assembly's longest title).
pub const MAX_TITLE: usize = super::assembly::MAX_TITLE;
/// Longest description or settlement note, in characters.
pub const MAX_TEXT: usize = 5_000;
/// The highest budget or spending of one item, in won (one trillion).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// Most items in one plan (the assembly decides at most this many items).
pub const MAX_ITEMS: usize = super::assembly::MAX_ITEMS;

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 작성 중 — items may be added, changed and removed.
    Draft,
    /// 총회 상정 — put to an assembly; the items are fixed until it decides.
    AtAssembly,
    /// 의결 — the assembly decided; adopted items wait to be carried out.
    Adopted,
    /// 실행 중 — adopted items are carried out and their spending recorded.
    Executing,
    /// 결산 완료 — closed with its settlement.
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::AtAssembly,
        Status::Adopted,
        Status::Executing,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::AtAssembly => "at_assembly",
            Status::Adopted => "adopted",
            Status::Executing => "executing",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// 재원 — where an item's money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    /// 주민세 환원 — resident tax returned to the eup/myeon/dong.
    ResidentTaxReturn,
    /// 주민참여예산.
    ParticipatoryBudget,
    /// 특별회계.
    SpecialAccount,
    /// 보조금·공모사업 — grants, including ministries' competitive calls.
    Grant,
    /// 민간 재원 — private funds and donations.
    Private,
    /// 자체 재원 — the council's own income.
    Own,
}

impl Funding {
    pub const ALL: [Funding; 6] = [
        Funding::ResidentTaxReturn,
        Funding::ParticipatoryBudget,
        Funding::SpecialAccount,
        Funding::Grant,
        Funding::Private,
        Funding::Own,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Funding::ResidentTaxReturn => "resident_tax_return",
            Funding::ParticipatoryBudget => "participatory_budget",
            Funding::SpecialAccount => "special_account",
            Funding::Grant => "grant",
            Funding::Private => "private",
            Funding::Own => "own",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// What the assembly decided on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not decided yet.
    Pending,
    /// 가결 — adopted: it will be carried out.
    Adopted,
    /// 부결 — not adopted.
    NotAdopted,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Pending, Decision::Adopted, Decision::NotAdopted];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Adopted => "adopted",
            Decision::NotAdopted => "not_adopted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// What is wrong with a plan, an item or a spending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("a plan is for a year from 2000 to 2100")]
    Year,
    #[error("a title of 1 to {MAX_TITLE} characters is needed")]
    Title,
    #[error("the text is at most {MAX_TEXT} characters")]
    Text { field: &'static str },
    #[error("an amount in won from 0 to one trillion")]
    Amount { field: &'static str },
    #[error("a plan put to the assembly has 1 to {MAX_ITEMS} items")]
    ItemCount,
    #[error("two items of the plan have the same title: {0}")]
    SameTitle(String),
    #[error("the assembly already has an item titled {0}")]
    OnBallot(String),
    #[error(
        "a vote within a limit needs two or more items with budgets, and a limit from the cheapest item to one trillion won"
    )]
    Limit,
}

impl PlanError {
    pub fn field(&self) -> &'static str {
        match self {
            PlanError::Year => "year",
            PlanError::Title | PlanError::SameTitle(_) | PlanError::OnBallot(_) => "title",
            PlanError::Text { field } | PlanError::Amount { field } => field,
            PlanError::ItemCount => "items",
            PlanError::Limit => "limit",
        }
    }
}

/// A plan's year, checked.
pub fn year(y: i64) -> Result<i32, PlanError> {
    if (2000..=2100).contains(&y) {
        Ok(y as i32)
    } else {
        Err(PlanError::Year)
    }
}

/// An amount in won within bounds, or the error naming `field`.
pub fn amount(won: i64, field: &'static str) -> Result<i64, PlanError> {
    if (0..=MAX_AMOUNT).contains(&won) {
        Ok(won)
    } else {
        Err(PlanError::Amount { field })
    }
}

/// A text trimmed, possibly empty, within bounds.
pub fn note(s: &str, field: &'static str) -> Result<String, PlanError> {
    if s.chars().count() > MAX_TEXT {
        return Err(PlanError::Text { field });
    }
    Ok(s.trim().to_owned())
}

/// 계획 사업 — one item of a plan, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub title: String,
    pub description: String,
    pub topic: Topic,
    /// 예산 (원).
    pub budget: i64,
    pub funding: Funding,
    /// The responsible subcommittee (one of the place's).
    pub subcommittee_id: Option<i64>,
    /// The agenda item it grew from (one of the place's).
    pub agenda_item_id: Option<i64>,
}

impl PlanItem {
    pub fn new(p: PlanItem) -> Result<PlanItem, PlanError> {
        let title = p.title.trim();
        if title.is_empty() || p.title.chars().count() > MAX_TITLE {
            return Err(PlanError::Title);
        }
        Ok(PlanItem {
            title: title.to_owned(),
            description: note(&p.description, "description")?,
            budget: amount(p.budget, "budget")?,
            ..p
        })
    }
}

/// How a plan is put to the assembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ballot {
    /// Each item its own yes/no question: adopted when yes outnumbers no.
    EachItem,
    /// One question over all items with their budgets as costs and a spending limit: items are
    /// adopted in order of votes while they fit (the assembly's `budget` rule).
    WithinLimit(i64),
}

/// Where an item of the plan stands on the ballot paper: the assembly item's title and the
/// option that adopts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub ballot_item: String,
    pub option: String,
}

/// The assembly items that put `items` (title, budget) to the vote, and where each plan item
/// stands on them. `heading` names the one question of [`Ballot::WithinLimit`]; `on_ballot`
/// are the titles the assembly already has, which the new items must not repeat (the decision
/// is read back by title).
pub fn ballot_items(
    items: &[(String, i64)],
    ballot: Ballot,
    heading: &str,
    on_ballot: &[&str],
) -> Result<(Vec<BallotItem>, Vec<Placement>), PlanError> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(PlanError::ItemCount);
    }
    let mut seen = std::collections::HashSet::new();
    for (title, _) in items {
        if !seen.insert(title.as_str()) {
            return Err(PlanError::SameTitle(title.clone()));
        }
    }
    let new_titles: Vec<&str> = match ballot {
        Ballot::EachItem => items.iter().map(|(t, _)| t.as_str()).collect(),
        Ballot::WithinLimit(_) => vec![heading],
    };
    if let Some(t) = new_titles.iter().find(|t| on_ballot.contains(t)) {
        return Err(PlanError::OnBallot((*t).to_owned()));
    }
    match ballot {
        Ballot::EachItem => Ok(items
            .iter()
            .map(|(title, _)| {
                (
                    BallotItem {
                        title: title.clone(),
                        rule: DecisionRule::Majority,
                    },
                    Placement {
                        ballot_item: title.clone(),
                        option: "yes".into(),
                    },
                )
            })
            .unzip()),
        Ballot::WithinLimit(limit) => {
            // The assembly's budget rule: two options or more, costs and limit from 1 won.
            let cheapest = items.iter().map(|(_, b)| *b).min().unwrap_or(0);
            if items.len() < 2 || cheapest < 1 || limit < cheapest || limit > MAX_AMOUNT {
                return Err(PlanError::Limit);
            }
            let item = BallotItem {
                title: heading.to_owned(),
                rule: DecisionRule::Budget {
                    limit,
                    options: items
                        .iter()
                        .map(|(title, cost)| PricedOption {
                            title: title.clone(),
                            cost: *cost,
                        })
                        .collect(),
                },
            };
            let placements = items
                .iter()
                .map(|(title, _)| Placement {
                    ballot_item: heading.to_owned(),
                    option: title.clone(),
                })
                .collect();
            Ok((vec![item], placements))
        }
    }
}

/// An item's decision from the winners of each assembly item (by title); `None` when its
/// assembly item is no longer on the ballot.
pub fn decision_of(
    placement: &Placement,
    winners: &BTreeMap<String, Vec<String>>,
) -> Option<Decision> {
    winners.get(&placement.ballot_item).map(|w| {
        if w.contains(&placement.option) {
            Decision::Adopted
        } else {
            Decision::NotAdopted
        }
    })
}

/// Whether new rules of an assembly keep every question a plan `placed` on its ballot exactly
/// as it was, once each (the plan's decision is read back by those titles).
pub fn keeps_placed(before: &Rules, after: &Rules, placed: &[String]) -> bool {
    placed.iter().all(|title| {
        let was: Vec<&BallotItem> = before.items.iter().filter(|i| &i.title == title).collect();
        let is: Vec<&BallotItem> = after.items.iter().filter(|i| &i.title == title).collect();
        is.len() == 1 && was == is
    })
}

/// Budget and spending of one funding source, or of the whole plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sums {
    pub budget: i64,
    pub spent: i64,
}

impl Sums {
    /// 잔액 — what is left of the budget (negative when overspent).
    pub fn balance(&self) -> i64 {
        self.budget - self.spent
    }
}

/// 결산 — the adopted items' budgets and spending per funding source and in total. Items not
/// adopted are left out; an adopted item without recorded spending counts as nothing spent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settlement {
    pub by_funding: BTreeMap<Funding, Sums>,
    pub total: Sums,
}

/// The settlement of items given as (decision, funding, budget, spent).
pub fn settle(
    items: impl IntoIterator<Item = (Decision, Funding, i64, Option<i64>)>,
) -> Settlement {
    let mut s = Settlement::default();
    for (decision, funding, budget, spent) in items {
        if decision != Decision::Adopted {
            continue;
        }
        let spent = spent.unwrap_or(0);
        let f = s.by_funding.entry(funding).or_default();
        f.budget += budget;
        f.spent += spent;
        s.total.budget += budget;
        s.total.spent += spent;
    }
    s
}

/// One funding source of a plan: what it has (확보액), what the adopted items take of it
/// (배정액), what they spent (집행액), what is left to allocate and what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundLine {
    pub funding: Funding,
    pub available: i64,
    pub allocated: i64,
    pub spent: i64,
}

impl FundLine {
    /// 미배정액 — available and not allocated (negative when items take more than there is).
    pub fn unallocated(&self) -> i64 {
        self.available - self.allocated
    }

    /// 잔액 — available and not spent.
    pub fn balance(&self) -> i64 {
        self.available - self.spent
    }
}

/// The plan's funds against its settlement: a line for every source that has money or adopted
/// items, in the order of [`Funding::ALL`].
pub fn fund_lines(available: &BTreeMap<Funding, i64>, settlement: &Settlement) -> Vec<FundLine> {
    Funding::ALL
        .into_iter()
        .filter_map(|f| {
            let have = available.get(&f).copied();
            let used = settlement.by_funding.get(&f).copied();
            (have.is_some() || used.is_some()).then(|| FundLine {
                funding: f,
                available: have.unwrap_or(0),
                allocated: used.map_or(0, |u| u.budget),
                spent: used.map_or(0, |u| u.spent),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autonomy::assembly::{Eligibility, Tally, Voters, decide};

    fn items() -> Vec<(String, i64)> {
        vec![
            ("경로당 안전 손잡이".into(), 3_000_000),
            ("골목 화단".into(), 5_000_000),
            ("청소년 공부방".into(), 8_000_000),
        ]
    }

    fn rules(ballot_items: Vec<BallotItem>) -> Rules {
        Rules::new(Rules {
            title: "2027 주민총회".into(),
            opens_at: 1_800_000_000,
            closes_at: 1_800_086_400,
            advance_opens_at: None,
            eligibility: Eligibility {
                min_age: 16,
                voters: Voters::Residents,
            },
            eligible_population: 1000,
            quorum_basis_points: 50,
            items: ballot_items,
            booths: vec![],
        })
        .unwrap()
    }

    fn winners(rules: &Rules, votes: &[&[u64]]) -> BTreeMap<String, Vec<String>> {
        let mut tally = Tally::zero(rules);
        for (counts, v) in tally.counts.iter_mut().zip(votes) {
            counts.copy_from_slice(v);
        }
        let d = decide(rules, &tally, 10, &[]);
        rules
            .items
            .iter()
            .zip(d.items)
            .map(|(i, d)| (i.title.clone(), d.winners))
            .collect()
    }

    #[test]
    fn each_item_is_its_own_question_and_yes_adopts_it() {
        let (ballot, placed) = ballot_items(&items(), Ballot::EachItem, "", &[]).unwrap();
        let rules = rules(ballot);
        let w = winners(&rules, &[&[6, 3, 1], &[2, 7, 1], &[4, 4, 2]]);
        let decisions: Vec<_> = placed.iter().map(|p| decision_of(p, &w)).collect();
        assert_eq!(
            decisions,
            [
                Some(Decision::Adopted),
                Some(Decision::NotAdopted),
                // A tie adopts nothing.
                Some(Decision::NotAdopted)
            ]
        );
    }

    #[test]
    fn within_a_limit_the_most_voted_items_that_fit_are_adopted() {
        let (ballot, placed) = ballot_items(
            &items(),
            Ballot::WithinLimit(11_000_000),
            "2027 자치계획",
            &[],
        )
        .unwrap();
        assert_eq!(ballot.len(), 1);
        let rules = rules(ballot);
        // 공부방 (8M) first, 화단 (5M) no longer fits, 손잡이 (3M) does.
        let w = winners(&rules, &[&[5, 7, 9]]);
        let decisions: Vec<_> = placed.iter().map(|p| decision_of(p, &w).unwrap()).collect();
        assert_eq!(
            decisions,
            [Decision::Adopted, Decision::NotAdopted, Decision::Adopted]
        );
        // An assembly item renamed after the plan was put: no decision, not a wrong one.
        assert_eq!(decision_of(&placed[0], &BTreeMap::new()), None);
    }

    #[test]
    fn a_ballot_needs_items_with_distinct_titles_and_a_limit_that_fits_one() {
        assert_eq!(
            ballot_items(&[], Ballot::EachItem, "", &[]).unwrap_err(),
            PlanError::ItemCount
        );
        let mut twice = items();
        twice.push(("골목 화단".into(), 1));
        assert_eq!(
            ballot_items(&twice, Ballot::EachItem, "", &[]).unwrap_err(),
            PlanError::SameTitle("골목 화단".into())
        );
        assert_eq!(
            ballot_items(&items(), Ballot::WithinLimit(2_999_999), "x", &[]).unwrap_err(),
            PlanError::Limit
        );
        assert_eq!(
            ballot_items(&items(), Ballot::EachItem, "", &["골목 화단"]).unwrap_err(),
            PlanError::OnBallot("골목 화단".into())
        );
    }

    #[test]
    fn an_assembly_edit_keeps_the_plans_questions_as_they_were() {
        let (ballot, placed) = ballot_items(&items(), Ballot::EachItem, "", &[]).unwrap();
        let titles: Vec<String> = placed.iter().map(|p| p.ballot_item.clone()).collect();
        let before = rules(ballot);
        let mut other = before.clone();
        other.eligible_population = 2000;
        assert!(keeps_placed(&before, &other, &titles));
        let mut renamed = before.clone();
        renamed.items[0].title = "다른 이름".into();
        assert!(!keeps_placed(&before, &renamed, &titles));
        let mut twice = before.clone();
        twice.items.push(twice.items[1].clone());
        assert!(!keeps_placed(&before, &twice, &titles));
    }

    #[test]
    fn the_settlement_counts_adopted_items_per_funding_source() {
        let s = settle([
            (
                Decision::Adopted,
                Funding::ResidentTaxReturn,
                3_000_000,
                Some(2_800_000),
            ),
            (
                Decision::Adopted,
                Funding::ResidentTaxReturn,
                5_000_000,
                None,
            ),
            (
                Decision::Adopted,
                Funding::Grant,
                8_000_000,
                Some(8_200_000),
            ),
            (Decision::NotAdopted, Funding::Private, 9_000_000, Some(1)),
        ]);
        assert_eq!(
            s.total,
            Sums {
                budget: 16_000_000,
                spent: 11_000_000
            }
        );
        assert_eq!(s.total.balance(), 5_000_000);
        assert_eq!(
            s.by_funding[&Funding::ResidentTaxReturn].balance(),
            5_200_000
        );
        assert_eq!(s.by_funding[&Funding::Grant].balance(), -200_000);
        assert!(!s.by_funding.contains_key(&Funding::Private));
    }

    #[test]
    fn the_funds_show_what_each_source_has_allocated_spent_and_left() {
        let s = settle([
            (
                Decision::Adopted,
                Funding::ResidentTaxReturn,
                3_000_000,
                Some(2_800_000),
            ),
            (Decision::Adopted, Funding::Grant, 8_000_000, None),
        ]);
        let available: BTreeMap<Funding, i64> = [
            (Funding::ResidentTaxReturn, 5_000_000),
            (Funding::Private, 1_000_000),
        ]
        .into_iter()
        .collect();
        let lines = fund_lines(&available, &s);
        let funding: Vec<Funding> = lines.iter().map(|l| l.funding).collect();
        assert_eq!(
            funding,
            [Funding::ResidentTaxReturn, Funding::Grant, Funding::Private]
        );
        assert_eq!(
            (lines[0].unallocated(), lines[0].balance()),
            (2_000_000, 2_200_000)
        );
        // A grant not yet secured: the items take more than there is.
        assert_eq!(lines[1].unallocated(), -8_000_000);
        assert_eq!((lines[2].allocated, lines[2].balance()), (0, 1_000_000));
    }

    #[test]
    fn an_item_needs_a_title_and_a_budget_within_bounds() {
        let item = PlanItem {
            title: "  골목 화단 ".into(),
            description: String::new(),
            topic: Topic::Environment,
            budget: 5_000_000,
            funding: Funding::ResidentTaxReturn,
            subcommittee_id: None,
            agenda_item_id: None,
        };
        assert_eq!(PlanItem::new(item.clone()).unwrap().title, "골목 화단");
        let no_title = PlanItem {
            title: " ".into(),
            ..item.clone()
        };
        assert_eq!(PlanItem::new(no_title), Err(PlanError::Title));
        let budget = PlanItem { budget: -1, ..item };
        assert_eq!(PlanItem::new(budget).unwrap_err().field(), "budget");
        assert_eq!(year(1999), Err(PlanError::Year));
        assert_eq!(year(2027), Ok(2027));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for f in Funding::ALL {
            assert_eq!(Funding::parse(f.as_str()), Some(f));
        }
    }
}
