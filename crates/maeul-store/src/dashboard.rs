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
    /// The primary key, which pairs a row's old and new versions.
    key: &'static str,
    /// The region a row counts in (an SQL expression over the row `{r}`).
    region: &'static str,
    /// The figures a row adds to: (metric, amount) as SQL expressions over the row; a NULL
    /// metric adds nothing. `{eligible}` is an assembly's eligible population from its rules.
    figures: &'static [(&'static str, &'static str)],
    /// The columns whose change can move a row between figures or regions.
    watch: &'static str,
    /// When an update of a watched column can change a figure (none: always).
    moves_when: Option<&'static str>,
    /// Counted only in a region in use: a topic that has one row per place, whose places not
    /// recorded are the places in use less the rows.
    in_use_only: bool,
}

const SOURCES: &[Source] = &[
    Source {
        table: "org_models",
        key: "emd_code",
        region: "{r}.emd_code",
        figures: &[
            ("'org.model:' || {r}.model", "1"),
            ("'org.planned:' || {r}.planned_model", "1"),
        ],
        watch: "emd_code, model, planned_model",
        moves_when: None,
        in_use_only: true,
    },
    Source {
        // Counted where the quota is held, as the standard labour cost reckons.
        table: "staff_posts",
        key: "id",
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
        in_use_only: false,
    },
    Source {
        table: "councils",
        key: "emd_code",
        region: "{r}.emd_code",
        figures: &[("'council.status:' || {r}.status", "1")],
        watch: "emd_code, status",
        moves_when: None,
        in_use_only: true,
    },
    Source {
        table: "course_enrolments",
        key: "id",
        region: "{r}.region_code",
        figures: &[
            ("'training:enrolled'", "1"),
            ("CASE WHEN {r}.completed THEN 'training:completed' END", "1"),
        ],
        watch: "region_code, completed",
        moves_when: None,
        in_use_only: false,
    },
    Source {
        table: "assemblies",
        key: "id",
        region: "{r}.emd_code",
        figures: &[
            ("'assembly.status:' || {r}.status", "1"),
            (
                "CASE WHEN {r}.status = 'closed' THEN 'assembly.participants' END",
                "{r}.online + {r}.advance + {r}.booth + {r}.mobile_booth",
            ),
            (
                "CASE WHEN {r}.status = 'closed' THEN 'assembly.eligible' END",
                "{eligible}",
            ),
        ],
        watch: "emd_code, status, online, advance, booth, mobile_booth",
        // Online votes of an open assembly change no figure: participants count once closed.
        moves_when: Some("OLD.status = 'closed' OR NEW.status <> OLD.status"),
        in_use_only: false,
    },
    Source {
        // Keyed by round: a dashboard shows the newest round's.
        table: "discovery_candidates",
        key: "id",
        region: "{r}.emd_code",
        figures: &[
            (
                "'discovery.status:' || {r}.round_id || ':' || CASE \
                 WHEN {r}.visited_on IS NOT NULL THEN 'visited' \
                 WHEN {r}.assigned_to IS NOT NULL THEN 'assigned' ELSE 'listed' END",
                "1",
            ),
            (
                "'discovery.outcome:' || {r}.round_id || ':' || {r}.outcome",
                "1",
            ),
        ],
        watch: "emd_code, round_id, visited_on, assigned_to, outcome",
        moves_when: None,
        in_use_only: false,
    },
    Source {
        table: "cases",
        key: "id",
        region: "{r}.emd_code",
        figures: &[("'case.stage:' || {r}.last_step", "1")],
        watch: "emd_code, last_step",
        moves_when: None,
        in_use_only: false,
    },
    Source {
        table: "health_people",
        key: "id",
        region: "{r}.emd_code",
        figures: &[("'health.group:' || {r}.risk_group", "1")],
        watch: "emd_code, risk_group",
        moves_when: None,
        in_use_only: false,
    },
    Source {
        table: "linkages",
        key: "id",
        region: "{r}.emd_code",
        figures: &[("'linkage.stage:' || {r}.stage", "1")],
        watch: "emd_code, stage",
        moves_when: None,
        in_use_only: false,
    },
    Source {
        table: "grant_applications",
        key: "id",
        region: "COALESCE({r}.emd_code, {r}.sigungu_code)",
        figures: &[("'grant.outcome:' || COALESCE({r}.outcome, 'pending')", "1")],
        watch: "sigungu_code, emd_code, outcome",
        moves_when: None,
        in_use_only: false,
    },
];

/// The places in use: regions change only by import, which rebuilds the roll-ups.
const PLACES: &str = "SELECT code AS region_code, 'places' AS metric, 1 AS n FROM regions \
                      WHERE level = 'emd' AND retired_on IS NULL";

/// The regions a row of region `r` counts in: every code on its path (fixed-width codes
/// joined by `/`) and the nation.
const ANCESTORS: &str = "a.code IN (substr(r.path, 1, 10), substr(r.path, 12, 10), \
                         substr(r.path, 23, 10), substr(r.path, 34, 10), '0000000000')";

/// A figure's SQL on an engine: the eligible population is in an assembly's rules (JSON).
fn on_engine(sql: &str, postgres: bool) -> String {
    let eligible = if postgres {
        "CAST(CAST({r}.rules AS json) ->> 'eligible_population' AS BIGINT)"
    } else {
        "CAST(json_extract({r}.rules, '$.eligible_population') AS BIGINT)"
    };
    sql.replace("{eligible}", eligible)
}

/// A source's figures as one derived table of (metric, n) over the row `{r}`, and the filter
/// that keeps its places in use.
fn figures_of(source: &Source) -> (String, &'static str) {
    let figures = source
        .figures
        .iter()
        .map(|(metric, n)| format!("SELECT {metric} AS metric, {n} AS n"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let in_use = if source.in_use_only {
        " AND r.retired_on IS NULL"
    } else {
        ""
    };
    (figures, in_use)
}

/// The figures of the row `row` (SQLite's NEW or OLD) at its region and every region above
/// it, each amount times `sign` ("" or "-").
fn side(source: &Source, row: &str, sign: &str) -> String {
    let (figures, in_use) = figures_of(source);
    on_engine(
        &format!(
            "SELECT a.code AS region_code, f.metric AS metric, {sign}f.n AS n \
             FROM regions r JOIN regions a ON {ANCESTORS} \
             JOIN ({figures}) f ON f.metric IS NOT NULL WHERE r.code = {region}{in_use}",
            region = source.region,
        ),
        false,
    )
    .replace("{r}", row)
}

/// The figures of every row of the transition table `rows` (PostgreSQL's `old_rows` or
/// `new_rows` of a statement) at each row's region and every region above it, times `sign`.
fn table_side(source: &Source, rows: &str, sign: &str) -> String {
    let (figures, in_use) = figures_of(source);
    on_engine(
        &format!(
            "SELECT a.code AS region_code, f.metric AS metric, {sign}f.n AS n \
             FROM {rows} x JOIN regions r ON r.code = {region} JOIN regions a ON {ANCESTORS} \
             CROSS JOIN LATERAL ({figures}) f WHERE f.metric IS NOT NULL{in_use}",
            region = source.region,
        ),
        true,
    )
    .replace("{r}", "x")
}

/// Adds the net change of `sides` to the roll-ups in one statement, in key order, leaving out
/// what nets to nothing: concurrent writers lock rows in one order (no deadlock between two
/// updates moving rows in opposite directions), and an update that changes no figure writes
/// nothing.
fn upsert(sides: &[String]) -> String {
    format!(
        "INSERT INTO dashboard_counts (region_code, metric, n) \
         SELECT d.region_code, d.metric, CAST(SUM(d.n) AS BIGINT) FROM ({}) d WHERE true \
         GROUP BY d.region_code, d.metric HAVING SUM(d.n) <> 0 \
         ORDER BY d.region_code, d.metric \
         ON CONFLICT (region_code, metric) DO UPDATE SET n = dashboard_counts.n + excluded.n",
        sides.join(" UNION ALL ")
    )
}

/// The names of the triggers of every source (as found in the catalogue).
fn trigger_names() -> Vec<String> {
    let mut names: Vec<String> = SOURCES
        .iter()
        .flat_map(|s| {
            ["insert", "delete", "update"]
                .iter()
                .map(move |k| format!("dashboard_{}_{k}", s.table))
        })
        .collect();
    names.sort();
    names
}

/// The statements that create the triggers of every source on the engine. SQLite's run for
/// each row; PostgreSQL's for each statement, over its transition tables, so that a statement
/// writing many rows (an import, a round's load) updates each counter once rather than once
/// per row (each update of a row leaves a version that the next must step over until the
/// transaction ends).
fn trigger_statements(postgres: bool) -> Vec<String> {
    let mut out = Vec::new();
    for s in SOURCES {
        let t = s.table;
        if postgres {
            let (old, new) = (
                table_side(s, "old_rows", "-"),
                table_side(s, "new_rows", ""),
            );
            // A trigger with transition tables takes no column list and no WHEN: an update
            // that moves no watched column returns at once.
            let columns = |side: &str| {
                s.watch
                    .split(", ")
                    .map(|c| format!("{side}.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let moves = s.moves_when.map_or(String::new(), |w| {
                format!(" AND ({})", w.replace("OLD.", "o.").replace("NEW.", "n."))
            });
            let unmoved = format!(
                "IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON o.{key} = n.{key} \
                 WHERE ({o}) IS DISTINCT FROM ({n}){moves}) THEN RETURN NULL; END IF; ",
                key = s.key,
                o = columns("o"),
                n = columns("n"),
            );
            let bodies = [
                (
                    "insert",
                    "NEW TABLE AS new_rows",
                    upsert(std::slice::from_ref(&new)),
                ),
                (
                    "delete",
                    "OLD TABLE AS old_rows",
                    upsert(std::slice::from_ref(&old)),
                ),
                (
                    "update",
                    "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                    unmoved + &upsert(&[old.clone(), new.clone()]),
                ),
            ];
            for (event, tables, body) in bodies {
                out.push(format!(
                    "CREATE OR REPLACE FUNCTION dashboard_{t}_{event}() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
                ));
                out.push(format!(
                    "CREATE TRIGGER dashboard_{t}_{event} AFTER {op} ON {t} \
                     REFERENCING {tables} FOR EACH STATEMENT \
                     EXECUTE FUNCTION dashboard_{t}_{event}()",
                    op = event.to_uppercase()
                ));
            }
        } else {
            let (old, new) = (side(s, "OLD", "-"), side(s, "NEW", ""));
            let when = s
                .moves_when
                .map(|w| format!("WHEN ({w})"))
                .unwrap_or_default();
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_insert AFTER INSERT ON {t} BEGIN {}; END",
                upsert(std::slice::from_ref(&new))
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_delete AFTER DELETE ON {t} BEGIN {}; END",
                upsert(std::slice::from_ref(&old))
            ));
            out.push(format!(
                "CREATE TRIGGER dashboard_{t}_update AFTER UPDATE OF {watch} ON {t} {when} \
                 BEGIN {}; END",
                upsert(&[old, new]),
                watch = s.watch
            ));
        }
    }
    out
}

/// Every figure of every region counted from the source tables.
fn recount_query(postgres: bool) -> String {
    let mut parts = vec![PLACES.to_owned()];
    for s in SOURCES {
        let in_use = if s.in_use_only {
            format!(
                " WHERE {} IN (SELECT code FROM regions WHERE retired_on IS NULL)",
                s.region
            )
        } else {
            String::new()
        };
        for (metric, n) in s.figures {
            let part = format!(
                "SELECT {region} AS region_code, {metric} AS metric, {n} AS n FROM {table} x{in_use}",
                region = s.region,
                table = s.table
            );
            parts.push(on_engine(&part, postgres).replace("{r}", "x"));
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

/// Whether a connection type is PostgreSQL's (for code generic over the two).
fn is_postgres<C: diesel::Connection>() -> bool
where
    C::Backend: 'static,
{
    std::any::TypeId::of::<C::Backend>() == std::any::TypeId::of::<diesel::pg::Pg>()
}

/// Installs the triggers (and rebuilds the roll-ups) unless those of this definition are all
/// in place. Called once the migrations ran, under the migration lock on PostgreSQL.
pub(crate) fn install(conn: &mut DbConn) -> Result<(), StoreError> {
    use crate::schema::meta::dsl as m;
    let postgres = matches!(conn, DbConn::Pg(_));
    let mut statements = trigger_statements(postgres);
    statements.push(recount_query(postgres));
    let version = fingerprint(&statements);
    let existing = if postgres {
        "SELECT t.tgname AS name, c.relname AS tbl FROM pg_trigger t \
         JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE t.tgname LIKE 'dashboard\\_%' AND pg_table_is_visible(c.oid)"
    } else {
        "SELECT name, tbl_name AS tbl FROM sqlite_master \
         WHERE type = 'trigger' AND name LIKE 'dashboard\\_%' ESCAPE '\\'"
    };
    let (installed, present): (Option<String>, Vec<Name>) = db_run!(conn, |c| {
        let installed = m::meta
            .filter(m::key.eq(META_KEY))
            .select(m::value)
            .first::<String>(c)
            .optional()?;
        (installed, diesel::sql_query(existing).load(c)?)
    });
    // A migration that rebuilds a source table drops its triggers: they are checked too.
    let mut names: Vec<String> = present.iter().map(|t| t.name.clone()).collect();
    names.sort();
    if installed.as_deref() == Some(version.as_str()) && names == trigger_names() {
        return Ok(());
    }
    db_run!(conn, |c| c.transaction::<_, StoreError, _>(|c| {
        for t in &present {
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
/// import, whose moves no trigger follows). On PostgreSQL the table is locked against
/// writers first, so that no trigger adds a row between the delete and the recount.
pub(crate) fn rebuild<C>(c: &mut C) -> Result<(), StoreError>
where
    C: diesel::Connection,
    C::Backend: 'static,
    diesel::query_builder::SqlQuery: diesel::query_dsl::methods::ExecuteDsl<C>,
{
    let postgres = is_postgres::<C>();
    if postgres {
        diesel::sql_query("LOCK TABLE dashboard_counts IN SHARE ROW EXCLUSIVE MODE").execute(c)?;
    }
    diesel::sql_query("DELETE FROM dashboard_counts").execute(c)?;
    diesel::sql_query(format!(
        "INSERT INTO dashboard_counts (region_code, metric, n) {}",
        recount_query(postgres)
    ))
    .execute(c)?;
    Ok(())
}

/// A kept count: region, metric, count.
type Kept = (String, String, i64);

/// The kept figures of one region: metric → count.
pub type Figures = BTreeMap<String, i64>;

/// A region's figures and those of each region directly below it, discovery's of the newest
/// round (its metrics without the round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionFigures {
    pub figures: Figures,
    pub below: BTreeMap<String, Figures>,
    /// The newest discovery round: (id, name).
    pub round: Option<(i64, String)>,
}

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

/// A discovery metric of `round` without the round (`discovery.status:7:visited` →
/// `discovery.status:visited`); none for another round's; any other metric as it is.
fn of_round(metric: String, round: Option<i64>) -> Option<String> {
    let Some(rest) = metric.strip_prefix("discovery.") else {
        return Some(metric);
    };
    let (kind, rest) = rest.split_once(':')?;
    let (id, code) = rest.split_once(':')?;
    (Some(id.parse().ok()?) == round).then(|| format!("discovery.{kind}:{code}"))
}

impl Dashboards<'_> {
    /// The figures of a region (the nation included) and of each region directly below it.
    pub async fn figures(&self, region: &RegionCode) -> Result<RegionFigures, StoreError> {
        use crate::schema::discovery_rounds;
        let code = region.as_str().to_owned();
        let (rows, round): (Vec<Kept>, Option<(i64, String)>) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let round = discovery_rounds::table
                        .order(discovery_rounds::id.desc())
                        .select((discovery_rounds::id, discovery_rounds::name))
                        .first::<(i64, String)>(c)
                        .optional()?;
                    // The codes first, then the counts by primary key: PostgreSQL would scan
                    // the counts for an `OR` with a subquery.
                    let mut codes: Vec<String> = regions::table
                        .filter(regions::parent_code.eq(&code))
                        .select(regions::code)
                        .load(c)?;
                    codes.push(code.clone());
                    let rows = dashboard_counts::table
                        .filter(dashboard_counts::region_code.eq_any(&codes))
                        .filter(dashboard_counts::n.ne(0))
                        .select((
                            dashboard_counts::region_code,
                            dashboard_counts::metric,
                            dashboard_counts::n,
                        ))
                        .load(c)?;
                    Ok((rows, round))
                })
            })
            .await?;
        let round_id = round.as_ref().map(|(id, _)| *id);
        let mut out = RegionFigures {
            figures: Figures::new(),
            below: BTreeMap::new(),
            round,
        };
        for (code, metric, n) in rows {
            let Some(metric) = of_round(metric, round_id) else {
                continue;
            };
            let figures = if code == region.as_str() {
                &mut out.figures
            } else {
                out.below.entry(code).or_default()
            };
            figures.insert(metric, n);
        }
        Ok(out)
    }

    /// Compares every kept roll-up with a full recount of the source tables, both read in one
    /// snapshot: empty when they are equal.
    pub async fn check(&self) -> Result<Vec<Mismatch>, StoreError> {
        fn read<C>(c: &mut C) -> Result<(Vec<Row>, Vec<Row>), StoreError>
        where
            C: diesel::connection::LoadConnection,
            C::Backend: 'static,
            diesel::query_builder::SqlQuery: diesel::query_dsl::methods::LoadQuery<'static, C, Row>,
        {
            let kept = diesel::sql_query(
                "SELECT region_code, metric, n FROM dashboard_counts WHERE n <> 0",
            )
            .load(c)?;
            let counted = diesel::sql_query(recount_query(is_postgres::<C>())).load(c)?;
            Ok((kept, counted))
        }
        let (kept, counted) = self
            .0
            .run(move |conn| match conn {
                DbConn::Sqlite(c) => c.transaction(read),
                DbConn::Pg(c) => c
                    .build_transaction()
                    .repeatable_read()
                    .read_only()
                    .run(read),
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
                    let rows = ["NEW.", "OLD.", "new_rows", "old_rows"];
                    assert!(rows.iter().any(|r| s.contains(r)), "{s}");
                }
            }
        }
        for postgres in [false, true] {
            let q = recount_query(postgres);
            assert!(!q.contains("{r}") && !q.contains("{eligible}"), "{q}");
        }
    }

    #[test]
    fn a_dashboard_reads_discovery_of_the_newest_round_only() {
        let m = |s: &str| s.to_owned();
        assert_eq!(
            of_round(m("discovery.status:7:visited"), Some(7)),
            Some(m("discovery.status:visited"))
        );
        assert_eq!(of_round(m("discovery.outcome:6:refused"), Some(7)), None);
        assert_eq!(of_round(m("discovery.status:7:listed"), None), None);
        assert_eq!(
            of_round(m("case.stage:intake"), Some(7)),
            Some(m("case.stage:intake"))
        );
    }

    #[test]
    fn every_source_has_its_triggers_on_each_engine() {
        assert_eq!(trigger_names().len(), SOURCES.len() * 3);
        for postgres in [false, true] {
            let made = trigger_statements(postgres)
                .iter()
                .filter(|s| s.starts_with("CREATE TRIGGER"))
                .count();
            assert_eq!(made, trigger_names().len());
        }
    }

    #[test]
    fn the_fingerprint_follows_the_definition() {
        let a = fingerprint(&["x".into(), "y".into()]);
        assert_eq!(a, fingerprint(&["x".into(), "y".into()]));
        assert_ne!(a, fingerprint(&["xy".into()]));
    }
}
