-- 컨설팅: a place, si/gun/gu or si/do (region_code) asks for consulting on one specialty; the
-- keepers of the expert pool over it assign an expert of the pool (expert_id) and, when the
-- expert has an account, that account (expert_user_id) to write the report; the report or a
-- withdrawal ends it. `status`: requested, assigned, reported, withdrawn. Days are YYYY-MM-DD.
-- `revision` counts the steps taken: a step names the revision it was decided on, so that one
-- decided on a state someone has changed meanwhile (another expert assigned) is refused.
CREATE TABLE consultations (
    id               BIGSERIAL PRIMARY KEY,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    title            TEXT NOT NULL,
    specialty        TEXT NOT NULL,
    needs            TEXT NOT NULL,
    wanted_by        TEXT,
    status           TEXT NOT NULL,
    requested_by     BIGINT NOT NULL REFERENCES users (id),
    requested_on     TEXT NOT NULL,
    expert_id        BIGINT REFERENCES experts (id),
    expert_user_id   BIGINT REFERENCES users (id),
    assigned_by      BIGINT REFERENCES users (id),
    assigned_on      TEXT,
    held_on          TEXT,
    hours            BIGINT,
    findings         TEXT,
    recommendations  TEXT,
    reported_by      BIGINT REFERENCES users (id),
    withdrawn_reason TEXT,
    closed_by        BIGINT REFERENCES users (id),
    closed_on        TEXT,
    revision         BIGINT NOT NULL DEFAULT 0,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX consultations_region ON consultations (region_code, id);
CREATE INDEX consultations_expert_user ON consultations (expert_user_id);
