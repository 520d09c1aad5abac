-- 주민총회: an assembly of an eup/myeon/dong. Its rules (JSON of the core's Rules) are frozen
-- once the status leaves 'draft'. Participants per channel are counted here in the same
-- transaction as each participation, so the result is never recounted on read. Once closed,
-- `snapshot` holds the online counts and the booths (JSON), kept with each later paper tally,
-- so that the result is one read.
CREATE TABLE assemblies (
    id           BIGSERIAL PRIMARY KEY,
    emd_code     TEXT NOT NULL REFERENCES regions (code),
    title        TEXT NOT NULL,
    rules        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    online       BIGINT NOT NULL DEFAULT 0,
    advance      BIGINT NOT NULL DEFAULT 0,
    booth        BIGINT NOT NULL DEFAULT 0,
    mobile_booth BIGINT NOT NULL DEFAULT 0,
    ballot_hash  TEXT,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    opened_at    BIGINT,
    closed_at    BIGINT,
    snapshot     TEXT
);
CREATE INDEX assemblies_emd ON assemblies (emd_code, created_at);

-- 안건: the items of an assembly, in order (their ids are what ballots name).
CREATE TABLE assembly_items (
    id          BIGSERIAL PRIMARY KEY,
    assembly_id BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL,
    UNIQUE (assembly_id, position)
);

-- Online votes per item and option, kept up to date with each ballot.
CREATE TABLE assembly_counts (
    assembly_id     BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    item_position   BIGINT NOT NULL,
    option_position BIGINT NOT NULL,
    votes           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (assembly_id, item_position, option_position)
);

-- 투표 코드: one per eligible resident; only the code's SHA-256 is kept, and the resident
-- only as a keyed hash of the roster reference.
CREATE TABLE voting_codes (
    assembly_id  BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    code_digest  TEXT NOT NULL,
    resident_key TEXT NOT NULL,
    PRIMARY KEY (assembly_id, code_digest),
    UNIQUE (assembly_id, resident_key)
);

-- 투표 참여: who took part and how — one row per resident and assembly across every
-- channel. Nothing here says what they chose.
CREATE TABLE assembly_participations (
    assembly_id  BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    resident_key TEXT NOT NULL,
    channel      TEXT NOT NULL,
    booth        TEXT NOT NULL,
    PRIMARY KEY (assembly_id, resident_key)
);

-- 투표지: what was chosen, under a random receipt, with no time and no link to anyone.
-- Keyed by the receipt so that rows are not kept in the order they were cast.
CREATE TABLE assembly_ballots (
    assembly_id BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    receipt     TEXT NOT NULL,
    content     TEXT NOT NULL,
    PRIMARY KEY (assembly_id, receipt)
);

-- 투표소: residents checked in at each booth and, once counted, its paper tally.
CREATE TABLE assembly_booths (
    assembly_id BIGINT NOT NULL REFERENCES assemblies (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    checked_in  BIGINT NOT NULL DEFAULT 0,
    ballots     BIGINT,
    counts      TEXT,
    entered_by  BIGINT REFERENCES users (id),
    entered_at  BIGINT,
    PRIMARY KEY (assembly_id, name)
);
