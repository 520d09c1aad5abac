-- 인력 배치: a post of one of the four staff kinds (programme, welfare, nurse, autonomy), the
-- region whose unit holds its quota and the region where it is placed (each with its path, so
-- that "within a region" is a string test), and who holds it (none: vacant).
CREATE TABLE staff_posts (
    id             INTEGER PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('programme', 'welfare', 'nurse', 'autonomy')),
    holder         TEXT,
    since          TEXT,
    quota_code     TEXT NOT NULL REFERENCES regions (code),
    quota_path     TEXT NOT NULL,
    placement_code TEXT NOT NULL REFERENCES regions (code),
    placement_path TEXT NOT NULL,
    updated_by     BIGINT NOT NULL REFERENCES users (id),
    updated_at     BIGINT NOT NULL
);
CREATE INDEX staff_posts_quota ON staff_posts (quota_path);
CREATE INDEX staff_posts_placement ON staff_posts (placement_path);
