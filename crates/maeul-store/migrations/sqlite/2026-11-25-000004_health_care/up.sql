-- 방문건강관리: people registered with a risk group, their health visits and group changes.
-- The name and notes are sealed; next_due repeats the cadence's deadline for lists.
CREATE TABLE health_people (
    id            INTEGER PRIMARY KEY NOT NULL,
    emd_code      TEXT NOT NULL REFERENCES regions (code),
    person_name   BLOB NOT NULL,
    birth_year    BIGINT,
    risk_group    TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    last_visit_on TEXT,
    next_due      TEXT NOT NULL,
    nurse_id      BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX health_people_place ON health_people (emd_code, next_due);

CREATE TABLE health_visits (
    id          INTEGER PRIMARY KEY NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES health_people (id),
    visited_on  TEXT NOT NULL,
    systolic    BIGINT,
    diastolic   BIGINT,
    glucose     BIGINT,
    height_cm   REAL,
    weight_kg   REAL,
    frailty     BIGINT,
    note        BLOB,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX health_visits_person ON health_visits (person_id, visited_on);

CREATE TABLE health_group_changes (
    id          INTEGER PRIMARY KEY NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES health_people (id),
    changed_on  TEXT NOT NULL,
    from_group  TEXT,
    to_group    TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX health_group_changes_person ON health_group_changes (person_id);
