//! 주민총회 — resident general assembly: the rules set before voting opens (and frozen then),
//! ballots that cannot break them, tallies, paper tallies of the booths, and the result.
//!
//! Counting is right by construction: a [`Ballot`] is only built from choices the rules
//! allow, each ballot adds exactly its [`Ballot::marks`] to the tally, and [`decide`] is a
//! function of the rules and the counts alone.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

/// Longest title of an assembly, an item or an option, in characters.
pub const MAX_TITLE: usize = 200;
/// Most items one assembly decides.
pub const MAX_ITEMS: usize = 50;
/// Most options of one item.
pub const MAX_OPTIONS: usize = 100;
/// Most booths of one assembly.
pub const MAX_BOOTHS: usize = 100;

/// The three answers to a majority item, in the order they are counted.
pub const MAJORITY_OPTIONS: [&str; 3] = ["yes", "no", "abstain"];

/// Who may vote, besides the minimum age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Voters {
    /// Residents registered in the eup/myeon/dong.
    #[default]
    Residents,
    /// Residents, and people who work or study there (registered by the community centre).
    ResidentsWorkersStudents,
}

/// 투표 자격 — who may take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub min_age: u8,
    #[serde(default)]
    pub voters: Voters,
}

impl Eligibility {
    /// Whether someone born on `birth` is old enough on `day` (the closing day).
    pub fn admits(&self, birth: Date, day: Date) -> bool {
        age_on(birth, day) >= i32::from(self.min_age)
    }
}

/// Age in full years on `day` (the Korean 만 나이).
pub fn age_on(birth: Date, day: Date) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month() as u8, day.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

/// A priced option of a budget item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedOption {
    pub title: String,
    /// 원
    pub cost: i64,
}

/// How an item is decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DecisionRule {
    /// Yes, no or abstain; adopted when the yes votes outnumber the no votes.
    Majority,
    /// A ballot picks up to `k` options; the `k` options with the most votes win.
    TopK { k: u32, options: Vec<String> },
    /// A ballot picks options whose costs together stay within `limit`; winners are taken in
    /// order of votes while they still fit in the limit (the Decidim/CONSUL rule).
    Budget {
        limit: i64,
        options: Vec<PricedOption>,
    },
}

impl DecisionRule {
    pub fn name(&self) -> &'static str {
        match self {
            DecisionRule::Majority => "majority",
            DecisionRule::TopK { .. } => "top_k",
            DecisionRule::Budget { .. } => "budget",
        }
    }

    /// The options counted, in order.
    pub fn option_titles(&self) -> Vec<&str> {
        match self {
            DecisionRule::Majority => MAJORITY_OPTIONS.to_vec(),
            DecisionRule::TopK { options, .. } => options.iter().map(String::as_str).collect(),
            DecisionRule::Budget { options, .. } => {
                options.iter().map(|o| o.title.as_str()).collect()
            }
        }
    }

    fn position_of(&self, title: &str) -> Option<usize> {
        self.option_titles().iter().position(|t| *t == title)
    }

    /// The most marks one ballot can put on this item.
    fn max_marks(&self) -> u64 {
        match self {
            DecisionRule::Majority => 1,
            DecisionRule::TopK { k, .. } => u64::from(*k),
            DecisionRule::Budget { options, .. } => options.len() as u64,
        }
    }
}

/// 안건 — one item put to the assembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub title: String,
    #[serde(flatten)]
    pub rule: DecisionRule,
}

/// Whether a booth stays in one place or travels (찾아가는 투표소).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BoothKind {
    #[default]
    Fixed,
    Mobile,
}

/// 투표소 — a polling booth where staff check residents in and paper ballots are counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booth {
    pub name: String,
    #[serde(default)]
    pub kind: BoothKind,
}

/// The rules of an assembly, checked when built; frozen once voting opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub title: String,
    /// Seconds since the epoch.
    pub opens_at: i64,
    pub closes_at: i64,
    /// 사전투표 — online voting may start earlier than the assembly day.
    pub advance_opens_at: Option<i64>,
    pub eligibility: Eligibility,
    pub eligible_population: u64,
    /// 정족수 — the least turnout, in hundredths of a percent (0.5 % is 50).
    pub quorum_basis_points: u32,
    pub items: Vec<Item>,
    /// Empty: any booth name is accepted as a fixed booth.
    pub booths: Vec<Booth>,
}

/// What is wrong with proposed rules, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("{field}: a title is needed, of at most {MAX_TITLE} characters")]
    Title { field: String },
    #[error("voting must close after it opens, and advance voting start before it")]
    Window,
    #[error("the eligible population must be at least 1")]
    Population,
    #[error("the quorum is a turnout between 0 and 100 percent with at most two decimals")]
    Quorum,
    #[error("an assembly decides 1 to {MAX_ITEMS} items")]
    ItemCount,
    #[error("{field}: an item has 2 to {MAX_OPTIONS} options with different titles")]
    Options { field: String },
    #[error("{field}: k must be at least 1 and less than the number of options")]
    K { field: String },
    #[error("{field}: costs and the limit are positive amounts in won")]
    Amount { field: String },
    #[error("booths need different names, at most {MAX_BOOTHS}")]
    Booths,
}

impl RulesError {
    /// The offending field, as the API names it.
    pub fn field(&self) -> String {
        match self {
            RulesError::Title { field }
            | RulesError::Options { field }
            | RulesError::K { field }
            | RulesError::Amount { field } => field.clone(),
            RulesError::Window => "closes_at".into(),
            RulesError::Population => "eligible_population".into(),
            RulesError::Quorum => "quorum.min_turnout_percent".into(),
            RulesError::ItemCount => "items".into(),
            RulesError::Booths => "booths".into(),
        }
    }
}

fn good_title(t: &str) -> bool {
    !t.trim().is_empty() && t.chars().count() <= MAX_TITLE
}

fn distinct_titles<'a>(titles: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = BTreeSet::new();
    titles.into_iter().all(|t| good_title(t) && seen.insert(t))
}

/// A turnout percent (`0.5`) in basis points (`50`), refusing more than two decimals.
pub fn quorum_basis_points(percent: f64) -> Result<u32, RulesError> {
    let bp = percent * 100.0;
    if !(0.0..=10_000.0).contains(&bp) || (bp - bp.round()).abs() > 1e-6 {
        return Err(RulesError::Quorum);
    }
    Ok(bp.round() as u32)
}

impl Rules {
    /// Checks every part; titles are trimmed.
    pub fn new(mut rules: Rules) -> Result<Rules, RulesError> {
        rules.title = rules.title.trim().to_owned();
        if !good_title(&rules.title) {
            return Err(RulesError::Title {
                field: "title".into(),
            });
        }
        let starts = rules.advance_opens_at.unwrap_or(rules.opens_at);
        if rules.closes_at <= rules.opens_at || starts > rules.opens_at {
            return Err(RulesError::Window);
        }
        // Stored as a signed 64-bit count, like every count.
        if rules.eligible_population == 0 || rules.eligible_population > i64::MAX as u64 {
            return Err(RulesError::Population);
        }
        if rules.quorum_basis_points > 10_000 {
            return Err(RulesError::Quorum);
        }
        if rules.items.is_empty() || rules.items.len() > MAX_ITEMS {
            return Err(RulesError::ItemCount);
        }
        for (i, item) in rules.items.iter_mut().enumerate() {
            item.title = item.title.trim().to_owned();
            if !good_title(&item.title) {
                return Err(RulesError::Title {
                    field: format!("items[{i}].title"),
                });
            }
            let options_error = || RulesError::Options {
                field: format!("items[{i}].options"),
            };
            match &mut item.rule {
                DecisionRule::Majority => {}
                DecisionRule::TopK { k, options } => {
                    options.iter_mut().for_each(|o| *o = o.trim().to_owned());
                    if options.len() < 2
                        || options.len() > MAX_OPTIONS
                        || !distinct_titles(options.iter().map(String::as_str))
                    {
                        return Err(options_error());
                    }
                    if *k == 0 || *k as usize >= options.len() {
                        return Err(RulesError::K {
                            field: format!("items[{i}].k"),
                        });
                    }
                }
                DecisionRule::Budget { limit, options } => {
                    options
                        .iter_mut()
                        .for_each(|o| o.title = o.title.trim().to_owned());
                    if options.len() < 2
                        || options.len() > MAX_OPTIONS
                        || !distinct_titles(options.iter().map(|o| o.title.as_str()))
                    {
                        return Err(options_error());
                    }
                    // Costs are bounded so that no sum of them can overflow.
                    let amount_ok = |a: i64| (1..=1_000_000_000_000).contains(&a);
                    if !amount_ok(*limit) || !options.iter().all(|o| amount_ok(o.cost)) {
                        return Err(RulesError::Amount {
                            field: format!("items[{i}]"),
                        });
                    }
                }
            }
        }
        rules
            .booths
            .iter_mut()
            .for_each(|b| b.name = b.name.trim().to_owned());
        if rules.booths.len() > MAX_BOOTHS
            || !distinct_titles(rules.booths.iter().map(|b| b.name.as_str()))
        {
            return Err(RulesError::Booths);
        }
        Ok(rules)
    }

    /// The booth of that name, if the rules accept it. Without a list of booths any name is a
    /// fixed booth.
    pub fn booth(&self, name: &str) -> Option<Booth> {
        let name = name.trim();
        if !good_title(name) {
            return None;
        }
        if self.booths.is_empty() {
            return Some(Booth {
                name: name.to_owned(),
                kind: BoothKind::Fixed,
            });
        }
        self.booths.iter().find(|b| b.name == name).cloned()
    }

    /// The channel an online ballot cast at `now` comes through, or `None` outside the window.
    pub fn online_channel(&self, now: i64) -> Option<Channel> {
        if now >= self.opens_at && now < self.closes_at {
            Some(Channel::Online)
        } else if self
            .advance_opens_at
            .is_some_and(|a| now >= a && now < self.opens_at)
        {
            Some(Channel::Advance)
        } else {
            None
        }
    }

    /// Whether staff may check residents in at a booth at `now`.
    pub fn booths_open(&self, now: i64) -> bool {
        now >= self.advance_opens_at.unwrap_or(self.opens_at) && now < self.closes_at
    }

    /// The least number of participants that meets the quorum.
    pub fn quorum_needed(&self) -> u64 {
        // ceil(population × bp / 10000) in integers.
        (self.eligible_population * u64::from(self.quorum_basis_points)).div_ceil(10_000)
    }
}

/// How a resident took part. 사전투표 / 현장투표 / 찾아가는 투표소, and online voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Advance,
    Booth,
    MobileBooth,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Online,
        Channel::Advance,
        Channel::Booth,
        Channel::MobileBooth,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Advance => "advance",
            Channel::Booth => "booth",
            Channel::MobileBooth => "mobile_booth",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the ballot is cast on paper at a booth.
    pub fn is_booth(self) -> bool {
        matches!(self, Channel::Booth | Channel::MobileBooth)
    }

    pub fn of_booth(kind: BoothKind) -> Channel {
        match kind {
            BoothKind::Fixed => Channel::Booth,
            BoothKind::Mobile => Channel::MobileBooth,
        }
    }
}

/// A choice as a voter sends it: one answer, or a list of option titles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawChoice {
    One(String),
    Many(Vec<String>),
}

/// Why a ballot is refused; `index` is the position of the choice in the ballot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("choices[{index}]: no such item")]
    UnknownItem { index: usize },
    #[error("choices[{index}]: the item is chosen twice")]
    RepeatedItem { index: usize },
    #[error("choices[{index}]: answer yes, no or abstain")]
    NotAnAnswer { index: usize },
    #[error("choices[{index}]: no such option, or one chosen twice")]
    UnknownOption { index: usize },
    #[error("choices[{index}]: more options than the item allows")]
    TooManyOptions { index: usize },
    #[error("choices[{index}]: the options cost more than the limit")]
    OverBudget { index: usize },
    #[error("the ballot chooses nothing")]
    Empty,
}

impl BallotError {
    pub fn field(&self) -> String {
        match self {
            BallotError::UnknownItem { index } => format!("choices[{index}].item"),
            BallotError::RepeatedItem { index }
            | BallotError::NotAnAnswer { index }
            | BallotError::UnknownOption { index }
            | BallotError::TooManyOptions { index }
            | BallotError::OverBudget { index } => format!("choices[{index}].choice"),
            BallotError::Empty => "choices".into(),
        }
    }
}

/// 투표지 — what one voter chose: for each item they answered, the positions of the options
/// they marked. Only a ballot that keeps the rules can be built. Items left out are not voted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    /// (item position, sorted option positions), sorted by item.
    choices: Vec<(usize, Vec<usize>)>,
}

impl Ballot {
    /// `choices` pairs an item's position (or `None` when the voter named no item of the
    /// assembly) with the choice.
    pub fn new(
        rules: &Rules,
        choices: &[(Option<usize>, RawChoice)],
    ) -> Result<Ballot, BallotError> {
        if choices.is_empty() {
            return Err(BallotError::Empty);
        }
        let mut marked: Vec<(usize, Vec<usize>)> = Vec::with_capacity(choices.len());
        for (index, (item, raw)) in choices.iter().enumerate() {
            let Some(position) = item.filter(|p| *p < rules.items.len()) else {
                return Err(BallotError::UnknownItem { index });
            };
            if marked.iter().any(|(p, _)| *p == position) {
                return Err(BallotError::RepeatedItem { index });
            }
            let rule = &rules.items[position].rule;
            let options = match (rule, raw) {
                (DecisionRule::Majority, RawChoice::One(answer)) => {
                    vec![
                        rule.position_of(answer)
                            .ok_or(BallotError::NotAnAnswer { index })?,
                    ]
                }
                (DecisionRule::Majority, RawChoice::Many(_)) => {
                    return Err(BallotError::NotAnAnswer { index });
                }
                (_, RawChoice::One(_)) => return Err(BallotError::UnknownOption { index }),
                (_, RawChoice::Many(titles)) => {
                    let mut positions = Vec::with_capacity(titles.len());
                    for t in titles {
                        let p = rule
                            .position_of(t)
                            .ok_or(BallotError::UnknownOption { index })?;
                        if positions.contains(&p) {
                            return Err(BallotError::UnknownOption { index });
                        }
                        positions.push(p);
                    }
                    positions.sort_unstable();
                    positions
                }
            };
            match rule {
                DecisionRule::TopK { k, .. } if options.len() > *k as usize => {
                    return Err(BallotError::TooManyOptions { index });
                }
                DecisionRule::Budget {
                    limit,
                    options: priced,
                } => {
                    let cost: i64 = options.iter().map(|p| priced[*p].cost).sum();
                    if cost > *limit {
                        return Err(BallotError::OverBudget { index });
                    }
                }
                _ => {}
            }
            marked.push((position, options));
        }
        marked.sort_unstable_by_key(|(p, _)| *p);
        Ok(Ballot { choices: marked })
    }

    /// Every (item, option) this ballot adds one vote to.
    pub fn marks(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.choices
            .iter()
            .flat_map(|(item, options)| options.iter().map(move |o| (*item, *o)))
    }

    /// The ballot as published, the same for the same choices: a JSON array of
    /// `[item number, answer or [option titles]]`, items numbered from 1 as on the ballot paper.
    pub fn canonical(&self, rules: &Rules) -> String {
        let entries: Vec<(usize, serde_json::Value)> = self
            .choices
            .iter()
            .map(|(item, options)| {
                let rule = &rules.items[*item].rule;
                let titles = rule.option_titles();
                let choice = match rule {
                    DecisionRule::Majority => serde_json::Value::from(titles[options[0]]),
                    _ => options.iter().map(|o| titles[*o]).collect(),
                };
                (item + 1, choice)
            })
            .collect();
        serde_json::to_string(&entries).expect("a ballot serialises")
    }
}

/// One line of the published ballot file: the receipt, a tab, the canonical ballot.
pub fn ballot_line(receipt: &str, canonical: &str) -> String {
    format!("{receipt}\t{canonical}")
}

/// The hash over the ballot set: SHA-256 (hex) of the lines sorted as bytes, each followed by
/// a newline — exactly the bytes of the published ballot file.
pub fn ballot_hash<S: AsRef<str>>(lines: &mut [S]) -> String {
    lines.sort_unstable_by(|a, b| a.as_ref().as_bytes().cmp(b.as_ref().as_bytes()));
    let mut hasher = Sha256::new();
    for line in lines.iter() {
        hasher.update(line.as_ref().as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Votes per item and option, in the order of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub counts: Vec<Vec<u64>>,
}

impl Tally {
    pub fn zero(rules: &Rules) -> Tally {
        Tally {
            counts: rules
                .items
                .iter()
                .map(|i| vec![0; i.rule.option_titles().len()])
                .collect(),
        }
    }

    pub fn add(&mut self, ballot: &Ballot) {
        for (item, option) in ballot.marks() {
            self.counts[item][option] += 1;
        }
    }

    /// Adds the counts of a booth's paper ballots.
    pub fn add_paper(&mut self, paper: &PaperTally) {
        for (mine, theirs) in self.counts.iter_mut().zip(&paper.counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }
}

/// 개표 결과 — the counted paper ballots of one booth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperTally {
    pub ballots: u64,
    /// Per item and option, in the order of the rules.
    pub counts: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaperError {
    #[error("choices: no such item {0}")]
    UnknownItem(String),
    #[error("choices.{0}: no such option {1:?}")]
    UnknownOption(String, String),
    #[error("choices.{0}: more votes than the ballots allow")]
    TooManyVotes(String),
}

impl PaperError {
    pub fn field(&self) -> String {
        match self {
            PaperError::UnknownItem(_) => "choices".into(),
            PaperError::UnknownOption(item, _) | PaperError::TooManyVotes(item) => {
                format!("choices.{item}")
            }
        }
    }
}

/// The votes of one item on a booth's paper ballots as entered: the item's key as given (for
/// messages), its position (`None` when no item has that key), and votes per option title.
pub type PaperItem = (String, Option<usize>, Vec<(String, u64)>);

impl PaperTally {
    /// `counts` pairs the item's key as given (for messages) and its position with the votes
    /// per option title; items and options not named count zero.
    pub fn new(
        rules: &Rules,
        ballots: u64,
        counts: &[PaperItem],
    ) -> Result<PaperTally, PaperError> {
        let mut tally = Tally::zero(rules).counts;
        for (key, position, votes) in counts {
            let Some(p) = position.filter(|p| *p < rules.items.len()) else {
                return Err(PaperError::UnknownItem(key.clone()));
            };
            let rule = &rules.items[p].rule;
            for (title, n) in votes {
                let o = rule
                    .position_of(title)
                    .ok_or_else(|| PaperError::UnknownOption(key.clone(), title.clone()))?;
                tally[p][o] = *n;
            }
            let sum: u64 = tally[p].iter().sum();
            if sum > ballots.saturating_mul(rule.max_marks()) {
                return Err(PaperError::TooManyVotes(key.clone()));
            }
        }
        Ok(PaperTally {
            ballots,
            counts: tally,
        })
    }
}

/// Residents checked in at a booth, against the paper ballots counted there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoothCount {
    pub booth: String,
    pub checked_in: u64,
    /// `None` until the booth's paper tally is entered.
    pub ballots: Option<u64>,
}

impl BoothCount {
    pub fn mismatch(&self) -> bool {
        self.ballots.is_some_and(|b| b != self.checked_in)
    }
}

/// Why a result is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Fewer took part than the quorum needs.
    QuorumNotMet { needed: u64, participants: u64 },
    /// Residents were checked in at a booth whose paper ballots are not counted yet.
    BoothTallyMissing { booth: String },
    /// A booth counted more paper ballots than residents checked in there.
    MoreBallotsThanCheckIns {
        booth: String,
        checked_in: u64,
        ballots: u64,
    },
}

/// The decision on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDecision {
    pub counts: Vec<u64>,
    /// Titles of the winning options (`yes` or `no` for a majority item; none on a tie).
    pub winners: Vec<String>,
    /// Whether the last winning place was tied (broken by the order of the options).
    pub tied: bool,
}

/// The outcome of an assembly.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub participants: u64,
    pub turnout_percent: f64,
    pub quorum_met: bool,
    pub valid: bool,
    pub reasons: Vec<Reason>,
    pub items: Vec<ItemDecision>,
}

/// Decides every item from the counts, and whether the assembly is valid and why not.
/// Fewer paper ballots than check-ins is no reason to void a result (a resident may leave
/// without casting); more is.
pub fn decide(rules: &Rules, tally: &Tally, participants: u64, booths: &[BoothCount]) -> Decision {
    let needed = rules.quorum_needed();
    let quorum_met = participants >= needed;
    let mut reasons = Vec::new();
    if !quorum_met {
        reasons.push(Reason::QuorumNotMet {
            needed,
            participants,
        });
    }
    for b in booths {
        match b.ballots {
            None if b.checked_in > 0 => reasons.push(Reason::BoothTallyMissing {
                booth: b.booth.clone(),
            }),
            Some(ballots) if ballots > b.checked_in => {
                reasons.push(Reason::MoreBallotsThanCheckIns {
                    booth: b.booth.clone(),
                    checked_in: b.checked_in,
                    ballots,
                })
            }
            _ => {}
        }
    }
    let turnout = participants as f64 * 100.0 / rules.eligible_population as f64;
    Decision {
        participants,
        turnout_percent: (turnout * 100.0).round() / 100.0,
        quorum_met,
        valid: reasons.is_empty(),
        reasons,
        items: rules
            .items
            .iter()
            .zip(&tally.counts)
            .map(|(item, counts)| decide_item(&item.rule, counts))
            .collect(),
    }
}

fn decide_item(rule: &DecisionRule, counts: &[u64]) -> ItemDecision {
    let titles = rule.option_titles();
    // Options by votes, most first; equal votes keep the order of the ballot paper.
    let mut ranked: Vec<usize> = (0..counts.len()).collect();
    ranked.sort_by_key(|o| std::cmp::Reverse(counts[*o]));
    let (winners, tied) = match rule {
        DecisionRule::Majority => {
            let (yes, no) = (counts[0], counts[1]);
            let winner = match yes.cmp(&no) {
                std::cmp::Ordering::Greater => vec![0],
                std::cmp::Ordering::Less => vec![1],
                std::cmp::Ordering::Equal => vec![],
            };
            (winner, yes == no && yes > 0)
        }
        DecisionRule::TopK { k, .. } => {
            let k = *k as usize;
            let tied = counts[ranked[k - 1]] == counts[ranked[k]];
            (ranked[..k].to_vec(), tied)
        }
        DecisionRule::Budget { limit, options } => {
            let mut left = *limit;
            let mut chosen = Vec::new();
            for o in ranked.iter().copied().filter(|o| counts[*o] > 0) {
                if options[o].cost <= left {
                    left -= options[o].cost;
                    chosen.push(o);
                }
            }
            (chosen, false)
        }
    };
    ItemDecision {
        counts: counts.to_vec(),
        winners: winners.iter().map(|w| titles[*w].to_owned()).collect(),
        tied,
    }
}

/// 투표 코드 — a one-time voting code (see [`crate::code::Code`]).
pub use crate::code::Code as VotingCode;

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(items: Vec<Item>) -> Rules {
        Rules::new(Rules {
            title: "2026 주민총회".into(),
            opens_at: 1_000,
            closes_at: 2_000,
            advance_opens_at: Some(500),
            eligibility: Eligibility {
                min_age: 16,
                voters: Voters::Residents,
            },
            eligible_population: 10_000,
            quorum_basis_points: 50,
            items,
            booths: vec![],
        })
        .unwrap()
    }

    fn majority(title: &str) -> Item {
        Item {
            title: title.into(),
            rule: DecisionRule::Majority,
        }
    }

    fn top_k(k: u32, options: &[&str]) -> Item {
        Item {
            title: "마을축제 프로그램".into(),
            rule: DecisionRule::TopK {
                k,
                options: options.iter().map(|s| s.to_string()).collect(),
            },
        }
    }

    fn budget(limit: i64, options: &[(&str, i64)]) -> Item {
        Item {
            title: "주민참여예산".into(),
            rule: DecisionRule::Budget {
                limit,
                options: options
                    .iter()
                    .map(|(t, c)| PricedOption {
                        title: t.to_string(),
                        cost: *c,
                    })
                    .collect(),
            },
        }
    }

    fn many(titles: &[&str]) -> RawChoice {
        RawChoice::Many(titles.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn rules_refuse_a_window_that_closes_before_it_opens() {
        let mut r = rules(vec![majority("a")]);
        r.closes_at = r.opens_at;
        assert_eq!(Rules::new(r.clone()), Err(RulesError::Window));
        r.closes_at = 2_000;
        r.advance_opens_at = Some(1_500);
        assert_eq!(Rules::new(r), Err(RulesError::Window));
    }

    #[test]
    fn rules_refuse_an_electorate_of_none_or_beyond_a_stored_count() {
        let mut r = rules(vec![majority("a")]);
        for population in [0, i64::MAX as u64 + 1, u64::MAX] {
            r.eligible_population = population;
            assert_eq!(Rules::new(r.clone()), Err(RulesError::Population));
        }
        r.eligible_population = i64::MAX as u64;
        assert!(Rules::new(r).is_ok());
    }

    #[test]
    fn rules_refuse_bad_items() {
        let r = |item| {
            Rules::new(Rules {
                items: vec![item],
                ..rules(vec![majority("a")])
            })
        };
        assert!(matches!(
            r(top_k(2, &["a", "b"])),
            Err(RulesError::K { .. })
        ));
        assert!(matches!(
            r(top_k(0, &["a", "b"])),
            Err(RulesError::K { .. })
        ));
        assert!(matches!(
            r(top_k(1, &["a", "a"])),
            Err(RulesError::Options { .. })
        ));
        assert!(matches!(
            r(budget(0, &[("a", 1), ("b", 2)])),
            Err(RulesError::Amount { .. })
        ));
        assert!(matches!(
            r(budget(10, &[("a", -1), ("b", 2)])),
            Err(RulesError::Amount { .. })
        ));
        assert!(matches!(r(majority("  ")), Err(RulesError::Title { .. })));
        let none = Rules::new(Rules {
            items: vec![],
            ..rules(vec![majority("a")])
        });
        assert_eq!(none, Err(RulesError::ItemCount));
    }

    #[test]
    fn quorum_is_read_in_basis_points() {
        assert_eq!(quorum_basis_points(0.5), Ok(50));
        assert_eq!(quorum_basis_points(12.25), Ok(1225));
        assert_eq!(quorum_basis_points(0.125), Err(RulesError::Quorum));
        assert_eq!(quorum_basis_points(-1.0), Err(RulesError::Quorum));
        assert_eq!(quorum_basis_points(101.0), Err(RulesError::Quorum));
        let r = rules(vec![majority("a")]);
        // 0.5 % of 10,000 is 50; of 10,001 it is 50.005, so 51 are needed.
        assert_eq!(r.quorum_needed(), 50);
        let r = Rules {
            eligible_population: 10_001,
            ..r
        };
        assert_eq!(r.quorum_needed(), 51);
    }

    #[test]
    fn channels_follow_the_window() {
        let r = rules(vec![majority("a")]);
        assert_eq!(r.online_channel(499), None);
        assert_eq!(r.online_channel(500), Some(Channel::Advance));
        assert_eq!(r.online_channel(1_000), Some(Channel::Online));
        assert_eq!(r.online_channel(2_000), None);
        assert!(r.booths_open(500) && !r.booths_open(2_000));
    }

    #[test]
    fn ballots_that_break_the_rules_cannot_be_built() {
        let r = rules(vec![
            majority("a"),
            top_k(2, &["x", "y", "z"]),
            budget(100, &[("p", 60), ("q", 50), ("r", 40)]),
        ]);
        let b = |choices: Vec<(Option<usize>, RawChoice)>| Ballot::new(&r, &choices);
        assert_eq!(b(vec![]), Err(BallotError::Empty));
        assert_eq!(
            b(vec![(Some(3), RawChoice::One("yes".into()))]),
            Err(BallotError::UnknownItem { index: 0 })
        );
        assert_eq!(
            b(vec![(Some(0), RawChoice::One("maybe".into()))]),
            Err(BallotError::NotAnAnswer { index: 0 })
        );
        assert_eq!(
            b(vec![
                (Some(0), RawChoice::One("yes".into())),
                (Some(0), RawChoice::One("no".into()))
            ]),
            Err(BallotError::RepeatedItem { index: 1 })
        );
        assert_eq!(
            b(vec![(Some(1), many(&["x", "y", "z"]))]),
            Err(BallotError::TooManyOptions { index: 0 })
        );
        assert_eq!(
            b(vec![(Some(1), many(&["x", "x"]))]),
            Err(BallotError::UnknownOption { index: 0 })
        );
        assert_eq!(
            b(vec![(Some(2), many(&["p", "q"]))]),
            Err(BallotError::OverBudget { index: 0 })
        );
        let ok = b(vec![
            (Some(2), many(&["r", "p"])),
            (Some(0), RawChoice::One("no".into())),
        ])
        .unwrap();
        assert_eq!(ok.marks().collect::<Vec<_>>(), vec![(0, 1), (2, 0), (2, 2)]);
        assert_eq!(ok.canonical(&r), r#"[[1,"no"],[3,["p","r"]]]"#);
    }

    #[test]
    fn the_same_choices_in_another_order_publish_the_same_ballot() {
        let r = rules(vec![majority("a"), top_k(2, &["x", "y\"z", "w"])]);
        let one = Ballot::new(
            &r,
            &[
                (Some(1), many(&["w", "y\"z"])),
                (Some(0), RawChoice::One("yes".into())),
            ],
        )
        .unwrap();
        let two = Ballot::new(
            &r,
            &[
                (Some(0), RawChoice::One("yes".into())),
                (Some(1), many(&["y\"z", "w"])),
            ],
        )
        .unwrap();
        assert_eq!(one.canonical(&r), two.canonical(&r));
        assert_eq!(one.canonical(&r), r#"[[1,"yes"],[2,["y\"z","w"]]]"#);
    }

    /// A small deterministic generator for the randomised tests below.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }

        fn some_of(&mut self, options: &[&str]) -> RawChoice {
            RawChoice::Many(
                options
                    .iter()
                    .filter(|_| self.below(2) == 0)
                    .map(|s| s.to_string())
                    .collect(),
            )
        }
    }

    #[test]
    fn a_tally_is_the_sum_of_its_ballots_in_any_order_and_decisions_keep_the_rules() {
        let r = rules(vec![
            majority("a"),
            top_k(2, &["x", "y", "z", "w"]),
            budget(100, &[("p", 60), ("q", 50), ("r", 40), ("s", 10)]),
        ]);
        let mut rng = Lcg(7);
        let (mut accepted, mut refused) = (Vec::new(), 0);
        for _ in 0..2000 {
            let choices = [
                (
                    Some(0),
                    RawChoice::One(["yes", "no", "abstain"][rng.below(3) as usize].into()),
                ),
                (Some(1), rng.some_of(&["x", "y", "z", "w"])),
                (Some(2), rng.some_of(&["p", "q", "r", "s"])),
            ];
            match Ballot::new(&r, &choices) {
                Ok(b) => accepted.push(b),
                Err(BallotError::TooManyOptions { .. } | BallotError::OverBudget { .. }) => {
                    refused += 1
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(accepted.len() > 100 && refused > 100, "both kinds occur");
        let mut forward = Tally::zero(&r);
        accepted.iter().for_each(|b| forward.add(b));
        let mut shuffled = accepted.clone();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut other = Tally::zero(&r);
        shuffled.iter().for_each(|b| other.add(b));
        assert_eq!(forward, other);
        let marks: usize = accepted.iter().map(|b| b.marks().count()).sum();
        assert_eq!(forward.counts.iter().flatten().sum::<u64>() as usize, marks);
        assert_eq!(
            forward.counts[0].iter().sum::<u64>() as usize,
            accepted.len()
        );

        let d = decide(&r, &forward, accepted.len() as u64, &[]);
        assert_eq!(d.items[1].winners.len(), 2);
        let cost = |t: &String| match t.as_str() {
            "p" => 60,
            "q" => 50,
            "r" => 40,
            _ => 10,
        };
        assert!(d.items[2].winners.iter().map(cost).sum::<i64>() <= 100);
        // No option left out would still have fitted beside the winners with more votes.
        let left = 100 - d.items[2].winners.iter().map(cost).sum::<i64>();
        for (o, title) in ["p", "q", "r", "s"].iter().enumerate() {
            let title = title.to_string();
            if !d.items[2].winners.contains(&title) && forward.counts[2][o] > 0 {
                assert!(cost(&title) > left, "{title} fits in the {left} left");
            }
        }
    }

    #[test]
    fn majority_needs_more_yes_than_no() {
        let r = rules(vec![majority("a")]);
        let d = |counts: Vec<u64>| {
            decide(
                &r,
                &Tally {
                    counts: vec![counts],
                },
                60,
                &[],
            )
            .items[0]
                .clone()
        };
        assert_eq!(d(vec![10, 9, 50]).winners, vec!["yes"]);
        assert_eq!(d(vec![9, 10, 0]).winners, vec!["no"]);
        let tie = d(vec![5, 5, 1]);
        assert!(tie.winners.is_empty() && tie.tied);
    }

    #[test]
    fn top_k_takes_the_most_voted_and_reports_a_tie() {
        let r = rules(vec![top_k(2, &["x", "y", "z"])]);
        let d = |counts: Vec<u64>| {
            decide(
                &r,
                &Tally {
                    counts: vec![counts],
                },
                60,
                &[],
            )
            .items[0]
                .clone()
        };
        let clear = d(vec![3, 9, 5]);
        assert_eq!(clear.winners, vec!["y", "z"]);
        assert!(!clear.tied);
        let tie = d(vec![5, 9, 5]);
        assert_eq!(tie.winners, vec!["y", "x"]);
        assert!(tie.tied);
    }

    #[test]
    fn budget_takes_winners_in_order_of_votes_while_they_fit() {
        // p has the most votes but q+r fit after it only partly: p (60) then q (50) does not
        // fit in the 40 left, r (40) does.
        let r = rules(vec![budget(
            100,
            &[("p", 60), ("q", 50), ("r", 40), ("s", 1)],
        )]);
        let tally = Tally {
            counts: vec![vec![30, 20, 10, 0]],
        };
        let d = decide(&r, &tally, 60, &[]);
        assert_eq!(d.items[0].winners, vec!["p", "r"]);
    }

    #[test]
    fn a_result_is_invalid_below_quorum_or_with_unreconciled_booths() {
        let r = rules(vec![majority("a")]);
        let t = Tally::zero(&r);
        let ok = decide(&r, &t, 50, &[]);
        assert!(ok.valid && ok.quorum_met);
        assert_eq!(ok.turnout_percent, 0.5);
        let low = decide(&r, &t, 49, &[]);
        assert!(!low.valid);
        assert_eq!(
            low.reasons,
            vec![Reason::QuorumNotMet {
                needed: 50,
                participants: 49
            }]
        );
        let booths = [
            BoothCount {
                booth: "제1투표소".into(),
                checked_in: 10,
                ballots: None,
            },
            BoothCount {
                booth: "제2투표소".into(),
                checked_in: 10,
                ballots: Some(11),
            },
            BoothCount {
                booth: "찾아가는 투표소".into(),
                checked_in: 10,
                ballots: Some(9),
            },
        ];
        let d = decide(&r, &t, 80, &booths);
        assert!(!d.valid);
        assert_eq!(
            d.reasons.len(),
            2,
            "fewer ballots than check-ins is no reason"
        );
        assert!(booths[2].mismatch() && !booths[0].mismatch());
    }

    #[test]
    fn paper_tallies_are_checked_against_their_ballots() {
        let r = rules(vec![majority("a"), top_k(2, &["x", "y", "z"])]);
        let ok = PaperTally::new(
            &r,
            10,
            &[
                (
                    "7".into(),
                    Some(0),
                    vec![("yes".into(), 6), ("no".into(), 4)],
                ),
                (
                    "8".into(),
                    Some(1),
                    vec![("x".into(), 10), ("y".into(), 10)],
                ),
            ],
        )
        .unwrap();
        assert_eq!(ok.counts, vec![vec![6, 4, 0], vec![10, 10, 0]]);
        let over = PaperTally::new(
            &r,
            10,
            &[(
                "7".into(),
                Some(0),
                vec![("yes".into(), 6), ("no".into(), 5)],
            )],
        );
        assert_eq!(over, Err(PaperError::TooManyVotes("7".into())));
        let unknown = PaperTally::new(&r, 10, &[("9".into(), None, vec![])]);
        assert_eq!(unknown, Err(PaperError::UnknownItem("9".into())));
        let mut tally = Tally::zero(&r);
        tally.add_paper(&ok);
        assert_eq!(tally.counts[1], vec![10, 10, 0]);
    }

    #[test]
    fn the_ballot_hash_does_not_depend_on_the_order_of_ballots() {
        let mut a = vec!["b\t[]".to_owned(), "a\t[]".to_owned()];
        let mut b = vec!["a\t[]".to_owned(), "b\t[]".to_owned()];
        assert_eq!(ballot_hash(&mut a), ballot_hash(&mut b));
        // The hash is of the file's bytes: sha256("a\t[]\nb\t[]\n").
        let file = "a\t[]\nb\t[]\n";
        let expected: String = Sha256::digest(file.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(ballot_hash(&mut a), expected);
    }

    #[test]
    fn voting_codes_read_as_typed_and_are_kept_as_digests() {
        let code = VotingCode::generate();
        let shown = code.display();
        assert_eq!(shown.len(), 14);
        assert_eq!(VotingCode::parse(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(
            VotingCode::parse("ABCD-EFGH-JKM0"),
            None,
            "0 is not in the alphabet"
        );
        assert_eq!(VotingCode::parse("ABCD"), None);
        assert_eq!(code.digest().len(), 64);
        assert_ne!(VotingCode::generate(), code);
    }

    #[test]
    fn age_counts_full_years() {
        use time::macros::date;
        assert_eq!(age_on(date!(2010 - 11 - 26), date!(2026 - 11 - 25)), 15);
        assert_eq!(age_on(date!(2010 - 11 - 25), date!(2026 - 11 - 25)), 16);
        let e = Eligibility {
            min_age: 16,
            voters: Voters::Residents,
        };
        assert!(!e.admits(date!(2010 - 11 - 26), date!(2026 - 11 - 25)));
    }
}
