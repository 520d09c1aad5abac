-- 방문 일정: a visit planned ahead for exactly one subject (a listed household, a case or a
-- person in visiting health care) of the place emd_code, by staff_id; the purpose is sealed.
-- A plan stays 'planned' until a visit of its subject is recorded on or after planned_on
-- ('done', done_on) or it is cancelled.
CREATE TABLE visit_plans (
    id               INTEGER PRIMARY KEY NOT NULL,
    emd_code         TEXT NOT NULL REFERENCES regions (code),
    candidate_id     BIGINT REFERENCES discovery_candidates (id),
    case_id          BIGINT REFERENCES cases (id),
    health_person_id BIGINT REFERENCES health_people (id),
    staff_id         BIGINT NOT NULL REFERENCES users (id),
    planned_on       TEXT NOT NULL,
    planned_at       TEXT,
    purpose          BLOB NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    done_on          TEXT,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    CHECK ((candidate_id IS NOT NULL) + (case_id IS NOT NULL) + (health_person_id IS NOT NULL) = 1)
);
CREATE INDEX visit_plans_staff ON visit_plans (staff_id, status, planned_on);
CREATE INDEX visit_plans_place ON visit_plans (emd_code, status, planned_on);
CREATE INDEX visit_plans_candidate ON visit_plans (candidate_id);
CREATE INDEX visit_plans_case ON visit_plans (case_id);
CREATE INDEX visit_plans_health ON visit_plans (health_person_id);

-- Nurses refer the people in their care to community services too: a referral is of exactly
-- one subject. SQLite cannot change a CHECK, so the table is rebuilt (nothing refers to it).
CREATE TABLE referrals_new (
    id               INTEGER PRIMARY KEY NOT NULL,
    resource_id      BIGINT NOT NULL REFERENCES resources (id),
    case_id          BIGINT REFERENCES cases (id),
    candidate_id     BIGINT REFERENCES discovery_candidates (id),
    health_person_id BIGINT REFERENCES health_people (id),
    emd_code         TEXT NOT NULL REFERENCES regions (code),
    status           TEXT NOT NULL,
    requested_on     TEXT NOT NULL,
    updated_on       TEXT NOT NULL,
    result           BLOB,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    CHECK ((case_id IS NOT NULL) + (candidate_id IS NOT NULL) + (health_person_id IS NOT NULL) = 1)
);
INSERT INTO referrals_new (id, resource_id, case_id, candidate_id, emd_code, status, requested_on,
                           updated_on, result, created_by, created_at)
SELECT id, resource_id, case_id, candidate_id, emd_code, status, requested_on, updated_on,
       result, created_by, created_at
FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_new RENAME TO referrals;
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_candidate ON referrals (candidate_id);
CREATE INDEX referrals_health ON referrals (health_person_id);
CREATE INDEX referrals_resource ON referrals (resource_id, status);
