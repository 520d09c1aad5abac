-- 통합사례관리: a case and the steps recorded on it. The person's name and the notes are
-- sealed (AES-256-GCM); last_step, next_step and next_due repeat the latest state so that
-- lists and overdue work are index lookups.
CREATE TABLE cases (
    id             BIGSERIAL PRIMARY KEY,
    emd_code       TEXT NOT NULL REFERENCES regions (code),
    person_name    BYTEA NOT NULL,
    birth_year     BIGINT,
    source         TEXT NOT NULL,
    candidate_id   BIGINT UNIQUE REFERENCES discovery_candidates (id),
    opened_on      TEXT NOT NULL,
    last_step      TEXT NOT NULL,
    last_done_on   TEXT NOT NULL,
    next_step      TEXT NOT NULL,
    next_due       TEXT NOT NULL,
    classification TEXT,
    closed_on      TEXT,
    assigned_to    BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX cases_place ON cases (emd_code, closed_on, next_due);
CREATE INDEX cases_assignee ON cases (assigned_to, closed_on, next_due);

CREATE TABLE case_steps (
    id             BIGSERIAL PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    step           TEXT NOT NULL,
    done_on        TEXT NOT NULL,
    needs          TEXT NOT NULL,
    crisis         TEXT,
    classification TEXT,
    closure_reason TEXT,
    note           BYTEA,
    recorded_by    BIGINT NOT NULL REFERENCES users (id),
    recorded_at    BIGINT NOT NULL
);
CREATE INDEX case_steps_case ON case_steps (case_id);
