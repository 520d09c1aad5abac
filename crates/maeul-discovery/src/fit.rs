//! Learning from outcomes: the features of listed households recomputed from the crisis file,
//! a logistic regression of "needed support" on them, and the model it gives.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::engine::{Failure, MAX_REPORTED, Problem};
use crate::model::Model;
use crate::parse::{days_from_date, non_negative_decimal};

/// The contract's per-indicator feature of each named household (`specs/discovery.md`,
/// steps 1–4), in the model's indicator order. Households without a counted observation get
/// all zeros. Rows of other households are skipped unread.
pub fn indicator_features(
    crisis: &Path,
    model: &Model,
    households: &HashSet<String>,
) -> Result<HashMap<String, Vec<f64>>, Failure> {
    let name = crisis.display().to_string();
    let file = File::open(crisis).map_err(|e| Failure::io(crisis, e))?;
    let index: HashMap<&str, usize> = model
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.code.as_str(), i))
        .collect();
    let mut largest: HashMap<String, Vec<f64>> = households
        .iter()
        .map(|h| (h.clone(), vec![0.0; model.indicators.len()]))
        .collect();
    let mut problems = Vec::new();
    let mut total = 0;
    let mut line_no = 0u64;
    for line in BufReader::with_capacity(1 << 20, file).split(b'\n') {
        let line = line.map_err(|e| Failure::io(crisis, e))?;
        line_no += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if line_no == 1 {
            continue;
        }
        let mut fields = line.split(|b| *b == b',');
        let (Some(id), Some(code), Some(value), Some(day), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            total += 1;
            if problems.len() < MAX_REPORTED {
                problems.push(Problem {
                    file: name.clone(),
                    line: line_no,
                    message: "expected 4 fields: household_id,indicator,value,observed_on".into(),
                });
            }
            continue;
        };
        let Some(values) = std::str::from_utf8(id)
            .ok()
            .and_then(|id| largest.get_mut(id))
        else {
            continue;
        };
        let parsed = std::str::from_utf8(code)
            .ok()
            .and_then(|c| index.get(c).copied())
            .zip(non_negative_decimal(value))
            .zip(days_from_date(day));
        let Some(((i, value), observed)) = parsed else {
            total += 1;
            if problems.len() < MAX_REPORTED {
                problems.push(Problem {
                    file: name.clone(),
                    line: line_no,
                    message: "indicator, value or date cannot be read".into(),
                });
            }
            continue;
        };
        let age = model.as_of - observed;
        if age < 0 || age >= model.lookback_days {
            continue;
        }
        let decayed = value * 0.5f64.powf(age as f64 / model.indicators[i].half_life_days);
        if decayed > values[i] {
            values[i] = decayed;
        }
    }
    if total > 0 {
        return Err(Failure { problems, total });
    }
    for values in largest.values_mut() {
        for (v, ind) in values.iter_mut().zip(&model.indicators) {
            *v = ind.transform.apply(*v);
        }
    }
    Ok(largest)
}

/// A labelled household: its features (indicators, then one 0/1 per model tag) and whether
/// the visit found it needed support.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub features: Vec<f64>,
    pub needed_support: bool,
}

/// Fitted coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub intercept: f64,
    pub weights: Vec<f64>,
}

impl Fit {
    pub fn z(&self, features: &[f64]) -> f64 {
        // Left to right, as the contract sums.
        let mut z = self.intercept;
        for (w, x) in self.weights.iter().zip(features) {
            z += w * x;
        }
        z
    }
}

/// Logistic regression by Newton's method (iteratively reweighted least squares) with an L2
/// penalty `l2` on the weights (not the intercept), which keeps the fit finite when a feature
/// separates the labels or never occurs. Converges in a few iterations for this size.
pub fn logistic(samples: &[Sample], features: usize, l2: f64) -> Fit {
    let k = features + 1;
    let mut beta = vec![0.0; k];
    for _ in 0..50 {
        let mut gradient = vec![0.0; k];
        let mut hessian = vec![vec![0.0; k]; k];
        for s in samples {
            let x: Vec<f64> = std::iter::once(1.0)
                .chain(s.features.iter().copied())
                .collect();
            let z: f64 = beta.iter().zip(&x).map(|(b, x)| b * x).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if s.needed_support { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..k {
                gradient[i] += (y - p) * x[i];
                for j in 0..k {
                    hessian[i][j] += w * x[i] * x[j];
                }
            }
        }
        for i in 1..k {
            gradient[i] -= l2 * beta[i];
            hessian[i][i] += l2;
        }
        // A tiny ridge on the intercept too, so that an all-one-label set still solves.
        hessian[0][0] += 1e-9;
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        let size: f64 = step.iter().map(|s| s * s).sum::<f64>().sqrt();
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        if size < 1e-10 {
            break;
        }
    }
    Fit {
        intercept: beta[0],
        weights: beta[1..].to_vec(),
    }
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (offset, row) in lower.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

/// How many households that needed support the first `size` of a ranking holds.
pub fn needed_in_top(scores: &[(f64, bool)], size: usize) -> usize {
    let mut order: Vec<&(f64, bool)> = scores.iter().collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    order
        .iter()
        .take(size)
        .filter(|(_, needed)| *needed)
        .count()
}

/// Scores every sample with a model fitted without it (k-fold cross-validation, folds by
/// position), so that a comparison with the old model is not flattered by fitting and judging
/// on the same households.
pub fn held_out_scores(samples: &[Sample], features: usize, l2: f64, folds: usize) -> Vec<f64> {
    let folds = folds.clamp(2, samples.len().max(2));
    let mut scores = vec![0.0; samples.len()];
    for fold in 0..folds {
        let train: Vec<Sample> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let fit = logistic(&train, features, l2);
        for (i, s) in samples.iter().enumerate() {
            if i % folds == fold {
                scores[i] = fit.z(&s.features);
            }
        }
    }
    scores
}

/// The model with new coefficients, as TOML; its version is one more than the old.
pub fn refitted_toml(model: &Model, fit: &Fit) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = format!(
        "# Refitted by `maeul discovery fit` from recorded visit outcomes.\n\
         name = {}\nversion = {}\nas_of = {}\nlookback_days = {}\nintercept = {:?}\n\
         top_per_emd = {}\nmin_probability = {:?}\n",
        quote(&model.name),
        model.version + 1,
        quote(&model.as_of_text),
        model.lookback_days,
        fit.intercept,
        model.top_per_emd,
        model.min_probability,
    );
    for (ind, w) in model.indicators.iter().zip(&fit.weights) {
        out.push_str(&format!(
            "\n[indicators.{}]\nname = {}\nweight = {w:?}\n",
            quote(&ind.code),
            quote(&ind.name)
        ));
        match ind.transform {
            crate::model::Transform::Flag => out.push_str("transform = \"flag\"\n"),
            crate::model::Transform::Log1p => out.push_str("transform = \"log1p\"\n"),
            crate::model::Transform::Cap(cap) => {
                out.push_str(&format!("transform = \"cap\"\ncap = {cap:?}\n"))
            }
        }
        out.push_str(&format!("half_life_days = {:?}\n", ind.half_life_days));
    }
    if !model.tags.is_empty() {
        out.push_str("\n[tags]\n");
        for ((tag, _), w) in model
            .tags
            .iter()
            .zip(&fit.weights[model.indicators.len()..])
        {
            out.push_str(&format!("{} = {w:?}\n", quote(tag)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels drawn from a known logistic model are fitted back close to it.
    #[test]
    fn a_known_model_is_recovered() {
        let truth = Fit {
            intercept: -1.0,
            weights: vec![2.0, -1.5],
        };
        let mut state = 7u64;
        let mut uniform = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let samples: Vec<Sample> = (0..20_000)
            .map(|_| {
                let features = vec![uniform() * 2.0, if uniform() < 0.5 { 1.0 } else { 0.0 }];
                let p = 1.0 / (1.0 + (-truth.z(&features)).exp());
                Sample {
                    needed_support: uniform() < p,
                    features,
                }
            })
            .collect();
        let fit = logistic(&samples, 2, 1e-6);
        assert!((fit.intercept - truth.intercept).abs() < 0.1, "{fit:?}");
        assert!((fit.weights[0] - 2.0).abs() < 0.1, "{fit:?}");
        assert!((fit.weights[1] + 1.5).abs() < 0.1, "{fit:?}");
    }

    #[test]
    fn separable_labels_stay_finite_with_the_penalty() {
        let samples: Vec<Sample> = (0..40)
            .map(|i| Sample {
                features: vec![f64::from(i % 2)],
                needed_support: i % 2 == 1,
            })
            .collect();
        let fit = logistic(&samples, 1, 1.0);
        assert!(
            fit.weights[0].is_finite() && fit.weights[0] > 1.0,
            "{fit:?}"
        );
    }

    #[test]
    fn the_top_of_a_ranking_is_counted() {
        let scores = [(0.9, true), (0.1, true), (0.5, false), (0.7, true)];
        assert_eq!(needed_in_top(&scores, 2), 2);
        assert_eq!(needed_in_top(&scores, 3), 2);
        assert_eq!(needed_in_top(&scores, 10), 3);
    }
}
