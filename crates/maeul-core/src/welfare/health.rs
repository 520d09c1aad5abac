//! 방문건강관리 — nurses' visiting health care by risk group: who is registered, how often each
//! group is visited, what a health visit measures and which readings call for attention
//! (DESIGN.md §5; 방문건강관리사업 안내).

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::welfare::person::Person;

/// 건강관리군 — the risk group that sets how often a person is visited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskGroup {
    /// 집중관리군: at least 8 visits in 3 months.
    Intensive,
    /// 정기관리군: at least one visit every 3 months.
    Regular,
    /// 자기역량지원군: at least one visit every 6 months.
    SelfCapacity,
}

impl RiskGroup {
    pub const ALL: [RiskGroup; 3] = [
        RiskGroup::Intensive,
        RiskGroup::Regular,
        RiskGroup::SelfCapacity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskGroup::Intensive => "intensive",
            RiskGroup::Regular => "regular",
            RiskGroup::SelfCapacity => "self_capacity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// The configurable part: cadences and the thresholds that flag a reading.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthRules {
    /// Intensive group: this many visits …
    pub intensive_visits: i64,
    /// … within this many days (3 months).
    pub intensive_days: i64,
    /// Regular group: one visit within this many days.
    pub regular_days: i64,
    /// Self-capacity group: one visit within this many days.
    pub self_capacity_days: i64,
    /// Systolic / diastolic blood pressure at or above which a reading is high (mmHg).
    pub systolic_high: i64,
    pub diastolic_high: i64,
    /// Fasting glucose at or above which a reading is high (mg/dL).
    pub glucose_high: i64,
    /// BMI below / at or above which weight is flagged.
    pub bmi_low: f64,
    pub bmi_high: f64,
    /// Frailty screening score (K-FRAIL, 0–5) at or above which a person is frail.
    pub frailty_high: i64,
}

impl Default for HealthRules {
    fn default() -> Self {
        HealthRules {
            intensive_visits: 8,
            intensive_days: 90,
            regular_days: 90,
            self_capacity_days: 180,
            systolic_high: 140,
            diastolic_high: 90,
            glucose_high: 126,
            bmi_low: 18.5,
            bmi_high: 25.0,
            frailty_high: 3,
        }
    }
}

impl HealthRules {
    /// Reads rules from TOML; cadences must be positive and thresholds plausible.
    pub fn parse(text: &str) -> Result<Self, String> {
        let r: HealthRules = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let days = [r.intensive_days, r.regular_days, r.self_capacity_days];
        if days.iter().any(|d| !(1..=3650).contains(d)) || !(1..=100).contains(&r.intensive_visits)
        {
            return Err("cadences are 1 to 3,650 days and 1 to 100 visits".into());
        }
        if !(r.bmi_low.is_finite() && r.bmi_high.is_finite() && r.bmi_low < r.bmi_high) {
            return Err("bmi_low must lie below bmi_high".into());
        }
        Ok(r)
    }

    /// The rules as a TOML file that [`HealthRules::parse`] reads back.
    pub fn to_toml(&self) -> String {
        format!(
            "intensive_visits = {}\nintensive_days = {}\nregular_days = {}\nself_capacity_days = {}\n\
             systolic_high = {}\ndiastolic_high = {}\nglucose_high = {}\nbmi_low = {:?}\nbmi_high = {:?}\n\
             frailty_high = {}\n",
            self.intensive_visits,
            self.intensive_days,
            self.regular_days,
            self.self_capacity_days,
            self.systolic_high,
            self.diastolic_high,
            self.glucose_high,
            self.bmi_low,
            self.bmi_high,
            self.frailty_high
        )
    }

    /// The longest gap between visits the group allows: for the intensive group, its window
    /// shared evenly among the visits it needs.
    pub fn interval_days(&self, group: RiskGroup) -> i64 {
        match group {
            RiskGroup::Intensive => (self.intensive_days / self.intensive_visits.max(1)).max(1),
            RiskGroup::Regular => self.regular_days,
            RiskGroup::SelfCapacity => self.self_capacity_days,
        }
    }

    /// When the next visit is due: an interval after the last visit, or after registration
    /// (or the latest group change) when there was no visit since.
    pub fn next_due(&self, group: RiskGroup, since: Date) -> Date {
        since + Duration::days(self.interval_days(group))
    }

    /// Visits an intensive-group person still lacks in the trailing window ending today
    /// (0 for other groups and when the cadence is met).
    pub fn intensive_shortfall(&self, group: RiskGroup, visits: &[Date], today: Date) -> i64 {
        if group != RiskGroup::Intensive {
            return 0;
        }
        let from = today - Duration::days(self.intensive_days);
        let recent = visits.iter().filter(|d| **d > from && **d <= today).count() as i64;
        (self.intensive_visits - recent).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HealthError {
    /// 장기요양등급 1–5등급 판정자는 방문건강관리 대상이 아닙니다.
    #[error(
        "people with a long-term-care grade 1 to 5 are served by long-term care, not this programme"
    )]
    LongTermCare,
    #[error("a long-term-care grade is 1 to 5, or none")]
    Grade,
    #[error("unknown risk group")]
    Group,
    #[error("the date is a date YYYY-MM-DD, not in the future")]
    Date,
    #[error("a reading lies outside what can be measured")]
    Reading(&'static str),
    #[error("a note has at most 4,000 characters")]
    Note,
}

impl HealthError {
    pub fn field(&self) -> &'static str {
        match self {
            HealthError::LongTermCare | HealthError::Grade => "ltc_grade",
            HealthError::Group => "group",
            HealthError::Date => "visited_on",
            HealthError::Reading(field) => field,
            HealthError::Note => "note",
        }
    }
}

/// A person to register: refused when a long-term-care grade 1–5 applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub person: Person,
    pub group: RiskGroup,
    pub registered_on: Date,
}

impl Registration {
    pub fn new(
        person: Person,
        group: &str,
        ltc_grade: Option<i64>,
        registered_on: Date,
        today: Date,
    ) -> Result<Self, HealthError> {
        match ltc_grade {
            None => {}
            Some(1..=5) => return Err(HealthError::LongTermCare),
            Some(_) => return Err(HealthError::Grade),
        }
        let group = RiskGroup::parse(group.trim()).ok_or(HealthError::Group)?;
        if registered_on > today {
            return Err(HealthError::Date);
        }
        Ok(Registration {
            person,
            group,
            registered_on,
        })
    }
}

/// What a health visit measured; every reading is optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Readings {
    pub systolic: Option<i64>,
    pub diastolic: Option<i64>,
    pub glucose: Option<i64>,
    pub height_cm: Option<f64>,
    pub weight_kg: Option<f64>,
    pub frailty: Option<i64>,
}

/// A reading that calls for attention under the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    HighBloodPressure,
    HighGlucose,
    Underweight,
    Overweight,
    Frail,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::HighBloodPressure => "high_blood_pressure",
            Flag::HighGlucose => "high_glucose",
            Flag::Underweight => "underweight",
            Flag::Overweight => "overweight",
            Flag::Frail => "frail",
        }
    }
}

impl Readings {
    /// Checks each reading against what can be measured at all.
    pub fn check(self) -> Result<Self, HealthError> {
        let within = |v: Option<i64>, lo: i64, hi: i64, field| match v {
            Some(v) if !(lo..=hi).contains(&v) => Err(HealthError::Reading(field)),
            _ => Ok(()),
        };
        let within_f = |v: Option<f64>, lo: f64, hi: f64, field| match v {
            Some(v) if !(v.is_finite() && (lo..=hi).contains(&v)) => {
                Err(HealthError::Reading(field))
            }
            _ => Ok(()),
        };
        within(self.systolic, 50, 300, "systolic")?;
        within(self.diastolic, 20, 200, "diastolic")?;
        within(self.glucose, 10, 1000, "glucose")?;
        within_f(self.height_cm, 50.0, 250.0, "height_cm")?;
        within_f(self.weight_kg, 10.0, 300.0, "weight_kg")?;
        within(self.frailty, 0, 5, "frailty")?;
        Ok(self)
    }

    /// Body-mass index from height and weight, to one decimal.
    pub fn bmi(&self) -> Option<f64> {
        let (h, w) = (self.height_cm? / 100.0, self.weight_kg?);
        Some((w / (h * h) * 10.0).round() / 10.0)
    }

    /// The readings that call for attention.
    pub fn flags(&self, rules: &HealthRules) -> Vec<Flag> {
        let mut flags = Vec::new();
        if self.systolic.is_some_and(|s| s >= rules.systolic_high)
            || self.diastolic.is_some_and(|d| d >= rules.diastolic_high)
        {
            flags.push(Flag::HighBloodPressure);
        }
        if self.glucose.is_some_and(|g| g >= rules.glucose_high) {
            flags.push(Flag::HighGlucose);
        }
        match self.bmi() {
            Some(b) if b < rules.bmi_low => flags.push(Flag::Underweight),
            Some(b) if b >= rules.bmi_high => flags.push(Flag::Overweight),
            _ => {}
        }
        if self.frailty.is_some_and(|f| f >= rules.frailty_high) {
            flags.push(Flag::Frail);
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rules_are_configuration() {
        let text = "intensive_visits = 6\nintensive_days = 90\nregular_days = 90\nself_capacity_days = 180\n\
                    systolic_high = 130\ndiastolic_high = 80\nglucose_high = 126\nbmi_low = 18.5\nbmi_high = 23.0\nfrailty_high = 3\n";
        let rules = HealthRules::parse(text).unwrap();
        assert_eq!(rules.interval_days(RiskGroup::Intensive), 15);
        assert!(HealthRules::parse(&text.replace("bmi_high = 23.0", "bmi_high = 10.0")).is_err());
        assert!(HealthRules::parse("intensive_visits = 6").is_err());
        assert_eq!(HealthRules::parse(&rules.to_toml()).unwrap(), rules);
    }

    #[test]
    fn groups_set_the_cadence() {
        let rules = HealthRules::default();
        assert_eq!(rules.interval_days(RiskGroup::Intensive), 11);
        assert_eq!(
            rules.next_due(RiskGroup::Regular, date!(2026 - 09 - 01)),
            date!(2026 - 11 - 30)
        );
        assert_eq!(
            rules.next_due(RiskGroup::SelfCapacity, date!(2026 - 09 - 01)),
            date!(2027 - 02 - 28)
        );
    }

    #[test]
    fn the_intensive_group_needs_eight_visits_in_three_months() {
        let rules = HealthRules::default();
        let today = date!(2026 - 11 - 25);
        let visits: Vec<Date> = (0..6).map(|i| today - Duration::days(i * 10)).collect();
        assert_eq!(
            rules.intensive_shortfall(RiskGroup::Intensive, &visits, today),
            2
        );
        let old = [today - Duration::days(120)];
        assert_eq!(
            rules.intensive_shortfall(RiskGroup::Intensive, &old, today),
            8
        );
        assert_eq!(rules.intensive_shortfall(RiskGroup::Regular, &[], today), 0);
    }

    #[test]
    fn long_term_care_grades_one_to_five_are_excluded() {
        let today = date!(2026 - 11 - 25);
        let person = || Person::new("이", Some(1940), today).unwrap();
        for grade in 1..=5 {
            assert_eq!(
                Registration::new(person(), "regular", Some(grade), today, today),
                Err(HealthError::LongTermCare)
            );
        }
        assert_eq!(
            Registration::new(person(), "regular", Some(7), today, today),
            Err(HealthError::Grade)
        );
        assert!(Registration::new(person(), "intensive", None, today, today).is_ok());
        assert_eq!(
            Registration::new(person(), "sometimes", None, today, today),
            Err(HealthError::Group)
        );
    }

    #[test]
    fn readings_are_checked_and_flagged_by_the_thresholds() {
        let rules = HealthRules::default();
        let r = Readings {
            systolic: Some(152),
            diastolic: Some(85),
            glucose: Some(110),
            height_cm: Some(160.0),
            weight_kg: Some(45.0),
            frailty: Some(3),
        }
        .check()
        .unwrap();
        assert_eq!(r.bmi(), Some(17.6));
        assert_eq!(
            r.flags(&rules),
            [Flag::HighBloodPressure, Flag::Underweight, Flag::Frail]
        );
        let bad = Readings {
            systolic: Some(20),
            ..Readings::default()
        };
        assert_eq!(bad.check(), Err(HealthError::Reading("systolic")));
        assert!(Readings::default().flags(&rules).is_empty());
    }
}
