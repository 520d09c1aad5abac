-- 주민자치회: the council of an eup/myeon/dong. A place without a row has no council yet.
CREATE TABLE councils (
    emd_code            TEXT PRIMARY KEY NOT NULL REFERENCES regions (code),
    status              TEXT NOT NULL CHECK (status IN ('none', 'committee', 'pilot', 'established')),
    ordinance           TEXT,
    ordinance_on        TEXT,
    pilot_designated_on TEXT,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX councils_status ON councils (status);

-- Every change of a council's record, by whom (none for a file import) and from where.
CREATE TABLE council_changes (
    id                  BIGSERIAL PRIMARY KEY,
    emd_code            TEXT NOT NULL REFERENCES regions (code),
    status              TEXT NOT NULL,
    ordinance           TEXT,
    ordinance_on        TEXT,
    pilot_designated_on TEXT,
    source              TEXT NOT NULL CHECK (source IN ('web', 'import')),
    changed_by          BIGINT REFERENCES users (id),
    changed_at          BIGINT NOT NULL
);
CREATE INDEX council_changes_emd ON council_changes (emd_code, id);

-- 분과
CREATE TABLE subcommittees (
    id         BIGSERIAL PRIMARY KEY,
    emd_code   TEXT NOT NULL REFERENCES regions (code),
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (emd_code, name)
);

-- 회의: meetings of the council or of one subcommittee; the minutes are public.
CREATE TABLE council_meetings (
    id              BIGSERIAL PRIMARY KEY,
    emd_code        TEXT NOT NULL REFERENCES regions (code),
    subcommittee_id BIGINT REFERENCES subcommittees (id),
    title           TEXT NOT NULL,
    held_on         TEXT NOT NULL,
    agenda          TEXT NOT NULL,
    attended        BIGINT NOT NULL,
    members         BIGINT NOT NULL,
    minutes         TEXT,
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX council_meetings_emd ON council_meetings (emd_code, held_on);

-- 공개추첨: rules (JSON of the core's Rules); the seed, once published, freezes the list;
-- the outcome (JSON) is written once by the draw.
CREATE TABLE lotteries (
    id                BIGSERIAL PRIMARY KEY,
    emd_code          TEXT NOT NULL REFERENCES regions (code),
    title             TEXT NOT NULL,
    rules             TEXT NOT NULL,
    seed              TEXT,
    seed_published_at BIGINT,
    outcome           TEXT,
    drawn_at          BIGINT,
    created_by        BIGINT NOT NULL REFERENCES users (id),
    created_at        BIGINT NOT NULL
);
CREATE INDEX lotteries_emd ON lotteries (emd_code, created_at);

-- 위원 신청: the public record shows the number, category, gender and hours; the name is
-- for the council's officers only.
CREATE TABLE lottery_applications (
    lottery_id     BIGINT NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    number         TEXT NOT NULL,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    gender         TEXT NOT NULL,
    training_hours BIGINT NOT NULL,
    PRIMARY KEY (lottery_id, number)
);
