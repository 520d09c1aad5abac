-- 민간 전문인력 풀: private experts, registered by the ministry or a si/do (region_code, whose
-- keepers change their availability). `specialties` and `regions` are JSON arrays of codes
-- (regions: si/do codes, empty for the whole country), written sorted.
CREATE TABLE experts (
    id           INTEGER PRIMARY KEY NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    specialties  TEXT NOT NULL,
    regions      TEXT NOT NULL,
    availability TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    profile      TEXT NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    updated_at   BIGINT NOT NULL
);
CREATE INDEX experts_name ON experts (name, id);
