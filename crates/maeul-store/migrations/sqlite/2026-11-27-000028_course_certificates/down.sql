DROP TABLE course_certificates;
