//! 대시보드 roll-ups: every figure of the dashboards, kept per region for the region and
//! everything below it, so that a dashboard of the nation reads a few dozen rows instead of
//! scanning the country.
//!
//! The figures are defined once, in [`SOURCES`]: from that one definition the store generates
//! the triggers that keep `dashboard_counts` up to date in the same transaction as every change
//! of a source table (on either engine), and the full recount that rebuilds and checks them.
//! The triggers are installed when the store opens, again only when the definition changed.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use maeul_core::region::RegionCode;

use crate::db::{DbConn, db_run};
use crate::schema::{dashboard_counts, regions};
use crate::{Store, StoreError};

/// A table whose rows count in the dashboards.
struct Source {
    table: &'static str,
    /// The region a row counts in (an SQL expression over the row `{r}`).
    region: &'static str,
    /// The figures a row adds to: (metric, amount) as SQL expressions over the row; a NULL
    /// metric adds nothing.
    figures: &'static [(&'static str, &'static str)],
    /// The columns whose change can move a row between figures or regions.
    watch: &'static str,
    /// When an update of a watched column can change a figure (none: always).
    moves_when: Option<&'static str>,
}

const SOURCES: &[Source] = &[
    Source {
        table: "org_models",
        region: "{r}.emd_code",
        figures: &[
            ("'org.model:' || {r}.model", "1"),
            ("'org.planned:' || {r}.planned_model", "1"),
        ],
        watch: "emd_code, model, planned_model",
        moves_when: None,
    },
    Source {
        // Counted where the quota is held, as the standard labour cost reckons.
        table: "staff_posts",
        region: "{r}.quota_code",
        figures: &[
            ("'staff.posts:' || {r}.kind", "1"),
            (
                "CASE WHEN {r}.holder IS NULL THEN 'staff.vacant:' || {r}.kind END",
                "1",
            ),
        ],
        watch: "quota_code, kind, holder",
        moves_when: None,
    },
    Source {
        table: "councils",
        region: "{r}.emd_code",
        figures: &[("'council.status:' || {r}.status", "1")],
        watch: "emd_code, status",
        moves_when: None,
    },
    Source {
        table: "assemblies",
        region: "{r}.emd_code",
        figures: &[
            ("'assembly.status:' || {r}.status", "1"),
            (
                "CASE WHEN {r}.status = 'closed' THEN 'assembly.participants' END",
                "{r}.online + {r}.advance + {r}.booth + {r}.mobile_booth",
            ),
        ],
        watch: "emd_code, status, online, advance, booth, mobile_booth",
        // Online votes of an open assembly change no figure: participants count once closed.
        moves_when: Some("OLD.status = 'closed' OR NEW.status <> OLD.status"),
    },
    Source {
        table: "discovery_candidates",
        region: "{r}.emd_code",
        figures: &[
            (
                "'discovery.status:' || CASE WHEN {r}.visited_on IS NOT NULL THEN 'visited' \
                 WHEN {r}.assigned_to IS NOT NULL THEN 'assigned' ELSE 'listed' END",
                "1",
            ),
            ("'discovery.outcome:' || {r}.outcome", "1"),
        ],
        watch: "emd_code, visited_on, assigned_to, outcome",
        moves_when: None,
    },
    Source {
        table: "cases",
        region: "{r}.emd_code",
        figures: &[("'case.stage:' || {r}.last_step", "1")],
        watch: "emd_code, last_step",
        moves_when: None,
    },
    Source {
        table: "health_people",
        region: "{r}.emd_code",
        figures: &[("'health.group:' || {r}.risk_group", "1")],
        watch: "emd_code, risk_group",
        moves_when: None,
    },
    Source {
        table: "linkages",
        region: "{r}.emd_code",
        figures: &[("'linkage.stage:' || {r}.stage", "1")],
        watch: "emd_code, stage",
        moves_when: None,
    },
    Source {
        table: "grant_applications",
        region: "COALESCE({r}.emd_code, {r}.sigungu_code)",
        figures: &[("'grant.outcome:' || COALESCE({r}.outcome, 'pending')", "1")],
        watch: "sigungu_code, emd_code, outcome",
        moves_when: None,
    },
];

/// The places in use: regions change only by import, which rebuilds the roll-ups.
const PLACES: &str = "SELECT code AS region_code, 'places' AS metric, 1 AS n FROM regions \
                      WHERE level = 'emd' AND retired_on IS NULL";

/// The regions a row of region `r` counts in: every code on its path (fixed-width codes
/// joined by `/`) and the nation.
const ANCESTORS: &str = "a.code IN (substr(r.path, 1, 10), substr(r.path, 12, 10), \
                         substr(r.path, 23, 10), substr(r.path, 34, 10), '0000000000')";

/// Adds (`sign` "") or takes away (`sign` "-") the figures of the row `row` (NEW or OLD).
/// Rows are written in key order so that concurrent writers lock them in the same order.
fn upsert(source: &Source, row: &str, sign: &str) -> String {
    let figures = source
        .figures
        .iter()
        .map(|(metric, n)| format!("SELECT {metric} AS metric, {n} AS n"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    format!(
        "INSERT INTO dashboard_counts (region_code, metric, n) \
         SELECT a.code, f.metric, {sign}f.n FROM regions r JOIN regions a ON {ANCESTORS} \
         JOIN ({figures}) f ON f.metric IS NOT NULL \
         WHERE r.code = {region} ORDER BY a.code, f.metric \
         ON CONFLICT (region_code, metric) DO UPDATE SET n = dashboard_counts.n + excluded.n",
        region = source.region,
    )
    .replace("{r}", row)
}

/// The statements that create the triggers of every source on `engine`.
fn trigger_statements(postgres: bool) -> Vec<String> {
    let mut out = Vec::new();
    for s in SOURCES {
        let t = s.table;
        let (minus, plus) = (upsert(s, "OLD", "-"), upsert(s, "NEW", ""));
        let when = s
            .moves_when
            .map(|w| format!("WHEN ({w})"))
            .unwrap_or_default();
        if postgres {
            out.push(format!(
                "CREATE OR REPLACE FUNCTION dashboard_{t}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF TG_OP <> 'INSERT' THEN {minus}; END IF; \
                 IF TG_OP <> 'DELETE' THEN {plus}; END IF; RETURN NULL; END $$"
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_change AFTER INSERT OR DELETE ON {t} \
                 FOR EACH ROW EXECUTE FUNCTION dashboard_{t}()"
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_update AFTER UPDATE OF {watch} ON {t} \
                 FOR EACH ROW {when} EXECUTE FUNCTION dashboard_{t}()",
                watch = s.watch
            ));
        } else {
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_insert AFTER INSERT ON {t} BEGIN {plus}; END"
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_delete AFTER DELETE ON {t} BEGIN {minus}; END"
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_update AFTER UPDATE OF {watch} ON {t} {when} \
                 BEGIN {minus}; {plus}; END",
                watch = s.watch
            ));
        }
    }
    out
}

/// Every figure of every region counted from the source tables.
fn recount_query() -> String {
    let mut parts = vec![PLACES.to_owned()];
    for s in SOURCES {
        for (metric, n) in s.figures {
            parts.push(
                format!(
                    "SELECT {region} AS region_code, {metric} AS metric, {n} AS n FROM {table} x",
                    region = s.region,
                    table = s.table
                )
                .replace("{r}", "x"),
            );
        }
    }
    format!(
        "SELECT a.code AS region_code, f.metric AS metric, CAST(SUM(f.n) AS BIGINT) AS n \
         FROM ({}) f JOIN regions r ON r.code = f.region_code JOIN regions a ON {ANCESTORS} \
         WHERE f.metric IS NOT NULL GROUP BY a.code, f.metric HAVING SUM(f.n) <> 0",
        parts.join(" UNION ALL ")
    )
}

/// A short fingerprint (FNV-1a) of the generated SQL: a change of the definition reinstalls.
fn fingerprint(statements: &[String]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in statements.iter().flat_map(|s| s.bytes().chain([0])) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

const META_KEY: &str = "dashboard_triggers";

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    tbl: String,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    region_code: String,
    #[diesel(sql_type = Text)]
    metric: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Installs the triggers (and rebuilds the roll-ups) unless those of this definition are in
/// place. Called once the migrations ran, under the migration lock on PostgreSQL.
pub(crate) fn install(conn: &mut DbConn) -> Result<(), StoreError> {
    use crate::schema::meta::dsl as m;
    let postgres = matches!(conn, DbConn::Pg(_));
    let mut statements = trigger_statements(postgres);
    statements.push(recount_query());
    let version = fingerprint(&statements);
    let installed: Option<String> = db_run!(conn, |c| m::meta
        .filter(m::key.eq(META_KEY))
        .select(m::value)
        .first::<String>(c)
        .optional())?;
    if installed.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    let existing = if postgres {
        "SELECT t.tgname AS name, c.relname AS tbl FROM pg_trigger t \
         JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'dashboard\\_%'"
    } else {
        "SELECT name, tbl_name AS tbl FROM sqlite_master \
         WHERE type = 'trigger' AND name LIKE 'dashboard\\_%' ESCAPE '\\'"
    };
    db_run!(conn, |c| c.transaction::<_, StoreError, _>(|c| {
        let old: Vec<Name> = diesel::sql_query(existing).load(c)?;
        for t in old {
            let drop = if postgres {
                format!("DROP TRIGGER {} ON {}", t.name, t.tbl)
            } else {
                format!("DROP TRIGGER {}", t.name)
            };
            diesel::sql_query(drop).execute(c)?;
        }
        for s in trigger_statements(postgres) {
            diesel::sql_query(s).execute(c)?;
        }
        rebuild(c)?;
        diesel::insert_into(m::meta)
            .values((m::key.eq(META_KEY), m::value.eq(&version)))
            .on_conflict(m::key)
            .do_update()
            .set(m::value.eq(&version))
            .execute(c)?;
        Ok(())
    }))
}

/// Replaces every roll-up by a full recount, inside the caller's transaction (after a region
/// import, whose moves no trigger follows).
pub(crate) fn rebuild<C>(c: &mut C) -> Result<(), StoreError>
where
    C: diesel::Connection,
    diesel::query_builder::SqlQuery: diesel::query_dsl::methods::ExecuteDsl<C>,
{
    diesel::sql_query("DELETE FROM dashboard_counts").execute(c)?;
    diesel::sql_query(format!(
        "INSERT INTO dashboard_counts (region_code, metric, n) {}",
        recount_query()
    ))
    .execute(c)?;
    Ok(())
}

/// The figures of one region: metric → count.
pub type Figures = BTreeMap<String, i64>;

/// A roll-up that differs from the full recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub region_code: String,
    pub metric: String,
    pub kept: i64,
    pub counted: i64,
}

/// Dashboard figures.
pub struct Dashboards<'a>(&'a Store);

impl Store {
    pub fn dashboards(&self) -> Dashboards<'_> {
        Dashboards(self)
    }
}

impl Dashboards<'_> {
    /// The figures of a region (the nation included) and of each region directly below it.
    pub async fn figures(
        &self,
        region: &RegionCode,
    ) -> Result<(Figures, BTreeMap<String, Figures>), StoreError> {
        let code = region.as_str().to_owned();
        let rows: Vec<(String, String, i64)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let below = regions::table
                        .filter(regions::parent_code.eq(&code))
                        .select(regions::code);
                    Ok(dashboard_counts::table
                        .filter(
                            dashboard_counts::region_code
                                .eq(&code)
                                .or(dashboard_counts::region_code.eq_any(below)),
                        )
                        .filter(dashboard_counts::n.ne(0))
                        .select((
                            dashboard_counts::region_code,
                            dashboard_counts::metric,
                            dashboard_counts::n,
                        ))
                        .load(c)?)
                })
            })
            .await?;
        let mut own = Figures::new();
        let mut below: BTreeMap<String, Figures> = BTreeMap::new();
        for (code, metric, n) in rows {
            if code == region.as_str() {
                own.insert(metric, n);
            } else {
                below.entry(code).or_default().insert(metric, n);
            }
        }
        Ok((own, below))
    }

    /// Compares every kept roll-up with a full recount of the source tables: empty when they
    /// are equal.
    pub async fn check(&self) -> Result<Vec<Mismatch>, StoreError> {
        let (kept, counted): (Vec<Row>, Vec<Row>) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let kept = diesel::sql_query(
                        "SELECT region_code, metric, n FROM dashboard_counts WHERE n <> 0",
                    )
                    .load(c)?;
                    let counted = diesel::sql_query(recount_query()).load(c)?;
                    Ok((kept, counted))
                })
            })
            .await?;
        let key = |r: Row| ((r.region_code, r.metric), r.n);
        let kept: BTreeMap<_, _> = kept.into_iter().map(key).collect();
        let counted: BTreeMap<_, _> = counted.into_iter().map(key).collect();
        let mut keys: Vec<_> = kept.keys().chain(counted.keys()).cloned().collect();
        keys.sort();
        keys.dedup();
        Ok(keys
            .into_iter()
            .filter_map(|k| {
                let (a, b) = (
                    kept.get(&k).copied().unwrap_or(0),
                    counted.get(&k).copied().unwrap_or(0),
                );
                (a != b).then_some(Mismatch {
                    region_code: k.0,
                    metric: k.1,
                    kept: a,
                    counted: b,
                })
            })
            .collect())
    }

    /// Replaces every roll-up by a full recount (`maeul dashboard rebuild`).
    pub async fn rebuild(&self) -> Result<(), StoreError> {
        self.0
            .run(move |conn| crate::db::db_write!(conn, |c| rebuild(c)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_names_its_row_and_nothing_is_left_unreplaced() {
        for postgres in [false, true] {
            for s in trigger_statements(postgres) {
                assert!(!s.contains("{r}"), "{s}");
                if s.contains("INSERT INTO dashboard_counts") {
                    assert!(s.contains("NEW.") || s.contains("OLD."), "{s}");
                }
            }
        }
        assert!(!recount_query().contains("{r}"));
    }

    #[test]
    fn the_fingerprint_follows_the_definition() {
        let a = fingerprint(&["x".into(), "y".into()]);
        assert_eq!(a, fingerprint(&["x".into(), "y".into()]));
        assert_ne!(a, fingerprint(&["xy".into()]));
    }
}
