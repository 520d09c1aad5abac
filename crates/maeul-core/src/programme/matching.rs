//! Matching a local agenda to programmes: beyond the shared words, a programme fits better
//! when it speaks of the same problems (topics), when it is meant for the kind of place
//! (a rural programme for a 읍 or 면, an urban one for a 동) and when the council or its
//! residents can apply themselves rather than through the si/gun/gu.

use crate::programme::catalogue::{Programme, Setting, TargetUnit};
use crate::region::RegionKind;

/// Weight of each topic the text and the programme share (two at most count).
pub const TOPIC_WEIGHT: f32 = 0.25;
/// A programme meant for the place's setting gains this; one meant for the other loses
/// [`SETTING_MISFIT`].
pub const SETTING_FIT: f32 = 0.2;
pub const SETTING_MISFIT: f32 = 0.4;
/// Gains by who applies.
pub const DIRECT_WEIGHT: f32 = 0.15;
pub const THROUGH_SIGUNGU_WEIGHT: f32 = 0.05;

/// The setting of a place: a 읍 or 면 is rural, a 동 urban; levels above are either.
pub fn setting_of(kind: RegionKind) -> Setting {
    match kind {
        RegionKind::Eup | RegionKind::Myeon => Setting::Rural,
        RegionKind::Dong => Setting::Urban,
        _ => Setting::Any,
    }
}

/// Who applies, seen from an eup/myeon/dong council.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicant {
    /// The council, a village or a residents' group applies itself.
    Direct(TargetUnit),
    /// The si/gun/gu applies, with the council's plan.
    ThroughSigungu,
    /// Others (a si/do, an enterprise).
    Other,
}

pub fn applicant(p: &Programme) -> Applicant {
    let direct = [TargetUnit::Emd, TargetUnit::Village, TargetUnit::Group]
        .into_iter()
        .find(|u| p.target_units.contains(u));
    match direct {
        Some(u) => Applicant::Direct(u),
        None if p.target_units.contains(&TargetUnit::Sigungu) => Applicant::ThroughSigungu,
        None => Applicant::Other,
    }
}

/// How a programme's setting meets the place's: `Some(true)` fits, `Some(false)` does not,
/// `None` when either is for any place.
pub fn setting_fits(place: Setting, p: &Programme) -> Option<bool> {
    match (place, p.setting()) {
        (Setting::Any, _) | (_, Setting::Any) => None,
        (a, b) => Some(a == b),
    }
}

/// The match score: the text's relevance (BM25 scaled to 0–1 over the candidates) plus what
/// the programme shares with the place beyond words.
pub fn score(text: f32, shared_topics: usize, place: Setting, p: &Programme) -> f32 {
    let topics = TOPIC_WEIGHT * shared_topics.min(2) as f32;
    let setting = match setting_fits(place, p) {
        Some(true) => SETTING_FIT,
        Some(false) => -SETTING_MISFIT,
        None => 0.0,
    };
    let who = match applicant(p) {
        Applicant::Direct(_) => DIRECT_WEIGHT,
        Applicant::ThroughSigungu => THROUGH_SIGUNGU_WEIGHT,
        Applicant::Other => 0.0,
    };
    text + topics + setting + who
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(name: &str, target: &str) -> Programme {
        Programme::new(Programme {
            ministry: "농림축산식품부".into(),
            name: name.into(),
            target: target.into(),
            ..Programme::default()
        })
        .unwrap()
    }

    #[test]
    fn a_rural_programme_fits_a_myeon_and_not_a_dong() {
        let rural = programme("농촌공간정비사업", "시·군");
        assert_eq!(
            setting_fits(setting_of(RegionKind::Myeon), &rural),
            Some(true)
        );
        assert_eq!(
            setting_fits(setting_of(RegionKind::Dong), &rural),
            Some(false)
        );
        assert_eq!(setting_fits(setting_of(RegionKind::County), &rural), None);
        let same_words = score(0.5, 1, Setting::Rural, &rural);
        assert!(same_words > score(0.5, 1, Setting::Urban, &rural));
        assert!(score(0.5, 2, Setting::Any, &rural) > score(0.5, 0, Setting::Any, &rural));
        assert_eq!(
            score(0.5, 5, Setting::Any, &rural),
            score(0.5, 2, Setting::Any, &rural),
            "two shared topics count at most"
        );
    }

    #[test]
    fn a_council_that_applies_itself_ranks_above_one_that_needs_the_sigungu() {
        let own = programme("마을 만들기", "읍·면·동 주민자치회");
        let through = programme("마을 만들기", "시·군·구");
        assert_eq!(applicant(&own), Applicant::Direct(TargetUnit::Emd));
        assert_eq!(applicant(&through), Applicant::ThroughSigungu);
        assert!(score(0.5, 0, Setting::Any, &own) > score(0.5, 0, Setting::Any, &through));
        assert_eq!(applicant(&programme("시장", "전통시장")), Applicant::Other);
    }
}
