-- 교육 이수증: a course's certificate of completion, found by its verification code. One per
-- enrolment, issued only once its attended minutes reach the course's hours; what it says (the
-- course, the region as named that day, the days attended and the minutes) is kept as issued, so
-- that it stays checkable when the course changes. The holder's name is sealed with the data key.
CREATE TABLE course_certificates (
    code          TEXT PRIMARY KEY NOT NULL,
    enrolment_id  BIGINT NOT NULL UNIQUE REFERENCES course_enrolments (id),
    course_id     BIGINT NOT NULL REFERENCES courses (id),
    region_code   TEXT NOT NULL REFERENCES regions (code),
    region_name   TEXT NOT NULL,
    holder_name   BLOB NOT NULL,
    affiliation   TEXT NOT NULL,
    course_title  TEXT NOT NULL,
    first_on      TEXT NOT NULL,
    last_on       TEXT NOT NULL,
    minutes       INTEGER NOT NULL,
    issued_on     TEXT NOT NULL,
    issued_by     BIGINT NOT NULL REFERENCES users (id)
) WITHOUT ROWID;
CREATE INDEX course_certificates_course ON course_certificates (course_id);
