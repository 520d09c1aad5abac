-- An application's training hours may come from the place's autonomy school: the enrolment
-- whose attendance gave them (hours taken when the application is given; the list is fixed
-- from the seed on). One application per enrolment and lottery; NULLs (hours as typed) repeat.
ALTER TABLE lottery_applications ADD COLUMN school_enrolment_id BIGINT REFERENCES course_enrolments (id);
CREATE UNIQUE INDEX lottery_applications_school ON lottery_applications (lottery_id, school_enrolment_id);
