-- National-scale records for the dashboard benchmark (benches/load/run.sh SCENARIO=dashboard),
-- written after `maeul seed --scale national` (staff for every eup/myeon/dong, a national
-- discovery round of 20 listed households each). For each of the 3,560 eup/myeon/dong: its
-- organisation model and council stage, three staff posts (one vacant), 20 cases over the eight
-- steps, 30 people in visiting health care, two assemblies (one closed, with participants) and
-- two linkages; half of the listed households visited with an outcome. Every row goes through
-- the dashboard triggers, as the application's writes do. @BLOB@ is the engine's literal for a
-- sealed name (never opened: only counted). Deterministic.

INSERT INTO org_models (emd_code, model, since, planned_model, planned_on, teams, updated_at)
SELECT code,
       CASE WHEN kind = 'myeon' THEN
                CASE WHEN CAST(substr(code, 6, 3) AS INTEGER) % 2 = 0 THEN 'basic' ELSE 'rural_specialised' END
            WHEN CAST(substr(code, 6, 3) AS INTEGER) % 3 = 0 THEN 'basic'
            ELSE 'service_linked' END,
       '2020-01-01',
       CASE WHEN kind <> 'myeon' AND CAST(substr(code, 6, 3) AS INTEGER) % 3 = 0 THEN 'service_linked' END,
       CASE WHEN kind <> 'myeon' AND CAST(substr(code, 6, 3) AS INTEGER) % 3 = 0 THEN '2027-01-01' END,
       '[]', 0
FROM regions WHERE level = 'emd' AND retired_on IS NULL
ON CONFLICT (emd_code) DO NOTHING;

INSERT INTO councils (emd_code, status, updated_at)
SELECT code,
       CASE CAST(substr(code, 6, 3) AS INTEGER) % 4
            WHEN 0 THEN 'none' WHEN 1 THEN 'committee' WHEN 2 THEN 'pilot' ELSE 'established' END,
       0
FROM regions WHERE level = 'emd' AND retired_on IS NULL
ON CONFLICT (emd_code) DO NOTHING;

INSERT INTO staff_posts (kind, holder, since, quota_code, quota_path, placement_code,
                         placement_path, updated_by, updated_at)
SELECT k.kind, k.holder, NULL, r.code, r.path, r.code, r.path, (SELECT MIN(id) FROM users), 0
FROM regions r
CROSS JOIN (SELECT 'welfare' AS kind, '담당자' AS holder
            UNION ALL SELECT 'welfare', NULL
            UNION ALL SELECT 'autonomy', '담당자') k
WHERE r.level = 'emd' AND r.retired_on IS NULL;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19)
INSERT INTO cases (emd_code, person_name, birth_year, source, opened_on, last_step, last_done_on,
                   next_step, next_due, created_at)
SELECT r.code, @BLOB@, 1950, 'walk_in', '2026-01-05',
       CASE n.i % 8 WHEN 0 THEN 'intake' WHEN 1 THEN 'assessment' WHEN 2 THEN 'conference'
            WHEN 3 THEN 'classification' WHEN 4 THEN 'plan' WHEN 5 THEN 'monitoring'
            WHEN 6 THEN 'closure' ELSE 'follow_up' END,
       '2026-02-01', 'monitoring', '2026-12-31', 0
FROM regions r CROSS JOIN n
WHERE r.level = 'emd' AND r.retired_on IS NULL;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29)
INSERT INTO health_people (emd_code, person_name, birth_year, risk_group, registered_on, next_due,
                           created_at)
SELECT r.code, @BLOB@, 1945,
       CASE n.i % 3 WHEN 0 THEN 'intensive' WHEN 1 THEN 'regular' ELSE 'self_capacity' END,
       '2026-01-05', '2026-12-31', 0
FROM regions r CROSS JOIN n
WHERE r.level = 'emd' AND r.retired_on IS NULL;

INSERT INTO assemblies (emd_code, title, rules, status, online, advance, booth, mobile_booth,
                        created_by, created_at)
SELECT r.code, '2026 주민총회', '{"eligible_population": 2000}', a.status, a.online, a.advance, a.booth, a.mobile,
       (SELECT MIN(id) FROM users), 0
FROM regions r
CROSS JOIN (SELECT 'closed' AS status, 150 AS online, 20 AS advance, 80 AS booth, 10 AS mobile
            UNION ALL SELECT 'draft', 0, 0, 0, 0) a
WHERE r.level = 'emd' AND r.retired_on IS NULL;

INSERT INTO linkages (emd_code, programme_id, title, stage, owner, created_by, created_at,
                      updated_at)
SELECT r.code, (SELECT MIN(id) FROM programmes), '마을 안전 지도', l.stage, 'council',
       (SELECT MIN(id) FROM users), 0, 0
FROM regions r
CROSS JOIN (SELECT 'candidate' AS stage UNION ALL SELECT 'selected') l
WHERE r.level = 'emd' AND r.retired_on IS NULL;

UPDATE discovery_candidates
SET visited_on = '2026-11-20',
    outcome = CASE id % 9 WHEN 0 THEN 'public_basic_livelihood' WHEN 1 THEN 'public_near_poor'
                  WHEN 2 THEN 'public_emergency' WHEN 3 THEN 'public_other'
                  WHEN 4 THEN 'private_resource' WHEN 5 THEN 'case_management'
                  WHEN 6 THEN 'no_support_needed' WHEN 7 THEN 'unreachable' ELSE 'refused' END
WHERE id % 2 = 0;
