DROP INDEX lottery_applications_school;
ALTER TABLE lottery_applications DROP COLUMN school_enrolment_id;
