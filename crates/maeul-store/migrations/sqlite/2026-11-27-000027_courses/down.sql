DROP TABLE course_attendance;
DROP TABLE course_enrolments;
DROP TABLE course_sessions;
DROP TABLE courses;
