-- 공론장: forums and deliberation events held by a region (region_code), announced with the day,
-- local start time (HH:MM) and venue; `taken` counts the sign-ups (kept with them in one
-- transaction, so that a full event refuses the next one on both engines); the outcome
-- (attendance, summary, proposals) is recorded after the start.
CREATE TABLE forums (
    id           BIGSERIAL PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    topic        TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    venue        TEXT NOT NULL,
    capacity     BIGINT,
    supported_by TEXT NOT NULL,
    taken        BIGINT NOT NULL DEFAULT 0,
    attendance   BIGINT,
    summary      TEXT,
    proposals    TEXT,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    recorded_by  BIGINT REFERENCES users (id)
);
CREATE INDEX forums_region ON forums (region_code, held_on);

CREATE TABLE forum_sign_ups (
    forum_id  BIGINT NOT NULL REFERENCES forums (id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (forum_id, user_id)
);
