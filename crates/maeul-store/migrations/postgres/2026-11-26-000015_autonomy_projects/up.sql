-- 사업 실행: the progress of an adopted plan item (0–100 %, from its latest update).
ALTER TABLE autonomy_plan_items ADD COLUMN progress BIGINT NOT NULL DEFAULT 0;

-- 추진 일정: the planned steps of an adopted plan item; `done_on` once done (YYYY-MM-DD).
CREATE TABLE autonomy_plan_milestones (
    id         BIGSERIAL PRIMARY KEY,
    item_id    BIGINT NOT NULL REFERENCES autonomy_plan_items (id),
    title      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    done_on    TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX autonomy_plan_milestones_item ON autonomy_plan_milestones (item_id, due_on);

-- 추진 소식: public updates on an adopted plan item, kept; `spent` is the spending so far
-- when the update gave it.
CREATE TABLE autonomy_plan_updates (
    id        BIGSERIAL PRIMARY KEY,
    item_id   BIGINT NOT NULL REFERENCES autonomy_plan_items (id),
    body      TEXT NOT NULL,
    progress  BIGINT NOT NULL,
    spent     BIGINT,
    posted_by BIGINT NOT NULL REFERENCES users (id),
    posted_at BIGINT NOT NULL
);
CREATE INDEX autonomy_plan_updates_item ON autonomy_plan_updates (item_id, id);
