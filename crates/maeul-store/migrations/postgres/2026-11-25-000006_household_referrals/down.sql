DELETE FROM referrals WHERE case_id IS NULL;
DROP INDEX referrals_candidate;
ALTER TABLE referrals DROP CONSTRAINT referrals_one_subject;
ALTER TABLE referrals DROP COLUMN emd_code;
ALTER TABLE referrals DROP COLUMN candidate_id;
ALTER TABLE referrals ALTER COLUMN case_id SET NOT NULL;
