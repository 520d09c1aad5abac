-- 담당자 네트워크: the officers in charge of each field in every local government (the nation's
-- row is the ministry). Kept by the programme staff of the scope and the ministry.
CREATE TABLE officers (
    id          INTEGER PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    field       TEXT NOT NULL,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL,
    position    TEXT NOT NULL,
    phone       TEXT NOT NULL,
    email       TEXT NOT NULL,
    updated_by  BIGINT NOT NULL REFERENCES users (id),
    updated_at  BIGINT NOT NULL,
    UNIQUE (region_code, field, name)
);
CREATE INDEX officers_field ON officers (field, region_code);
