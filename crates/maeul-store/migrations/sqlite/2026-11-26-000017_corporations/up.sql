-- 실행 법인: organisations linked to a council (social co-operatives, village enterprises …)
-- that carry out its projects. Their registry is public, as on their own registration.
CREATE TABLE corporations (
    id              INTEGER PRIMARY KEY NOT NULL,
    emd_code        TEXT NOT NULL REFERENCES regions (code),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    registration_no TEXT,
    representative  TEXT NOT NULL,
    founded_on      TEXT,
    contact         TEXT NOT NULL,
    description     TEXT NOT NULL,
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (emd_code, name)
);

-- The projects they take on: commissioned (위탁) or subsidised (보조), with amount and period,
-- optionally carrying out an adopted plan item; `spent` from the latest report that gave it.
CREATE TABLE corporation_contracts (
    id             INTEGER PRIMARY KEY NOT NULL,
    corporation_id BIGINT NOT NULL REFERENCES corporations (id),
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    plan_item_id   BIGINT REFERENCES autonomy_plan_items (id),
    spent          BIGINT,
    created_by     BIGINT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX corporation_contracts_corporation ON corporation_contracts (corporation_id, id);
CREATE INDEX corporation_contracts_plan_item ON corporation_contracts (plan_item_id);

-- Their reports on a contract, kept.
CREATE TABLE corporation_reports (
    id          INTEGER PRIMARY KEY NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES corporation_contracts (id),
    body        TEXT NOT NULL,
    spent       BIGINT,
    reported_by BIGINT NOT NULL REFERENCES users (id),
    reported_at BIGINT NOT NULL
);
CREATE INDEX corporation_reports_contract ON corporation_reports (contract_id, id);
