DELETE FROM referrals WHERE case_id IS NULL;
CREATE TABLE referrals_old (
    id           INTEGER PRIMARY KEY NOT NULL,
    resource_id  BIGINT NOT NULL REFERENCES resources (id),
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    status       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    updated_on   TEXT NOT NULL,
    result       BLOB,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
INSERT INTO referrals_old SELECT id, resource_id, case_id, status, requested_on, updated_on, result,
    created_by, created_at FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_old RENAME TO referrals;
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_resource ON referrals (resource_id, status);
