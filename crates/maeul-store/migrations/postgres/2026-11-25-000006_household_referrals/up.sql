-- A referral is of a case or of a listed household (from a discovery visit), never both; the
-- place is kept with it for the access log.
ALTER TABLE referrals ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE referrals ADD COLUMN candidate_id BIGINT REFERENCES discovery_candidates (id);
ALTER TABLE referrals ADD COLUMN emd_code TEXT REFERENCES regions (code);
UPDATE referrals r SET emd_code = c.emd_code FROM cases c WHERE c.id = r.case_id;
ALTER TABLE referrals ALTER COLUMN emd_code SET NOT NULL;
ALTER TABLE referrals ADD CONSTRAINT referrals_one_subject
    CHECK ((case_id IS NULL) <> (candidate_id IS NULL));
CREATE INDEX referrals_candidate ON referrals (candidate_id);
