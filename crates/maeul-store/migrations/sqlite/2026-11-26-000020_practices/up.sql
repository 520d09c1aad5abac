-- 우수사례: a place's case, written up by its council or staff, reviewed by the ministry and
-- published for others. `region_code` is the eup/myeon/dong or si/gun/gu it happened in; the
-- programme, agenda item and plan item it grew from are optional. `published_on` is set while it
-- is published; `revision` counts the place's revisions, so that a review names what it read.
CREATE TABLE practices (
    id             INTEGER PRIMARY KEY NOT NULL,
    region_code    TEXT NOT NULL REFERENCES regions (code),
    title          TEXT NOT NULL,
    topic          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    body           TEXT NOT NULL,
    results        TEXT NOT NULL,
    programme_id   BIGINT REFERENCES programmes (id),
    agenda_item_id BIGINT REFERENCES agenda_items (id),
    plan_item_id   BIGINT REFERENCES autonomy_plan_items (id),
    status         TEXT NOT NULL,
    revision       BIGINT NOT NULL DEFAULT 0,
    published_on   TEXT,
    submitted_by   BIGINT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX practices_status ON practices (status, published_on, id);
CREATE INDEX practices_region ON practices (region_code, id);
CREATE INDEX practices_programme ON practices (programme_id);

-- Every review, kept: the decision and the note the place reads.
CREATE TABLE practice_reviews (
    id          INTEGER PRIMARY KEY NOT NULL,
    practice_id BIGINT NOT NULL REFERENCES practices (id),
    decision    TEXT NOT NULL,
    note        TEXT NOT NULL,
    reviewed_by BIGINT NOT NULL REFERENCES users (id),
    reviewed_at BIGINT NOT NULL
);
CREATE INDEX practice_reviews_practice ON practice_reviews (practice_id, id);
