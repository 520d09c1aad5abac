-- 교육: courses run by a place, a local government, a si/do or the ministry (region_code), their
-- sessions, who enrolled, and the minutes each enrolment attended of each session (a missing
-- row is an absence). An enrolment keeps its course's region and whether its attended minutes
-- reach required_minutes (written with the attendance), which the dashboards count.
CREATE TABLE courses (
    id               BIGSERIAL PRIMARY KEY,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    title            TEXT NOT NULL,
    audience         TEXT NOT NULL,
    autonomy_school  BOOLEAN NOT NULL,
    required_minutes INTEGER NOT NULL,
    description      TEXT NOT NULL,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL
);
CREATE INDEX courses_region ON courses (region_code, id);

CREATE TABLE course_sessions (
    id        BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    title     TEXT NOT NULL,
    held_on   TEXT NOT NULL,
    minutes   INTEGER NOT NULL
);
CREATE INDEX course_sessions_course ON course_sessions (course_id, held_on);

CREATE TABLE course_enrolments (
    id           BIGSERIAL PRIMARY KEY,
    course_id    BIGINT NOT NULL REFERENCES courses (id),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    name         TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    completed    BOOLEAN NOT NULL DEFAULT FALSE,
    enrolled_by  BIGINT NOT NULL REFERENCES users (id),
    enrolled_at  BIGINT NOT NULL
);
CREATE INDEX course_enrolments_course ON course_enrolments (course_id, id);

CREATE TABLE course_attendance (
    enrolment_id BIGINT NOT NULL REFERENCES course_enrolments (id),
    session_id   BIGINT NOT NULL REFERENCES course_sessions (id),
    minutes      INTEGER NOT NULL,
    PRIMARY KEY (enrolment_id, session_id)
);
