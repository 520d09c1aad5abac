-- 발굴 차수: a round loaded from the discovery engine's output.
CREATE TABLE discovery_rounds (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    model_name    TEXT NOT NULL,
    model_version BIGINT NOT NULL,
    model_toml    TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    opens_on      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    digest        TEXT NOT NULL,
    listed        BIGINT NOT NULL,
    loaded_at     BIGINT NOT NULL
);

-- The model's indicators as they were for the round, to name the reasons.
CREATE TABLE discovery_indicators (
    round_id BIGINT NOT NULL REFERENCES discovery_rounds (id),
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    weight   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (round_id, code)
);

-- 발굴 대상자: one listed household. The household id is sealed (AES-256-GCM) and found by
-- its keyed hash; visited_on and outcome repeat the latest visit for lists and counts.
CREATE TABLE discovery_candidates (
    id            BIGSERIAL PRIMARY KEY,
    round_id      BIGINT NOT NULL REFERENCES discovery_rounds (id),
    emd_code      TEXT NOT NULL REFERENCES regions (code),
    rank          BIGINT NOT NULL,
    household_ref TEXT NOT NULL,
    household_id  BYTEA NOT NULL,
    members       BIGINT NOT NULL,
    head_age      BIGINT NOT NULL,
    tags          TEXT NOT NULL,
    probability   DOUBLE PRECISION NOT NULL,
    reasons       TEXT NOT NULL,
    assigned_to   BIGINT REFERENCES users (id),
    visited_on    TEXT,
    outcome       TEXT,
    UNIQUE (round_id, household_ref),
    UNIQUE (round_id, emd_code, rank)
);
CREATE INDEX discovery_candidates_assignee ON discovery_candidates (assigned_to, round_id);

-- 방문상담: visits to a listed household; the note is sealed.
CREATE TABLE discovery_visits (
    id           BIGSERIAL PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES discovery_candidates (id),
    visited_on   TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    note         BYTEA,
    recorded_by  BIGINT NOT NULL REFERENCES users (id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX discovery_visits_candidate ON discovery_visits (candidate_id);
