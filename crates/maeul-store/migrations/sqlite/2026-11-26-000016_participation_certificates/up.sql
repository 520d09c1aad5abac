-- 참여 확인서: certificates of taking part in an assembly or a council meeting, found by their
-- verification code. The holder's name is sealed with the data key; `holder_key` (the blind
-- index of the roster reference for an assembly, of the name for a meeting) makes asking again
-- give the same certificate. `event_until` is the last day of an assembly's voting; `place_name`
-- is the place as named on the day of issue (it stays checkable after a merger). No serial id and
-- no row order: the certificates of an assembly do not tell in what order its residents took part.
CREATE TABLE participation_certificates (
    code         TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    emd_code     TEXT NOT NULL REFERENCES regions (code),
    place_name   TEXT NOT NULL,
    assembly_id  BIGINT REFERENCES assemblies (id),
    meeting_id   BIGINT REFERENCES council_meetings (id),
    holder_key   TEXT NOT NULL,
    holder_name  BLOB NOT NULL,
    event_title  TEXT NOT NULL,
    event_on     TEXT NOT NULL,
    event_until  TEXT,
    issued_on    TEXT NOT NULL,
    issued_by    BIGINT REFERENCES users (id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX participation_certificates_assembly
    ON participation_certificates (assembly_id, holder_key);
CREATE UNIQUE INDEX participation_certificates_meeting
    ON participation_certificates (meeting_id, holder_key);
