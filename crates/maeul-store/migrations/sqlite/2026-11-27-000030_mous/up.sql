-- 업무협약: agreements of public-private cooperation, kept at the region where they were made
-- (the nation, a si/do, a si/gun/gu or a place). `parties` is a JSON array of the parties'
-- names in the agreement's order.
CREATE TABLE mous (
    id          INTEGER PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parties     TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    ends_on     TEXT,
    scope       TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX mous_region ON mous (region_code, signed_on);
