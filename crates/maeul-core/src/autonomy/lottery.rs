//! 공개추첨 — the public lottery that seats the members of a resident autonomy council.
//!
//! A draw is a function of three published things only: the rules, the list of
//! applications (by application number, never by name) and the seed. The seed is published
//! before the draw and freezes the list, so anyone can re-run the draw with
//! `maeul lottery verify` and get the same members in the same order.
//!
//! The algorithm, step by step (documented in `docs/council.md` too):
//! 1. Applications with fewer training hours than the rules ask are not eligible.
//! 2. Every eligible application gets the key SHA-256(seed ‖ "\n" ‖ number), the seed and
//!    number as UTF-8; the draw order is ascending by key, then by number.
//! 3. No gender may hold more than ⌊seats × max_gender_percent / 100⌋ seats.
//! 4. Reserved seats first, reservation by reservation in the order given: walk the draw
//!    order and seat the applications of that category while the gender limit allows.
//! 5. Then the open seats: walk the draw order and seat every application not yet seated
//!    while the gender limit allows, until the seats are full.
//! 6. Alternates: the applications left, in draw order, up to the number asked.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Most seats of one council.
pub const MAX_SEATS: u32 = 100;
/// Most applications to one lottery.
pub const MAX_APPLICATIONS: usize = 5_000;
/// Longest seed and application number, in characters.
pub const MAX_SEED: usize = 200;
pub const MAX_NUMBER: usize = 20;

/// 성별
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Female, Gender::Male];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
        }
    }

    /// The code, or how a Korean roster writes it (여/남, 여성/남성, F/M).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "female" | "f" | "여" | "여성" => Some(Gender::Female),
            "male" | "m" | "남" | "남성" => Some(Gender::Male),
            _ => None,
        }
    }
}

/// 신청 구분 — the category an application is made in; reserved seats name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 일반 주민
    Resident,
    /// 청년
    Youth,
    /// 사회적 약자 (장애인, 다문화가족, 기초생활수급자 등)
    Disadvantaged,
    /// 지역 단체 추천
    Organisation,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Resident,
        Category::Youth,
        Category::Disadvantaged,
        Category::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Resident => "resident",
            Category::Youth => "youth",
            Category::Disadvantaged => "disadvantaged",
            Category::Organisation => "organisation",
        }
    }

    /// The code, or its Korean name.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "resident" | "일반" | "일반주민" | "일반 주민" => Some(Category::Resident),
            "youth" | "청년" => Some(Category::Youth),
            "disadvantaged" | "사회적약자" | "사회적 약자" => {
                Some(Category::Disadvantaged)
            }
            "organisation" | "organization" | "단체" | "단체추천" | "단체 추천" => {
                Some(Category::Organisation)
            }
            _ => None,
        }
    }
}

/// 위원 신청 — one application, as the public record shows it (no name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The application number the applicant was given (접수번호).
    pub number: String,
    pub category: Category,
    pub gender: Gender,
    /// 주민자치학교 이수 시간
    pub training_hours: u32,
}

/// Seats kept for one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub category: Category,
    pub seats: u32,
}

/// The rules of a draw, fixed when the seed is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub seats: u32,
    /// Training hours needed to enter the draw (the manual: 6).
    pub min_training_hours: u32,
    /// No gender above this share of the seats (the manual: 60).
    pub max_gender_percent: u32,
    #[serde(default)]
    pub reserved: Vec<Reservation>,
    /// 예비위원 — how many alternates to rank.
    #[serde(default)]
    pub alternates: u32,
}

/// What is wrong with a lottery's rules, applications or seed.
/// The most training hours an application can state (a typing error beyond that).
pub const MAX_APPLICANT_HOURS: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LotteryError {
    #[error("a council has 1 to {MAX_SEATS} seats")]
    Seats,
    #[error("training hours are at most 1,000")]
    Hours,
    #[error(
        "the gender limit is a share between 50 and 100 percent that lets every seat be filled"
    )]
    GenderLimit,
    #[error("reserved seats name each category once and fit in the seats")]
    Reserved,
    #[error("at most {MAX_SEATS} alternates")]
    Alternates,
    #[error("an application number is 1 to {MAX_NUMBER} letters, digits or dashes")]
    Number { number: String },
    #[error("application number {number} is given twice")]
    Duplicate { number: String },
    #[error("a lottery takes at most {MAX_APPLICATIONS} applications")]
    TooMany,
    #[error("the seed is 1 to {MAX_SEED} characters")]
    Seed,
    #[error("an applicant's training hours are at most {MAX_APPLICANT_HOURS}")]
    ApplicantHours,
}

impl LotteryError {
    /// The offending field, as the API names it.
    pub fn field(&self) -> &'static str {
        match self {
            LotteryError::Seats => "seats",
            LotteryError::Hours => "min_training_hours",
            LotteryError::ApplicantHours => "training_hours",
            LotteryError::GenderLimit => "max_gender_percent",
            LotteryError::Reserved => "reserved",
            LotteryError::Alternates => "alternates",
            LotteryError::Number { .. } | LotteryError::Duplicate { .. } => "number",
            LotteryError::TooMany => "applications",
            LotteryError::Seed => "seed",
        }
    }
}

impl Rules {
    pub fn new(rules: Rules) -> Result<Rules, LotteryError> {
        if rules.seats == 0 || rules.seats > MAX_SEATS {
            return Err(LotteryError::Seats);
        }
        if rules.min_training_hours > 1_000 {
            return Err(LotteryError::Hours);
        }
        if !(50..=100).contains(&rules.max_gender_percent) {
            return Err(LotteryError::GenderLimit);
        }
        let categories: BTreeSet<Category> = rules.reserved.iter().map(|r| r.category).collect();
        let reserved: u32 = rules.reserved.iter().map(|r| r.seats).sum();
        if categories.len() != rules.reserved.len()
            || reserved > rules.seats
            || rules.reserved.iter().any(|r| r.seats == 0)
        {
            return Err(LotteryError::Reserved);
        }
        if rules.alternates > MAX_SEATS {
            return Err(LotteryError::Alternates);
        }
        // Both genders together must be able to fill every seat (1 seat at 60 %, or 3 at 50 %,
        // would leave a seat no one may take).
        if 2 * rules.gender_cap() < rules.seats {
            return Err(LotteryError::GenderLimit);
        }
        Ok(rules)
    }

    /// The most seats one gender may hold.
    pub fn gender_cap(&self) -> u32 {
        self.seats * self.max_gender_percent / 100
    }
}

impl Application {
    /// Checks the number; the other fields are typed.
    pub fn new(application: Application) -> Result<Application, LotteryError> {
        let n = &application.number;
        if n.is_empty()
            || n.chars().count() > MAX_NUMBER
            || !n.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(LotteryError::Number {
                number: application.number,
            });
        }
        if application.training_hours > MAX_APPLICANT_HOURS {
            return Err(LotteryError::ApplicantHours);
        }
        Ok(application)
    }
}

/// Checks a whole list: numbers valid and distinct, not too many.
pub fn check_applications(list: &[Application]) -> Result<(), LotteryError> {
    if list.len() > MAX_APPLICATIONS {
        return Err(LotteryError::TooMany);
    }
    let mut seen = BTreeSet::new();
    for a in list {
        Application::new(a.clone())?;
        if !seen.insert(a.number.as_str()) {
            return Err(LotteryError::Duplicate {
                number: a.number.clone(),
            });
        }
    }
    Ok(())
}

/// A published seed: trimmed, non-empty, bounded.
pub fn seed(s: &str) -> Result<String, LotteryError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_SEED {
        return Err(LotteryError::Seed);
    }
    Ok(s.to_owned())
}

/// The draw key of an application under a seed, in hex.
pub fn draw_key(seed: &str, number: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update(b"\n");
    h.update(number.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Which seat a member took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "category", rename_all = "snake_case")]
pub enum Seat {
    Reserved(Category),
    Open,
}

/// One seated application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seated {
    pub number: String,
    pub seat: Seat,
}

/// The outcome of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Every eligible application in draw order, with its key.
    pub order: Vec<(String, String)>,
    /// Members in the order they were seated.
    pub members: Vec<Seated>,
    /// 예비위원 in rank order.
    pub alternates: Vec<String>,
    /// Applications that did not have the training hours.
    pub ineligible: Vec<String>,
    /// Seats left empty: too few applications, or the gender limit.
    pub unfilled: u32,
}

/// Runs the draw (see the module documentation for the algorithm).
pub fn draw(rules: &Rules, applications: &[Application], seed: &str) -> Outcome {
    let (eligible, ineligible): (Vec<&Application>, Vec<&Application>) = applications
        .iter()
        .partition(|a| a.training_hours >= rules.min_training_hours);
    let mut order: Vec<(String, &Application)> = eligible
        .into_iter()
        .map(|a| (draw_key(seed, &a.number), a))
        .collect();
    order.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.number.cmp(&y.1.number)));

    let cap = rules.gender_cap();
    let mut seated = vec![false; order.len()];
    let mut by_gender = [0u32; 2];
    let mut members = Vec::new();
    let mut fill = |wanted: u32, category: Option<Category>, members: &mut Vec<Seated>| {
        let mut taken = 0;
        for (i, (_, a)) in order.iter().enumerate() {
            if taken == wanted {
                break;
            }
            let g = a.gender as usize;
            if seated[i] || by_gender[g] >= cap || category.is_some_and(|c| c != a.category) {
                continue;
            }
            seated[i] = true;
            by_gender[g] += 1;
            taken += 1;
            members.push(Seated {
                number: a.number.clone(),
                seat: category.map_or(Seat::Open, Seat::Reserved),
            });
        }
    };
    for r in &rules.reserved {
        fill(r.seats, Some(r.category), &mut members);
    }
    let open = rules.seats - members.len() as u32;
    fill(open, None, &mut members);

    let alternates = order
        .iter()
        .zip(&seated)
        .filter(|(_, s)| !**s)
        .take(rules.alternates as usize)
        .map(|((_, a), _)| a.number.clone())
        .collect();
    Outcome {
        unfilled: rules.seats - members.len() as u32,
        order: order
            .iter()
            .map(|(k, a)| (a.number.clone(), k.clone()))
            .collect(),
        members,
        alternates,
        ineligible: ineligible.iter().map(|a| a.number.clone()).collect(),
    }
}

/// 추첨 기록 — everything needed to re-run a draw, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub rules: Rules,
    pub seed: String,
    pub applications: Vec<Application>,
    pub outcome: Outcome,
}

/// Where a published record and a re-run draw part ways.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the record cannot be checked: {0}")]
    Invalid(#[from] LotteryError),
    #[error("the re-run draw differs from the record in {0}")]
    Differs(&'static str),
}

/// Re-runs the draw of a record and compares it with the published outcome.
pub fn verify(record: &Record) -> Result<(), VerifyError> {
    let rules = Rules::new(record.rules.clone())?;
    check_applications(&record.applications)?;
    let rerun = draw(&rules, &record.applications, &seed(&record.seed)?);
    let o = &record.outcome;
    let differs = if rerun.order != o.order {
        Some("the draw order")
    } else if rerun.members != o.members {
        Some("the members")
    } else if rerun.alternates != o.alternates {
        Some("the alternates")
    } else if rerun.ineligible != o.ineligible {
        Some("the ineligible applications")
    } else if rerun.unfilled != o.unfilled {
        Some("the unfilled seats")
    } else {
        None
    };
    differs.map_or(Ok(()), |what| Err(VerifyError::Differs(what)))
}

/// The alternate who takes a seat a member has left: the first in rank order not yet called
/// whose gender keeps the limit among the members serving now.
pub fn next_alternate<'a>(
    rules: &Rules,
    outcome: &'a Outcome,
    applications: &[Application],
    serving: &[Gender],
    called: &BTreeSet<String>,
) -> Option<&'a str> {
    let held = |g: Gender| serving.iter().filter(|s| **s == g).count() as u32;
    outcome
        .alternates
        .iter()
        .filter(|n| !called.contains(*n))
        .find(|n| {
            applications
                .iter()
                .find(|a| &a.number == *n)
                .is_some_and(|a| held(a.gender) < rules.gender_cap())
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(number: &str, category: Category, gender: Gender, hours: u32) -> Application {
        Application {
            number: number.into(),
            category,
            gender,
            training_hours: hours,
        }
    }

    fn rules(seats: u32) -> Rules {
        Rules::new(Rules {
            seats,
            min_training_hours: 6,
            max_gender_percent: 60,
            reserved: vec![],
            alternates: 3,
        })
        .unwrap()
    }

    /// A pool of applications, women at odd numbers.
    fn pool(n: usize) -> Vec<Application> {
        (0..n)
            .map(|i| {
                let g = if i % 2 == 1 {
                    Gender::Female
                } else {
                    Gender::Male
                };
                let c = if i % 5 == 0 {
                    Category::Disadvantaged
                } else {
                    Category::Resident
                };
                app(&format!("A-{i:03}"), c, g, 6 + (i as u32 % 3))
            })
            .collect()
    }

    #[test]
    fn the_draw_key_is_sha256_of_seed_newline_number() {
        // printf '2026-1\nA-001' | sha256sum
        assert_eq!(
            draw_key("2026-1", "A-001"),
            "dadbd074f7e77258448ef89677e5f697b35dffc883aaa011ad1a2294f9b05a8b"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_draw_whatever_the_order_of_the_list() {
        let list = pool(40);
        let mut reversed = list.clone();
        reversed.reverse();
        let r = rules(20);
        assert_eq!(draw(&r, &list, "seed"), draw(&r, &reversed, "seed"));
        assert_ne!(
            draw(&r, &list, "seed").members,
            draw(&r, &list, "other seed").members
        );
    }

    #[test]
    fn under_trained_applicants_do_not_enter() {
        let mut list = pool(10);
        list.push(app("B-1", Category::Resident, Gender::Female, 5));
        let o = draw(&rules(20), &list, "s");
        assert_eq!(o.ineligible, vec!["B-1".to_string()]);
        assert!(o.order.iter().all(|(n, _)| n != "B-1"));
        assert_eq!(o.members.len(), 10);
        assert_eq!(o.unfilled, 10);
    }

    #[test]
    fn no_gender_holds_more_than_sixty_percent_even_when_it_dominates_the_pool() {
        // 30 men, 5 women, 10 seats: men may hold 6, so 6 men + 5 women, nothing unfilled.
        let mut list: Vec<Application> = (0..30)
            .map(|i| app(&format!("M{i}"), Category::Resident, Gender::Male, 6))
            .collect();
        list.extend((0..5).map(|i| app(&format!("F{i}"), Category::Resident, Gender::Female, 6)));
        let o = draw(&rules(10), &list, "x");
        let men = o
            .members
            .iter()
            .filter(|m| m.number.starts_with('M'))
            .count();
        assert_eq!(men, 6);
        assert_eq!(o.members.len(), 10);
        // 2 women and 6 men would leave 2 seats empty: the limit wins over filling.
        let o = draw(&rules(10), &list[..32], "x");
        assert_eq!(o.members.len(), 8);
        assert_eq!(o.unfilled, 2);
    }

    #[test]
    fn reserved_seats_go_to_their_category_first() {
        let list = pool(50);
        let mut r = rules(20);
        r.reserved = vec![Reservation {
            category: Category::Disadvantaged,
            seats: 2,
        }];
        let o = draw(&Rules::new(r).unwrap(), &list, "s");
        let reserved: Vec<_> = o
            .members
            .iter()
            .filter(|m| m.seat == Seat::Reserved(Category::Disadvantaged))
            .collect();
        assert_eq!(reserved.len(), 2);
        assert!(reserved.iter().all(|m| {
            list.iter()
                .any(|a| a.number == m.number && a.category == Category::Disadvantaged)
        }));
        assert_eq!(o.members.len(), 20);
        // The reserved seats are the first disadvantaged applications in draw order.
        let first: Vec<_> = o
            .order
            .iter()
            .filter(|(n, _)| {
                list.iter()
                    .any(|a| &a.number == n && a.category == Category::Disadvantaged)
            })
            .take(2)
            .map(|(n, _)| n.clone())
            .collect();
        assert_eq!(
            reserved
                .iter()
                .map(|m| m.number.clone())
                .collect::<Vec<_>>(),
            first
        );
    }

    #[test]
    fn alternates_follow_the_members_in_draw_order() {
        let list = pool(30);
        let o = draw(&rules(10), &list, "alt");
        assert_eq!(o.alternates.len(), 3);
        let seated: BTreeSet<_> = o.members.iter().map(|m| m.number.as_str()).collect();
        let rest: Vec<_> = o
            .order
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !seated.contains(n))
            .take(3)
            .collect();
        assert_eq!(o.alternates, rest);
    }

    #[test]
    fn the_next_alternate_keeps_the_gender_limit() {
        let list = vec![
            app("A", Category::Resident, Gender::Male, 6),
            app("B", Category::Resident, Gender::Female, 6),
        ];
        let outcome = Outcome {
            order: vec![],
            members: vec![],
            alternates: vec!["A".into(), "B".into()],
            ineligible: vec![],
            unfilled: 0,
        };
        let r = rules(5); // at most 3 of one gender
        let none = BTreeSet::new();
        let serving = [Gender::Male, Gender::Male, Gender::Female, Gender::Female];
        assert_eq!(
            next_alternate(&r, &outcome, &list, &serving, &none),
            Some("A")
        );
        let three_men = [Gender::Male, Gender::Male, Gender::Male, Gender::Female];
        assert_eq!(
            next_alternate(&r, &outcome, &list, &three_men, &none),
            Some("B")
        );
        let called = BTreeSet::from(["B".to_string()]);
        assert_eq!(
            next_alternate(&r, &outcome, &list, &three_men, &called),
            None
        );
    }

    #[test]
    fn randomised_draws_keep_every_rule() {
        let mut state = 17u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for round in 0..300 {
            let n = next(60) as usize;
            let list: Vec<Application> = (0..n)
                .map(|i| {
                    app(
                        &format!("{round}-{i}"),
                        Category::ALL[next(4) as usize],
                        Gender::ALL[next(2) as usize],
                        next(10) as u32,
                    )
                })
                .collect();
            let seats = 1 + next(30) as u32;
            let reserved = if seats > 3 && next(2) == 0 {
                vec![Reservation {
                    category: Category::Youth,
                    seats: 1 + next(3) as u32,
                }]
            } else {
                vec![]
            };
            let Ok(r) = Rules::new(Rules {
                seats,
                min_training_hours: 6,
                max_gender_percent: 50 + next(51) as u32,
                reserved,
                alternates: next(5) as u32,
            }) else {
                continue;
            };
            let o = draw(&r, &list, &format!("seed {round}"));
            let gender_of = |n: &str| list.iter().find(|a| a.number == n).unwrap().gender;
            for g in Gender::ALL {
                let held = o
                    .members
                    .iter()
                    .filter(|m| gender_of(&m.number) == g)
                    .count();
                assert!(held as u32 <= r.gender_cap(), "round {round}");
            }
            assert_eq!(o.members.len() as u32 + o.unfilled, seats);
            let mut all: Vec<&str> = o.members.iter().map(|m| m.number.as_str()).collect();
            all.extend(o.alternates.iter().map(String::as_str));
            all.extend(o.ineligible.iter().map(String::as_str));
            let distinct: BTreeSet<&str> = all.iter().copied().collect();
            assert_eq!(distinct.len(), all.len(), "no one is listed twice");
            // An empty seat means nobody left could have taken it.
            if o.unfilled > 0 {
                let seated: BTreeSet<&str> = o.members.iter().map(|m| m.number.as_str()).collect();
                for (n, _) in &o.order {
                    if !seated.contains(n.as_str()) {
                        let g = gender_of(n);
                        let held = o
                            .members
                            .iter()
                            .filter(|m| gender_of(&m.number) == g)
                            .count();
                        assert_eq!(held as u32, r.gender_cap(), "round {round}");
                    }
                }
            }
            let record = Record {
                rules: r.clone(),
                seed: format!("seed {round}"),
                applications: list.clone(),
                outcome: o,
            };
            assert_eq!(verify(&record), Ok(()));
        }
    }

    #[test]
    fn a_record_with_a_changed_member_fails_verification() {
        let list = pool(30);
        let r = rules(10);
        let mut record = Record {
            outcome: draw(&r, &list, "s"),
            rules: r,
            seed: "s".into(),
            applications: list,
        };
        assert_eq!(verify(&record), Ok(()));
        let outsider = record.outcome.alternates[0].clone();
        record.outcome.members[0].number = outsider;
        assert_eq!(verify(&record), Err(VerifyError::Differs("the members")));
        record.seed = String::new();
        assert_eq!(
            verify(&record),
            Err(VerifyError::Invalid(LotteryError::Seed))
        );
    }

    #[test]
    fn rules_and_applications_are_checked() {
        let bad = |f: fn(&mut Rules)| {
            let mut r = rules(10);
            f(&mut r);
            Rules::new(r).unwrap_err().field()
        };
        assert_eq!(bad(|r| r.seats = 0), "seats");
        assert_eq!(bad(|r| r.max_gender_percent = 40), "max_gender_percent");
        assert_eq!(
            bad(|r| r.seats = 1),
            "max_gender_percent",
            "a cap of 0 seats"
        );
        assert_eq!(
            bad(|r| {
                r.seats = 3;
                r.max_gender_percent = 50
            }),
            "max_gender_percent"
        );
        assert_eq!(
            bad(|r| r.reserved = vec![Reservation {
                category: Category::Youth,
                seats: 11
            }]),
            "reserved"
        );
        let list = vec![
            app("A-1", Category::Resident, Gender::Male, 6),
            app("A-1", Category::Youth, Gender::Female, 6),
        ];
        assert!(matches!(
            check_applications(&list),
            Err(LotteryError::Duplicate { .. })
        ));
        assert!(Application::new(app("A 1", Category::Resident, Gender::Male, 6)).is_err());
        assert_eq!(Gender::parse("여"), Some(Gender::Female));
        assert_eq!(Category::parse("청년"), Some(Category::Youth));
    }
}
