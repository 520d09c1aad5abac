DROP TABLE visit_plans;
DELETE FROM referrals WHERE health_person_id IS NOT NULL;
CREATE TABLE referrals_old (
    id           INTEGER PRIMARY KEY NOT NULL,
    resource_id  BIGINT NOT NULL REFERENCES resources (id),
    case_id      BIGINT REFERENCES cases (id),
    candidate_id BIGINT REFERENCES discovery_candidates (id),
    emd_code     TEXT NOT NULL REFERENCES regions (code),
    status       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    updated_on   TEXT NOT NULL,
    result       BLOB,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    CHECK ((case_id IS NULL) <> (candidate_id IS NULL))
);
INSERT INTO referrals_old (id, resource_id, case_id, candidate_id, emd_code, status, requested_on,
                           updated_on, result, created_by, created_at)
SELECT id, resource_id, case_id, candidate_id, emd_code, status, requested_on, updated_on,
       result, created_by, created_at
FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_old RENAME TO referrals;
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_candidate ON referrals (candidate_id);
CREATE INDEX referrals_resource ON referrals (resource_id, status);
