DROP TABLE visit_plans;
DELETE FROM referrals WHERE health_person_id IS NOT NULL;
ALTER TABLE referrals DROP CONSTRAINT referrals_one_subject;
ALTER TABLE referrals DROP COLUMN health_person_id;
ALTER TABLE referrals ADD CONSTRAINT referrals_one_subject
    CHECK ((case_id IS NULL) <> (candidate_id IS NULL));
