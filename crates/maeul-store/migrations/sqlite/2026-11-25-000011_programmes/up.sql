-- 지역사업: a programme keeps its identity across the years; each year's notice is a version
-- (programmes are renamed and re-budgeted often). The current entry is the latest year.
CREATE TABLE programmes (
    id         INTEGER PRIMARY KEY NOT NULL,
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
-- before and after as JSON.
CREATE TABLE programme_changes (
    id           INTEGER PRIMARY KEY NOT NULL,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    year         BIGINT NOT NULL,
    origin       TEXT NOT NULL,
    changed_by   BIGINT REFERENCES users (id),
    before       TEXT,
    after        TEXT NOT NULL,
    changed_at   BIGINT NOT NULL
);
CREATE INDEX programme_changes_programme ON programme_changes (programme_id, id);

-- The catalogue's revision: every write transaction first locks this row (so writers take
-- turns and read what the one before wrote) and raises it when it changed something; the
-- search index is rebuilt when it moves. Ids of changes cannot serve: on PostgreSQL they are
-- handed out before commit, out of commit order.
CREATE TABLE programme_revision (
    id       BIGINT PRIMARY KEY NOT NULL,
    revision BIGINT NOT NULL
);
INSERT INTO programme_revision (id, revision) VALUES (1, 0);
