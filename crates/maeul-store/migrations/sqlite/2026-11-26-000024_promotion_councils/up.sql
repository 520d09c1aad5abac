-- 추진협의회: the members of a local government's promotion council (a membership ends with
-- left_on and stays on record), its meetings with minutes, and each meeting's decisions.
CREATE TABLE promotion_council_members (
    id           INTEGER PRIMARY KEY NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    name         TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    organisation TEXT NOT NULL,
    chair        BOOLEAN NOT NULL,
    joined_on    TEXT NOT NULL,
    left_on      TEXT,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX promotion_council_members_region ON promotion_council_members (region_code, left_on);

CREATE TABLE promotion_council_meetings (
    id          INTEGER PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    attended    INTEGER NOT NULL,
    minutes     TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX promotion_council_meetings_region ON promotion_council_meetings (region_code, held_on);

CREATE TABLE promotion_council_decisions (
    id         INTEGER PRIMARY KEY NOT NULL,
    meeting_id BIGINT NOT NULL REFERENCES promotion_council_meetings (id),
    kind       TEXT NOT NULL,
    summary    TEXT NOT NULL
);
CREATE INDEX promotion_council_decisions_meeting ON promotion_council_decisions (meeting_id);
