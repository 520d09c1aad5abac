-- 주민 확인: a resident's account tied to their entry in the community centre's roster by the
-- autonomy staff who saw their identity, so that they can vote signed in, without a code.
-- The roster reference is sealed with the data key; `account_key` is a blind index of it under
-- a label of its own (not the one of voting codes and participation, so that the database alone
-- cannot join accounts to participation): it keeps one account per resident and place. The
-- participation key is computed from the opened reference when the resident votes.
CREATE TABLE resident_verifications (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    emd_code     TEXT NOT NULL REFERENCES regions (code),
    account_key  TEXT NOT NULL,
    resident_ref BLOB NOT NULL,
    verified_by  BIGINT NOT NULL REFERENCES users (id),
    verified_on  TEXT NOT NULL,
    PRIMARY KEY (user_id, emd_code),
    UNIQUE (emd_code, account_key)
);
