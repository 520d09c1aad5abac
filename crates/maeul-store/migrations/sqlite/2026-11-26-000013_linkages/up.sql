-- 지역사업 연계: a place's agenda (a plan item or an agenda item, or only a title) linked to a
-- programme of the catalogue. `stage`, `owner` and `due_on` are those of the latest step.
CREATE TABLE linkages (
    id             INTEGER PRIMARY KEY NOT NULL,
    emd_code       TEXT NOT NULL REFERENCES regions (code),
    programme_id   BIGINT NOT NULL REFERENCES programmes (id),
    plan_item_id   BIGINT REFERENCES autonomy_plan_items (id),
    agenda_item_id BIGINT REFERENCES agenda_items (id),
    title          TEXT NOT NULL,
    stage          TEXT NOT NULL,
    owner          TEXT NOT NULL,
    due_on         TEXT,
    created_by     BIGINT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX linkages_emd ON linkages (emd_code, updated_at);
CREATE INDEX linkages_plan_item ON linkages (plan_item_id);

-- Every step: the stage reached, when, who takes the next action, the note, the next deadline
-- and an amount (requested, awarded or spent, by the stage). Kept.
CREATE TABLE linkage_steps (
    id          INTEGER PRIMARY KEY NOT NULL,
    linkage_id  BIGINT NOT NULL REFERENCES linkages (id),
    stage       TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    owner       TEXT NOT NULL,
    note        TEXT NOT NULL,
    due_on      TEXT,
    amount      BIGINT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX linkage_steps_linkage ON linkage_steps (linkage_id, id);

-- Documents of a linkage (notices, application forms, agreements, reports), filed with the step
-- the linkage was at when they came in.
CREATE TABLE linkage_documents (
    id           INTEGER PRIMARY KEY NOT NULL,
    linkage_id   BIGINT NOT NULL REFERENCES linkages (id),
    stage        TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX linkage_documents_linkage ON linkage_documents (linkage_id, id);
