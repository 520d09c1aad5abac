-- 방문 일정: a visit planned ahead for exactly one subject (a listed household, a case or a
-- person in visiting health care) of the place emd_code, by staff_id; the purpose is sealed.
-- A plan stays 'planned' until a visit of its subject is recorded on or after planned_on
-- ('done', done_on) or it is cancelled.
CREATE TABLE visit_plans (
    id               BIGSERIAL PRIMARY KEY,
    emd_code         TEXT NOT NULL REFERENCES regions (code),
    candidate_id     BIGINT REFERENCES discovery_candidates (id),
    case_id          BIGINT REFERENCES cases (id),
    health_person_id BIGINT REFERENCES health_people (id),
    staff_id         BIGINT NOT NULL REFERENCES users (id),
    planned_on       TEXT NOT NULL,
    planned_at       TEXT,
    purpose          BYTEA NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    done_on          TEXT,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    CHECK (num_nonnulls(candidate_id, case_id, health_person_id) = 1)
);
CREATE INDEX visit_plans_staff ON visit_plans (staff_id, status, planned_on);
CREATE INDEX visit_plans_place ON visit_plans (emd_code, status, planned_on);
CREATE INDEX visit_plans_candidate ON visit_plans (candidate_id);
CREATE INDEX visit_plans_case ON visit_plans (case_id);
CREATE INDEX visit_plans_health ON visit_plans (health_person_id);

-- Nurses refer the people in their care to community services too: a referral is of exactly
-- one subject.
ALTER TABLE referrals ADD COLUMN health_person_id BIGINT REFERENCES health_people (id);
ALTER TABLE referrals DROP CONSTRAINT referrals_one_subject;
ALTER TABLE referrals ADD CONSTRAINT referrals_one_subject
    CHECK (num_nonnulls(case_id, candidate_id, health_person_id) = 1);
CREATE INDEX referrals_health ON referrals (health_person_id);
