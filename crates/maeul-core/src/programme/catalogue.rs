//! The programme catalogue: one entry per programme and year, as a ministry publishes it,
//! with what a council needs to see whether it fits — the unit that may apply, the topics,
//! the amount per award, the years of support and the application window. Where a file gives
//! only the notice's own words (the target as written, a summary), the units, topics and
//! eligibility notes are read from those words.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::topic::Topic;

/// Longest ministry name, in characters.
pub const MAX_MINISTRY: usize = 100;
/// Longest programme name or target text, in characters.
pub const MAX_NAME: usize = 200;
/// Longest summary or eligibility note, in characters.
pub const MAX_TEXT: usize = 5_000;
/// The most years of support a programme can state.
pub const MAX_YEARS: u8 = 20;
/// The largest amount an entry may state, in won (100 trillion, beyond any programme).
pub const MAX_AMOUNT: i64 = 100_000_000_000_000;
/// The catalogue's years: programmes are versioned per year.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// 지원 대상 — the unit that applies for or receives a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetUnit {
    /// 읍·면·동 (or its resident autonomy council)
    Emd,
    /// 마을 — a village or neighbourhood
    Village,
    /// 시·군·구 — a local government
    Sigungu,
    /// 시·도 — a province or metropolitan city
    Sido,
    /// 단체 — a residents' group, team or consortium
    Group,
    /// 기업 — an enterprise, market or shop association
    Enterprise,
}

impl TargetUnit {
    pub const ALL: [TargetUnit; 6] = [
        TargetUnit::Emd,
        TargetUnit::Village,
        TargetUnit::Sigungu,
        TargetUnit::Sido,
        TargetUnit::Group,
        TargetUnit::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetUnit::Emd => "emd",
            TargetUnit::Village => "village",
            TargetUnit::Sigungu => "sigungu",
            TargetUnit::Sido => "sido",
            TargetUnit::Group => "group",
            TargetUnit::Enterprise => "enterprise",
        }
    }

    pub fn korean(self) -> &'static str {
        match self {
            TargetUnit::Emd => "읍·면·동",
            TargetUnit::Village => "마을",
            TargetUnit::Sigungu => "시·군·구",
            TargetUnit::Sido => "시·도",
            TargetUnit::Group => "단체·팀",
            TargetUnit::Enterprise => "기업·시장",
        }
    }

    /// A code, the Korean name, or its first word (`단체`, `기업`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|u| u.as_str() == s || u.korean() == s || u.korean().split('·').next() == Some(s))
    }

    /// Words in a notice's target text that name this unit.
    fn words(self) -> &'static [&'static str] {
        match self {
            TargetUnit::Emd => &["읍·면", "읍면", "주민자치회", "행정복지센터"],
            TargetUnit::Village => &["마을"],
            TargetUnit::Sigungu => &[
                "지자체",
                "시·군",
                "시군",
                "기초",
                "시장·군수",
                "구청장",
                "자치구",
            ],
            TargetUnit::Sido => &["광역", "시·도", "시도"],
            TargetUnit::Group => &[
                "단체",
                "팀",
                "컨소시엄",
                "농장",
                "크리에이터",
                "기획자",
                "협동조합",
                "주민)",
            ],
            TargetUnit::Enterprise => &["기업", "전통시장", "상점가", "법인", "소상공인"],
        }
    }

    /// The units a notice's target text names, in the order of [`TargetUnit::ALL`].
    pub fn of_text(target: &str) -> Vec<TargetUnit> {
        Self::ALL
            .into_iter()
            .filter(|u| u.words().iter().any(|w| target.contains(w)))
            .collect()
    }
}

/// Whether a programme is meant for rural or urban places, read from its words; a council
/// sees it as one reason a programme fits (a 읍 or 면 is rural, a 동 urban).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Any,
    Rural,
    Urban,
}

impl Setting {
    const RURAL: [&'static str; 6] = ["농촌", "어촌", "농어촌", "농산어촌", "읍·면", "귀농"];
    const URBAN: [&'static str; 4] = ["도시재생", "상권", "상점가", "중심시가지"];

    pub fn of_text(text: &str) -> Setting {
        let rural = Self::RURAL.iter().any(|w| text.contains(w));
        let urban = Self::URBAN.iter().any(|w| text.contains(w));
        match (rural, urban) {
            (true, false) => Setting::Rural,
            (false, true) => Setting::Urban,
            _ => Setting::Any,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Any => "any",
            Setting::Rural => "rural",
            Setting::Urban => "urban",
        }
    }
}

/// 공모 기간 — when applications are taken, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub opens: Date,
    pub closes: Date,
}

impl Window {
    pub fn contains(&self, day: Date) -> bool {
        self.opens <= day && day <= self.closes
    }
}

/// One programme as a ministry publishes it for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub ministry: String,
    pub name: String,
    /// A plain-language summary.
    pub summary: String,
    /// The target as the notice writes it (e.g. `시·군 (수도권은 인구감소지역만)`).
    pub target: String,
    pub target_units: Vec<TargetUnit>,
    /// Eligibility notes (e.g. population-decline areas only, outside the capital region).
    pub eligibility: String,
    /// The smallest and largest award per recipient, in won.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    /// Years of support.
    pub years: Option<u8>,
    pub window: Option<Window>,
    pub topics: Vec<Topic>,
    /// The notice or page the entry comes from: a web address, or a reference to a
    /// document.
    pub source: String,
    /// The day the entry was checked against its source.
    pub as_of: Option<Date>,
}

/// Why an entry is refused; `field` names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgrammeError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the smallest amount is above the largest")]
    AmountOrder,
    #[error("an amount must be 0 to {MAX_AMOUNT} won")]
    Amount,
    #[error("years of support must be 1 to {MAX_YEARS}")]
    Years,
    #[error("the application window closes before it opens")]
    WindowOrder,
    #[error("the year must be {} to {}", YEARS.start(), YEARS.end())]
    Year,
}

impl ProgrammeError {
    pub fn field(&self) -> &'static str {
        match self {
            ProgrammeError::Required { field } | ProgrammeError::TooLong { field, .. } => field,
            ProgrammeError::AmountOrder | ProgrammeError::Amount => "amount_max",
            ProgrammeError::Years => "years",
            ProgrammeError::WindowOrder => "closes_on",
            ProgrammeError::Year => "year",
        }
    }
}

fn text(
    s: &str,
    field: &'static str,
    max: usize,
    required: bool,
) -> Result<String, ProgrammeError> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err(ProgrammeError::Required { field });
    }
    if s.chars().count() > max {
        return Err(ProgrammeError::TooLong { field, max });
    }
    Ok(s.to_owned())
}

/// The condition in a target's brackets (`지자체 (수도권은 인구감소·관심지역만)` →
/// `수도권은 인구감소·관심지역만`), where notices usually state eligibility; brackets that only
/// narrow the unit (`시·군·구(어촌)`, `농촌 마을(주민)`) are not conditions.
pub fn eligibility_of_target(target: &str) -> String {
    match (target.find('('), target.rfind(')')) {
        (Some(a), Some(b)) if a < b => {
            let inner = target[a + 1..b].trim();
            let condition = inner.ends_with('만')
                || ["제외", "지역", "이상", "미만", "우대"]
                    .iter()
                    .any(|w| inner.contains(w));
            if condition {
                inner.to_owned()
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}

/// Checks a year of the catalogue.
pub fn year(y: i32) -> Result<i32, ProgrammeError> {
    if YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(ProgrammeError::Year)
    }
}

impl Programme {
    /// Checks an entry and fills what the notice's own words tell when it is not given:
    /// the target units from the target, the topics from the name and summary, the
    /// eligibility notes from the target's brackets.
    pub fn new(p: Programme) -> Result<Programme, ProgrammeError> {
        let ministry = text(&p.ministry, "ministry", MAX_MINISTRY, true)?;
        let name = text(&p.name, "name", MAX_NAME, true)?;
        let summary = text(&p.summary, "summary", MAX_TEXT, false)?;
        let target = text(&p.target, "target", MAX_NAME, false)?;
        let eligibility = text(&p.eligibility, "eligibility", MAX_TEXT, false)?;
        let source = text(&p.source, "source", MAX_TEXT, false)?;
        let outside = |a: Option<i64>| a.is_some_and(|a| !(0..=MAX_AMOUNT).contains(&a));
        if outside(p.amount_min) || outside(p.amount_max) {
            return Err(ProgrammeError::Amount);
        }
        if let (Some(lo), Some(hi)) = (p.amount_min, p.amount_max)
            && lo > hi
        {
            return Err(ProgrammeError::AmountOrder);
        }
        if p.years.is_some_and(|y| y == 0 || y > MAX_YEARS) {
            return Err(ProgrammeError::Years);
        }
        if p.window.is_some_and(|w| w.closes < w.opens) {
            return Err(ProgrammeError::WindowOrder);
        }
        let mut target_units = p.target_units;
        if target_units.is_empty() {
            target_units = TargetUnit::of_text(&target);
        }
        target_units.sort();
        target_units.dedup();
        let mut topics = p.topics;
        if topics.is_empty() {
            topics = Topic::of_text(&format!("{name} {summary}"));
        }
        if topics.is_empty() {
            // Every programme stands under some problem, so the sourcebook lists them all.
            topics = vec![Topic::Other];
        }
        topics.sort();
        topics.dedup();
        let eligibility = if eligibility.is_empty() {
            eligibility_of_target(&target)
        } else {
            eligibility
        };
        Ok(Programme {
            ministry,
            name,
            summary,
            target,
            target_units,
            eligibility,
            topics,
            source,
            ..p
        })
    }

    /// Rural, urban or either, from the name, target and summary.
    pub fn setting(&self) -> Setting {
        Setting::of_text(&format!("{} {} {}", self.name, self.target, self.summary))
    }

    /// Whether applications are taken on a day.
    pub fn open_on(&self, day: Date) -> bool {
        self.window.is_some_and(|w| w.contains(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn entry(name: &str, target: &str, summary: &str) -> Programme {
        Programme {
            ministry: "행정안전부".into(),
            name: name.into(),
            summary: summary.into(),
            target: target.into(),
            ..Programme::default()
        }
    }

    #[test]
    fn units_topics_and_notes_are_read_from_the_notice_when_not_given() {
        let p = Programme::new(entry(
            "지역 특성 살리기",
            "광역·기초 지자체 (수도권은 인구감소·관심지역만)",
            "거점시설·로컬디자인·특화상권, 지자체당 최대 14억원",
        ))
        .unwrap();
        assert_eq!(p.target_units, vec![TargetUnit::Sigungu, TargetUnit::Sido]);
        assert_eq!(p.eligibility, "수도권은 인구감소·관심지역만");
        assert_eq!(p.topics, vec![Topic::LocalEconomy]);

        let p = Programme::new(entry(
            "스마트빌리지 보급 및 확산 사업",
            "지자체(농어촌 읍·면)",
            "",
        ))
        .unwrap();
        assert_eq!(p.target_units, vec![TargetUnit::Emd, TargetUnit::Sigungu]);
        assert_eq!(p.setting(), Setting::Rural);
        assert_eq!(
            p.eligibility, "",
            "a bracket that narrows the unit is no condition"
        );
        assert_eq!(
            TargetUnit::of_text("전통시장·상점가"),
            vec![TargetUnit::Enterprise]
        );
        assert_eq!(
            TargetUnit::of_text("청년 단체·청년 기업"),
            vec![TargetUnit::Group, TargetUnit::Enterprise]
        );
        assert_eq!(
            TargetUnit::of_text("농촌 마을(주민)"),
            vec![TargetUnit::Village, TargetUnit::Group]
        );
    }

    #[test]
    fn given_units_and_topics_are_kept() {
        assert_eq!(
            Programme::new(entry("스마트챌린지", "지자체", ""))
                .unwrap()
                .topics,
            vec![Topic::Other],
            "a programme no word places stands under 기타"
        );
        assert_eq!(TargetUnit::parse("단체"), Some(TargetUnit::Group));
        assert_eq!(TargetUnit::parse("기업·시장"), Some(TargetUnit::Enterprise));
        let mut e = entry("청년마을 만들기", "청년 단체", "");
        e.target_units = vec![TargetUnit::Village, TargetUnit::Group, TargetUnit::Village];
        e.topics = vec![Topic::Youth];
        let p = Programme::new(e).unwrap();
        assert_eq!(p.target_units, vec![TargetUnit::Village, TargetUnit::Group]);
        assert_eq!(p.topics, vec![Topic::Youth]);
    }

    /// A change that makes an entry wrong.
    type Spoil = fn(&mut Programme);

    #[test]
    fn a_bad_entry_names_its_field() {
        let cases: Vec<(Spoil, &str)> = vec![
            (|p| p.name = "  ".into(), "name"),
            (|p| p.ministry = String::new(), "ministry"),
            (|p| p.name = "가".repeat(MAX_NAME + 1), "name"),
            (|p| p.source = "가".repeat(MAX_TEXT + 1), "source"),
            (
                |p| {
                    p.amount_min = Some(2);
                    p.amount_max = Some(1);
                },
                "amount_max",
            ),
            (|p| p.amount_max = Some(-1), "amount_max"),
            (|p| p.amount_min = Some(MAX_AMOUNT + 1), "amount_max"),
            (|p| p.years = Some(0), "years"),
            (
                |p| {
                    p.window = Some(Window {
                        opens: date!(2026 - 03 - 02),
                        closes: date!(2026 - 03 - 01),
                    })
                },
                "closes_on",
            ),
        ];
        for (spoil, field) in cases {
            let mut e = entry("마을공방 육성사업", "시·군·구", "");
            spoil(&mut e);
            assert_eq!(Programme::new(e).unwrap_err().field(), field);
        }
        assert!(year(1999).is_err() && year(2026).is_ok());
    }

    #[test]
    fn a_programme_is_open_inside_its_window_only() {
        let mut e = entry("마을공방 육성사업", "시·군·구", "");
        e.window = Some(Window {
            opens: date!(2026 - 03 - 01),
            closes: date!(2026 - 03 - 31),
        });
        let p = Programme::new(e).unwrap();
        assert!(p.open_on(date!(2026 - 03 - 01)) && p.open_on(date!(2026 - 03 - 31)));
        assert!(!p.open_on(date!(2026 - 04 - 01)) && !p.open_on(date!(2026 - 02 - 28)));
        assert_eq!(
            Setting::of_text("도시재생 뉴딜사업 우리동네살리기"),
            Setting::Urban
        );
    }
}
