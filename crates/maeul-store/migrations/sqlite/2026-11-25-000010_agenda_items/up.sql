-- 의제: residents' proposals. `supports` is counted in the transaction of each support, and
-- `status` moves up the council's ladder in that same transaction.
CREATE TABLE agenda_items (
    id            INTEGER PRIMARY KEY NOT NULL,
    emd_code      TEXT NOT NULL REFERENCES regions (code),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    topic         TEXT NOT NULL,
    rough_cost    BIGINT,
    proposed_by   BIGINT NOT NULL REFERENCES users (id),
    supports      BIGINT NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    answer        TEXT,
    answered_at   BIGINT,
    hidden_reason TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX agenda_items_emd ON agenda_items (emd_code, status, supports);

-- 공감: one per resident and item.
CREATE TABLE agenda_supports (
    item_id    BIGINT NOT NULL REFERENCES agenda_items (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, user_id)
);

-- 공감 기준: a council's ladder; a place without a row uses the default.
CREATE TABLE agenda_ladders (
    emd_code TEXT PRIMARY KEY NOT NULL REFERENCES regions (code),
    review   BIGINT NOT NULL,
    answer   BIGINT NOT NULL
);

-- Every answer and moderation, by whom and why; kept.
CREATE TABLE agenda_actions (
    id         INTEGER PRIMARY KEY NOT NULL,
    item_id    BIGINT NOT NULL REFERENCES agenda_items (id),
    action     TEXT NOT NULL CHECK (action IN ('answer', 'hide', 'restore')),
    text       TEXT NOT NULL,
    acted_by   BIGINT NOT NULL REFERENCES users (id),
    acted_at   BIGINT NOT NULL
);
CREATE INDEX agenda_actions_item ON agenda_actions (item_id, id);
