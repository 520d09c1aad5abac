-- 지역사업: a programme keeps its identity across the years; each year's notice is a version
-- (programmes are renamed and re-budgeted often). The current entry is the latest year.
CREATE TABLE programmes (
    id         BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE programme_versions (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    year         BIGINT NOT NULL,
    ministry     TEXT NOT NULL,
    name         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    target       TEXT NOT NULL,
    -- unit and topic codes, comma-separated
    target_units TEXT NOT NULL,
    topics       TEXT NOT NULL,
    eligibility  TEXT NOT NULL,
    amount_min   BIGINT,
    amount_max   BIGINT,
    years        BIGINT,
    opens_on     TEXT,
    closes_on    TEXT,
    source       TEXT NOT NULL,
    as_of        TEXT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (programme_id, year)
);
CREATE INDEX programme_versions_name ON programme_versions (ministry, name);

-- Every change of a version, by whom (none for a file) and from where, with the entry
-- before and after as JSON. Its largest id is the catalogue's revision: the search index
-- is rebuilt when it moves.
CREATE TABLE programme_changes (
    id           BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    year         BIGINT NOT NULL,
    origin       TEXT NOT NULL,
    changed_by   BIGINT REFERENCES users (id),
    before       TEXT,
    after        TEXT NOT NULL,
    changed_at   BIGINT NOT NULL
);
CREATE INDEX programme_changes_programme ON programme_changes (programme_id, id);
