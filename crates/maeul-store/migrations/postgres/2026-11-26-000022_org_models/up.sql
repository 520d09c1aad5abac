-- 조직 모형: the organisation model of an eup/myeon/dong (basic, service_linked,
-- rural_specialised), since when, the transition planned next and its teams (one name per
-- line). A place without a row has none recorded.
CREATE TABLE org_models (
    emd_code      TEXT PRIMARY KEY NOT NULL REFERENCES regions (code),
    model         TEXT NOT NULL,
    since         TEXT,
    planned_model TEXT,
    planned_on    TEXT,
    teams         TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Every change of a place's record, by whom (none for a file import) and from where.
CREATE TABLE org_model_changes (
    id            BIGSERIAL PRIMARY KEY,
    emd_code      TEXT NOT NULL REFERENCES regions (code),
    model         TEXT NOT NULL,
    since         TEXT,
    planned_model TEXT,
    planned_on    TEXT,
    teams         TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('web', 'import')),
    changed_by    BIGINT REFERENCES users (id),
    changed_at    BIGINT NOT NULL
);
CREATE INDEX org_model_changes_emd ON org_model_changes (emd_code, id);
