-- 위원: the members of a council with their role and two-year term. Members drawn by a
-- lottery keep its id and their application number (each appointed once); ended_on is set
-- when a member leaves before the term ends.
CREATE TABLE council_members (
    id                 INTEGER PRIMARY KEY NOT NULL,
    emd_code           TEXT NOT NULL REFERENCES regions (code),
    name               TEXT NOT NULL,
    gender             TEXT NOT NULL,
    role               TEXT NOT NULL,
    subcommittee_id    BIGINT REFERENCES subcommittees (id),
    term_starts        TEXT NOT NULL,
    term_ends          TEXT NOT NULL,
    ended_on           TEXT,
    lottery_id         BIGINT REFERENCES lotteries (id),
    application_number TEXT,
    created_at         BIGINT NOT NULL,
    UNIQUE (lottery_id, application_number)
);
CREATE INDEX council_members_emd ON council_members (emd_code, term_ends);
