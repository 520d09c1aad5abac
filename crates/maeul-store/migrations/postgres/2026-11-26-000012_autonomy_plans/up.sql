-- 자치계획: a council's plan for a year. `status` moves one way (draft, at_assembly, adopted,
-- executing, closed); `assembly_id` is the assembly it was put to.
CREATE TABLE autonomy_plans (
    id          BIGSERIAL PRIMARY KEY,
    emd_code    TEXT NOT NULL REFERENCES regions (code),
    year        BIGINT NOT NULL,
    status      TEXT NOT NULL,
    assembly_id BIGINT REFERENCES assemblies (id),
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (emd_code, year)
);

-- The plan's items. `ballot_item` and `ballot_option` say where an item stands on the
-- assembly's ballot (the decision is read back by them); `spent` and `settlement_note` are the
-- settlement.
CREATE TABLE autonomy_plan_items (
    id              BIGSERIAL PRIMARY KEY,
    plan_id         BIGINT NOT NULL REFERENCES autonomy_plans (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    topic           TEXT NOT NULL,
    budget          BIGINT NOT NULL,
    funding         TEXT NOT NULL,
    subcommittee_id BIGINT REFERENCES subcommittees (id),
    agenda_item_id  BIGINT REFERENCES agenda_items (id),
    ballot_item     TEXT,
    ballot_option   TEXT,
    decision        TEXT NOT NULL,
    spent           BIGINT,
    settlement_note TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX autonomy_plan_items_plan ON autonomy_plan_items (plan_id, id);
CREATE INDEX autonomy_plan_items_agenda ON autonomy_plan_items (agenda_item_id);

-- Every step of a plan and every change of its items, by whom; kept.
CREATE TABLE autonomy_plan_events (
    id       BIGSERIAL PRIMARY KEY,
    plan_id  BIGINT NOT NULL REFERENCES autonomy_plans (id),
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    acted_by BIGINT NOT NULL REFERENCES users (id),
    acted_at BIGINT NOT NULL
);
CREATE INDEX autonomy_plan_events_plan ON autonomy_plan_events (plan_id, id);
