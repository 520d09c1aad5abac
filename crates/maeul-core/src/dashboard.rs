//! 대시보드 — the figures every level sees of its own progress: organisation models,
//! staffing, councils, assemblies, discovery, cases, health care, linkages and grants, for an
//! eup/myeon/dong, a si/gun/gu, a si/do or the nation. Only counts: no one's personal data.
//!
//! The store keeps each figure as a count per region ([`Counts`], metric → count); this module
//! arranges them into panels. Every row of a panel is a sum of kept counts or a difference of
//! them, so a region's panels equal the sum of the panels of the regions below it.

use std::collections::BTreeMap;

use crate::autonomy::council::CouncilStatus;
use crate::disclosure::suppress_small;
use crate::org::model::OrgModel;
use crate::org::staffing::StaffKind;
use crate::programme::grant_call::Outcome as GrantOutcome;
use crate::programme::linkage::Stage;
use crate::welfare::case::Step;
use crate::welfare::discovery::{Outcome, Status};
use crate::welfare::health::RiskGroup;

/// The kept figures of one region: metric → count.
pub type Counts = BTreeMap<String, i64>;

/// The metric that counts the places (eup/myeon/dong in use) of a region.
pub const PLACES: &str = "places";

/// A question a dashboard answers, drawn as one chart with its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// 조직 모형 of the places (and those not recorded).
    OrgModels,
    /// The transitions planned, by the model planned.
    PlannedModels,
    /// Posts of each staff kind, where their quota is held.
    StaffPosts,
    /// Vacant posts of each staff kind.
    Vacancies,
    /// 주민자치회 of the places by stage (and those not recorded).
    Councils,
    /// 주민총회 by status.
    Assemblies,
    /// Residents who took part in the closed assemblies (online, in advance, at a booth) and
    /// the eligible population of those assemblies, whose ratio is the turnout.
    Participation,
    /// Households listed by discovery, by how far their visit came.
    Discovery,
    /// What the visits found.
    DiscoveryOutcomes,
    /// 통합사례관리 cases by their last step.
    Cases,
    /// People in visiting health care by risk group.
    HealthGroups,
    /// Linkages of local agenda to programmes by stage.
    Linkages,
    /// Grant applications by outcome.
    Grants,
    /// People enrolled in the courses run by the region, and those who completed them.
    Training,
}

impl Topic {
    pub const ALL: [Topic; 14] = [
        Topic::OrgModels,
        Topic::PlannedModels,
        Topic::StaffPosts,
        Topic::Vacancies,
        Topic::Councils,
        Topic::Assemblies,
        Topic::Participation,
        Topic::Discovery,
        Topic::DiscoveryOutcomes,
        Topic::Cases,
        Topic::HealthGroups,
        Topic::Linkages,
        Topic::Grants,
        Topic::Training,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::OrgModels => "org_models",
            Topic::PlannedModels => "planned_models",
            Topic::StaffPosts => "staff_posts",
            Topic::Vacancies => "vacancies",
            Topic::Councils => "councils",
            Topic::Assemblies => "assemblies",
            Topic::Participation => "participation",
            Topic::Discovery => "discovery",
            Topic::DiscoveryOutcomes => "discovery_outcomes",
            Topic::Cases => "cases",
            Topic::HealthGroups => "health_groups",
            Topic::Linkages => "linkages",
            Topic::Grants => "grants",
            Topic::Training => "training",
        }
    }

    /// The kept metric before each row's code (`org.model` for `org.model:basic`).
    fn metric(self) -> &'static str {
        match self {
            Topic::OrgModels => "org.model",
            Topic::PlannedModels => "org.planned",
            Topic::StaffPosts => "staff.posts",
            Topic::Vacancies => "staff.vacant",
            Topic::Councils => "council.status",
            Topic::Assemblies => "assembly.status",
            Topic::Participation => "assembly",
            Topic::Discovery => "discovery.status",
            Topic::DiscoveryOutcomes => "discovery.outcome",
            Topic::Cases => "case.stage",
            Topic::HealthGroups => "health.group",
            Topic::Linkages => "linkage.stage",
            Topic::Grants => "grant.outcome",
            Topic::Training => "training",
        }
    }

    /// The codes of the rows, in the order shown.
    pub fn codes(self) -> Vec<&'static str> {
        fn all<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
            items.iter().map(|i| code(*i)).collect()
        }
        let mut codes = match self {
            Topic::OrgModels | Topic::PlannedModels => all(&OrgModel::ALL, OrgModel::as_str),
            Topic::StaffPosts | Topic::Vacancies => all(&StaffKind::ALL, StaffKind::as_str),
            Topic::Councils => all(&CouncilStatus::ALL, CouncilStatus::as_str),
            // The statuses of an assembly, as the store keeps them.
            Topic::Assemblies => vec!["draft", "open", "closed"],
            Topic::Participation => vec!["participants", "eligible"],
            Topic::Training => vec!["enrolled", "completed"],
            Topic::Discovery => all(&Status::ALL, Status::as_str),
            Topic::DiscoveryOutcomes => all(&Outcome::ALL, Outcome::as_str),
            Topic::Cases => all(&Step::ALL, Step::as_str),
            Topic::HealthGroups => all(&RiskGroup::ALL, RiskGroup::as_str),
            Topic::Linkages => all(&Stage::ALL, Stage::as_str),
            Topic::Grants => {
                let mut c = vec![PENDING];
                c.extend(all(&GrantOutcome::ALL, GrantOutcome::as_str));
                c
            }
        };
        if self.covers_every_place() {
            codes.push(UNRECORDED);
        }
        codes
    }

    /// Every place has one row of this topic: those without a record are shown as such.
    fn covers_every_place(self) -> bool {
        matches!(self, Topic::OrgModels | Topic::Councils)
    }

    /// The rows part one whole, so that each has a share of it.
    pub fn is_partition(self) -> bool {
        !matches!(self, Topic::Participation | Topic::Training)
    }

    /// About people in welfare and health care: a small count could point at a household, so
    /// counts under [`crate::disclosure::SMALL_COUNT`] are withheld from those who may not read the records.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Topic::Discovery | Topic::DiscoveryOutcomes | Topic::Cases | Topic::HealthGroups
        )
    }
}

/// The row of places without a record of a topic that covers every place.
pub const UNRECORDED: &str = "unrecorded";
/// The grant applications not yet selected or refused.
pub const PENDING: &str = "pending";

/// One chart and table of a dashboard: a count per code, in the topic's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    pub topic: Topic,
    pub rows: Vec<(&'static str, i64)>,
}

impl Panel {
    pub fn total(&self) -> i64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }

    /// The count of a code (0 when it has no row).
    pub fn count(&self, code: &str) -> i64 {
        self.rows
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, n)| *n)
    }
}

/// The panels of a region, one per [`Topic`], from its kept counts.
pub fn panels(counts: &Counts) -> Vec<Panel> {
    Topic::ALL.iter().map(|t| panel(*t, counts)).collect()
}

fn panel(topic: Topic, counts: &Counts) -> Panel {
    let get = |metric: &str| counts.get(metric).copied().unwrap_or(0);
    let mut rows: Vec<(&'static str, i64)> = topic
        .codes()
        .into_iter()
        .filter(|c| *c != UNRECORDED)
        .map(|code| (code, get(&format!("{}:{code}", topic.metric()))))
        .collect();
    if topic == Topic::Participation {
        rows = topic
            .codes()
            .into_iter()
            .map(|code| (code, get(&format!("assembly.{code}"))))
            .collect();
    }
    if topic.covers_every_place() {
        let recorded: i64 = rows.iter().map(|(_, n)| n).sum();
        rows.push((UNRECORDED, get(PLACES) - recorded));
    }
    Panel { topic, rows }
}

/// What a region counts itself, not through a region below it: its panels less the sum of
/// those below (posts whose quota a si/gun/gu holds, applications of a si/gun/gu).
pub fn remainder<'a>(region: &[Panel], below: impl Iterator<Item = &'a [Panel]>) -> Vec<Panel> {
    let mut out = region.to_vec();
    for panels in below {
        for (own, child) in out.iter_mut().zip(panels) {
            for ((_, n), (_, m)) in own.rows.iter_mut().zip(&child.rows) {
                *n -= m;
            }
        }
    }
    out
}

/// The rows of a panel as shown to a viewer: a personal topic's counts (and total) under
/// [`crate::disclosure::SMALL_COUNT`] are withheld (`None`) unless the viewer may read the records themselves.
pub fn shown(
    panel: &Panel,
    reads_records: bool,
) -> (Vec<(&'static str, Option<i64>)>, Option<i64>) {
    let show = |n: i64| {
        if reads_records || !panel.topic.is_personal() {
            Some(n)
        } else {
            suppress_small(n)
        }
    };
    (
        panel.rows.iter().map(|(c, n)| (*c, show(*n))).collect(),
        show(panel.total()),
    )
}

/// A part of a whole in percent with one decimal, or none of an empty whole.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, i64)]) -> Counts {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn places_without_a_record_are_counted_as_unrecorded() {
        let c = counts(&[
            (PLACES, 10),
            ("org.model:basic", 3),
            ("org.model:service_linked", 5),
            ("council.status:established", 4),
        ]);
        let p = panels(&c);
        let org = &p[0];
        assert_eq!(org.topic, Topic::OrgModels);
        assert_eq!(org.count("basic"), 3);
        assert_eq!(org.count("rural_specialised"), 0);
        assert_eq!(org.count(UNRECORDED), 2);
        assert_eq!(org.total(), 10);
        let councils = p.iter().find(|p| p.topic == Topic::Councils).unwrap();
        assert_eq!(councils.count(UNRECORDED), 6);
        assert_eq!(councils.total(), 10);
    }

    #[test]
    fn every_topic_has_a_row_for_each_code_even_without_counts() {
        for p in panels(&Counts::new()) {
            assert_eq!(
                p.rows.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
                p.topic.codes()
            );
            assert_eq!(p.total(), 0);
        }
    }

    #[test]
    fn the_panels_of_a_region_are_the_sum_of_those_below_it() {
        let a = counts(&[
            (PLACES, 4),
            ("org.model:basic", 1),
            ("case.stage:intake", 2),
            ("assembly.participants", 120),
            ("grant.outcome:pending", 1),
        ]);
        let b = counts(&[
            (PLACES, 3),
            ("org.model:basic", 2),
            ("org.model:rural_specialised", 1),
            ("case.stage:closure", 5),
            ("assembly.participants", 80),
            ("staff.vacant:nurse", 1),
        ]);
        let mut sum = a.clone();
        for (k, n) in &b {
            *sum.entry(k.clone()).or_default() += n;
        }
        let (pa, pb, ps) = (panels(&a), panels(&b), panels(&sum));
        for ((x, y), s) in pa.iter().zip(&pb).zip(&ps) {
            for (i, (code, n)) in s.rows.iter().enumerate() {
                assert_eq!(*n, x.rows[i].1 + y.rows[i].1, "{:?} {code}", s.topic);
            }
        }
        let participation = ps.iter().find(|p| p.topic == Topic::Participation);
        assert_eq!(participation.unwrap().count("participants"), 200);
        assert_eq!(participation.unwrap().count("eligible"), 0);
    }

    #[test]
    fn the_remainder_is_what_the_region_counts_itself() {
        let below = counts(&[(PLACES, 2), ("staff.posts:welfare", 2)]);
        let region = counts(&[
            (PLACES, 2),
            ("staff.posts:welfare", 2),
            ("staff.posts:programme", 1),
        ]);
        let below = panels(&below);
        let own = remainder(&panels(&region), [below.as_slice()].into_iter());
        let posts = own.iter().find(|p| p.topic == Topic::StaffPosts).unwrap();
        assert_eq!(posts.count("programme"), 1);
        assert_eq!(posts.count("welfare"), 0);
        assert!(
            own.iter()
                .all(|p| p.topic == Topic::StaffPosts || p.total() == 0)
        );
    }

    #[test]
    fn small_counts_of_personal_topics_are_withheld_from_those_who_may_not_read_records() {
        let c = counts(&[
            (PLACES, 3),
            ("case.stage:intake", 2),
            ("case.stage:plan", 7),
            ("staff.posts:welfare", 1),
        ]);
        let p = panels(&c);
        let cases = p.iter().find(|p| p.topic == Topic::Cases).unwrap();
        let (rows, total) = shown(cases, false);
        assert_eq!(rows[0], ("intake", None));
        assert_eq!(rows[4], ("plan", Some(7)));
        assert_eq!(total, Some(9));
        let (rows, _) = shown(cases, true);
        assert_eq!(rows[0], ("intake", Some(2)));
        let posts = p.iter().find(|p| p.topic == Topic::StaffPosts).unwrap();
        assert_eq!(
            shown(posts, false).0[1],
            ("welfare", Some(1)),
            "not personal"
        );
    }

    #[test]
    fn a_share_is_a_percent_with_one_decimal() {
        assert_eq!(share(1, 3), Some(33.3));
        assert_eq!(share(2, 3), Some(66.7));
        assert_eq!(share(0, 0), None);
    }
}
