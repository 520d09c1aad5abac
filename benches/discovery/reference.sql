-- Reference implementation of the discovery arithmetic (/work/shared/specs/discovery.md) as one
-- DuckDB query. Run it through reference.py, which
--   * parses model.toml with tomllib into three small tables:
--       model(as_of DATE, lookback_days BIGINT, intercept DOUBLE, top_per_emd BIGINT, min_probability DOUBLE)
--       indicators(code VARCHAR, weight DOUBLE, transform VARCHAR, cap DOUBLE, half_life_days DOUBLE)
--       tags(tag VARCHAR, weight DOUBLE)
--   * replaces {households}, {crisis} and {out} below with quoted file paths.
-- It assumes valid input (the engine validates; this does not).
--
-- Floating-point order (spec, arithmetic step 6). DuckDB's sum() over DOUBLE adds in whatever
-- order its threads meet the rows, so z is not built with sum(). Instead:
--   1. per household, list(c ORDER BY indicator) is an ordered aggregate: the contributions in
--      ascending indicator code (DuckDB's default VARCHAR order is byte order);
--   2. the household's tag weights are collected the same way, list(weight ORDER BY tag);
--   3. z = list_reduce([intercept] || contributions || tag weights, lambda acc, x: acc + x),
--      a sequential left fold: ((intercept + c1) + c2) + ... + t1 + t2 ... exactly as specified.
-- Only indicators with a counted observation appear in the list. An indicator without one has
-- a = 0, so its feature is 0 (flag: 0; log1p: ln(1) = 0; cap: min(0, cap) = 0 for cap >= 0) and
-- its contribution is +0.0 or -0.0, and adding a zero to z leaves z unchanged (the sign of a
-- zero z does not matter: exp(-(+0)) = exp(-(-0)) = 1), so leaving them out is exact.
--
-- The other operations are the spec's literally: value * pow(0.5, age / half_life_days) with age
-- an integer number of days cast to DOUBLE; ln(1 + a) (not a log1p function); least(a, cap);
-- weight * feature; 1 / (1 + exp(-z)). DuckDB's pow, ln and exp call the C library's pow, log
-- and exp, as Rust's f64::powf, ln and exp do on Linux.
COPY (
    WITH
    obs AS (
        -- counted observations and their decayed values
        SELECT
            c.household_id,
            c.indicator,
            c.value * pow(0.5, CAST(m.as_of - c.observed_on AS DOUBLE) / i.half_life_days) AS decayed
        FROM read_csv({crisis},
                      header = true, delim = ',', quote = '', escape = '', auto_detect = false,
                      columns = {'household_id': 'VARCHAR', 'indicator': 'VARCHAR',
                                  'value': 'DOUBLE', 'observed_on': 'DATE'},
                      dateformat = '%Y-%m-%d') AS c
        JOIN indicators AS i ON i.code = c.indicator
        CROSS JOIN model AS m
        WHERE m.as_of - c.observed_on >= 0
          AND m.as_of - c.observed_on < m.lookback_days
    ),
    feat AS (
        -- one row per household and indicator with a counted observation
        SELECT
            o.household_id,
            o.indicator,
            i.weight * (CASE i.transform
                            WHEN 'flag'  THEN CASE WHEN max(o.decayed) > 0 THEN 1.0::DOUBLE ELSE 0.0::DOUBLE END
                            WHEN 'log1p' THEN ln(1.0::DOUBLE + max(o.decayed))
                            WHEN 'cap'   THEN least(max(o.decayed), i.cap)
                        END) AS c
        FROM obs AS o
        JOIN indicators AS i ON i.code = o.indicator
        GROUP BY o.household_id, o.indicator, i.weight, i.transform, i.cap
    ),
    per_hh AS (
        SELECT
            household_id,
            list(c ORDER BY indicator) AS contributions,
            list(indicator ORDER BY c DESC, indicator ASC) FILTER (WHERE c > 0) AS positive
        FROM feat
        GROUP BY household_id
    ),
    hh AS (
        -- only the households that have a counted observation
        SELECT h.household_id, h.emd_code, h.tags, p.contributions, p.positive
        FROM read_csv({households},
                      header = true, delim = ',', quote = '', escape = '', auto_detect = false,
                      columns = {'household_id': 'VARCHAR', 'emd_code': 'VARCHAR',
                                  'members': 'INTEGER', 'head_age': 'INTEGER', 'tags': 'VARCHAR'}) AS h
        JOIN per_hh AS p ON p.household_id = h.household_id
    ),
    hh_tags AS (
        -- tag weights of those households, in ascending tag name
        SELECT x.household_id, list(t.weight ORDER BY t.tag) AS tag_weights
        FROM (SELECT household_id, unnest(string_split(tags, ';')) AS tag
              FROM hh WHERE tags IS NOT NULL AND tags <> '') AS x
        JOIN tags AS t ON t.tag = x.tag
        GROUP BY x.household_id
    ),
    scored AS (
        SELECT
            hh.emd_code,
            hh.household_id,
            hh.positive,
            1.0::DOUBLE / (1.0::DOUBLE + exp(-list_reduce(
                list_concat([m.intercept], hh.contributions, coalesce(ht.tag_weights, [])),
                lambda acc, x: acc + x))) AS probability
        FROM hh
        LEFT JOIN hh_tags AS ht ON ht.household_id = hh.household_id
        CROSS JOIN model AS m
    ),
    ranked AS (
        SELECT
            s.*,
            row_number() OVER (PARTITION BY s.emd_code
                               ORDER BY s.probability DESC, s.household_id ASC) AS rank
        FROM scored AS s
        CROSS JOIN model AS m
        WHERE s.probability >= m.min_probability
    )
    SELECT
        r.emd_code,
        r.rank,
        r.household_id,
        printf('%.6f', r.probability) AS probability,
        -- NULL (written as an empty field) when no contribution is positive
        nullif(array_to_string(coalesce(r.positive, [])[1:3], ';'), '') AS reasons
    FROM ranked AS r
    CROSS JOIN model AS m
    WHERE r.rank <= m.top_per_emd
    ORDER BY r.emd_code, r.rank
) TO {out} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '', ESCAPE '');
