//! The scoring model (`model.toml`), as fixed by `specs/discovery.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::parse::days_from_date;

/// How an indicator's largest decayed value `a` becomes a feature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transform {
    /// 1 if a > 0, else 0.
    Flag,
    /// ln(1 + a).
    Log1p,
    /// min(a, cap).
    Cap(f64),
}

impl Transform {
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Transform::Flag => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            // Written as ln(1 + a), not ln_1p, so that results match other implementations bit for bit.
            Transform::Log1p => (1.0 + a).ln(),
            Transform::Cap(cap) => a.min(cap),
        }
    }
}

/// 위기정보 — one kind of crisis data.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub weight: f64,
    pub transform: Transform,
    pub half_life_days: f64,
}

/// A model: indicators in ascending code order and tags in ascending name order, so that an
/// index order is the summation order the contract fixes.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub version: u32,
    /// The round's reference date, in days since 1970-01-01.
    pub as_of: i64,
    pub as_of_text: String,
    pub lookback_days: i64,
    pub intercept: f64,
    pub top_per_emd: usize,
    pub min_probability: f64,
    pub indicators: Vec<Indicator>,
    pub tags: Vec<(String, f64)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    name: String,
    /// Written by `maeul discovery fit`; a hand-written model is version 1.
    #[serde(default = "first_version")]
    version: u32,
    as_of: String,
    lookback_days: i64,
    intercept: f64,
    top_per_emd: i64,
    min_probability: f64,
    #[serde(default)]
    indicators: BTreeMap<String, RawIndicator>,
    #[serde(default)]
    tags: BTreeMap<String, f64>,
}

fn first_version() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    name: String,
    weight: f64,
    transform: String,
    cap: Option<f64>,
    half_life_days: f64,
}

impl Model {
    /// Reads a model, naming every problem.
    pub fn parse(text: &str) -> Result<Model, Vec<String>> {
        let raw: RawModel = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        let as_of = days_from_date(raw.as_of.as_bytes());
        if as_of.is_none() {
            errors.push(format!("as_of {:?} is not a date YYYY-MM-DD", raw.as_of));
        }
        if raw.lookback_days <= 0 {
            errors.push("lookback_days must be positive".into());
        }
        if raw.top_per_emd <= 0 {
            errors.push("top_per_emd must be positive".into());
        }
        if !(0.0..=1.0).contains(&raw.min_probability) {
            errors.push("min_probability must lie between 0 and 1".into());
        }
        if !raw.intercept.is_finite() {
            errors.push("intercept must be a finite number".into());
        }
        if raw.indicators.is_empty() {
            errors.push("the model defines no [indicators]".into());
        }
        if raw.indicators.len() > u16::MAX as usize || raw.tags.len() > u16::MAX as usize {
            errors.push("too many indicators or tags".into());
        }
        let mut indicators = Vec::with_capacity(raw.indicators.len());
        for (code, ind) in raw.indicators {
            if code.is_empty() || code.contains([',', '\n', '\r', ';', '"']) {
                errors.push(format!(
                    "indicator code {code:?} cannot be written in the files"
                ));
            }
            let transform = match (ind.transform.as_str(), ind.cap) {
                ("flag", None) => Transform::Flag,
                ("log1p", None) => Transform::Log1p,
                ("cap", Some(cap)) if cap.is_finite() && cap >= 0.0 => Transform::Cap(cap),
                ("cap", _) => {
                    errors.push(format!("indicator {code}: transform \"cap\" needs cap ≥ 0"));
                    continue;
                }
                ("flag" | "log1p", Some(_)) => {
                    errors.push(format!(
                        "indicator {code}: cap is only for transform \"cap\""
                    ));
                    continue;
                }
                (other, _) => {
                    errors.push(format!(
                        "indicator {code}: transform {other:?} is not flag, log1p or cap"
                    ));
                    continue;
                }
            };
            if !ind.weight.is_finite() {
                errors.push(format!("indicator {code}: weight must be a finite number"));
            }
            if !(ind.half_life_days.is_finite() && ind.half_life_days > 0.0) {
                errors.push(format!("indicator {code}: half_life_days must be positive"));
            }
            indicators.push(Indicator {
                code,
                name: ind.name,
                weight: ind.weight,
                transform,
                half_life_days: ind.half_life_days,
            });
        }
        for (tag, weight) in &raw.tags {
            if tag.is_empty() || tag.contains([',', ';', '\n', '\r', '"']) {
                errors.push(format!("tag {tag:?} cannot be written in the files"));
            }
            if !weight.is_finite() {
                errors.push(format!("tag {tag}: weight must be a finite number"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Model {
            name: raw.name,
            version: raw.version,
            as_of: as_of.unwrap_or_default(),
            as_of_text: raw.as_of,
            lookback_days: raw.lookback_days,
            intercept: raw.intercept,
            top_per_emd: raw.top_per_emd as usize,
            min_probability: raw.min_probability,
            indicators,
            tags: raw.tags.into_iter().collect(),
        })
    }

    pub fn tag_index(&self, name: &[u8]) -> Option<u16> {
        self.tags
            .binary_search_by(|(t, _)| t.as_bytes().cmp(name))
            .ok()
            .map(|i| i as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const SAMPLE: &str = r#"
name = "baseline"
as_of = "2024-03-01"
lookback_days = 365
intercept = -6.0
top_per_emd = 20
min_probability = 0.0

[indicators.ELEC_CUT]
name = "단전"
weight = 1.2
transform = "flag"
half_life_days = 90

[indicators.HI_ARREARS]
name = "건강보험료 체납(개월)"
weight = 0.35
transform = "cap"
cap = 12.0
half_life_days = 180

[tags]
elderly_alone = 0.8
"#;

    #[test]
    fn the_contract_example_parses_in_code_order() {
        let m = Model::parse(SAMPLE).unwrap();
        assert_eq!(m.indicators[0].code, "ELEC_CUT");
        assert_eq!(m.indicators[1].transform, Transform::Cap(12.0));
        assert_eq!(m.tag_index(b"elderly_alone"), Some(0));
        assert_eq!(m.as_of, 19783); // 2024-03-01
    }

    #[test]
    fn bad_models_name_every_problem() {
        let bad = SAMPLE
            .replace("transform = \"flag\"", "transform = \"square\"")
            .replace("lookback_days = 365", "lookback_days = 0");
        let errors = Model::parse(&bad).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("square")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("lookback_days")),
            "{errors:?}"
        );
        let cap_missing = SAMPLE.replace("cap = 12.0\n", "");
        assert!(Model::parse(&cap_missing).unwrap_err()[0].contains("needs cap"));
    }

    #[test]
    fn transforms_follow_the_contract() {
        assert_eq!(Transform::Flag.apply(0.0), 0.0);
        assert_eq!(Transform::Flag.apply(0.001), 1.0);
        assert_eq!(Transform::Log1p.apply(0.0), 0.0);
        assert_eq!(Transform::Log1p.apply(std::f64::consts::E - 1.0), 1.0);
        assert_eq!(Transform::Cap(12.0).apply(30.0), 12.0);
        assert_eq!(Transform::Cap(12.0).apply(3.5), 3.5);
    }
}
