-- 민간 지원조직 주도 사업: a project a private support organisation leads in a target area
-- (region_code). The lists (selected_with, actors, resources: JSON arrays of text; funds: JSON
-- objects {source, kind, amount_won}; consultants: expert ids) are written whole on each save;
-- `revision` counts the saves, so that a save over a version someone replaced is refused.
CREATE TABLE partner_projects (
    id            BIGSERIAL PRIMARY KEY,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    title         TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    selected_on   TEXT NOT NULL,
    selected_with TEXT NOT NULL,
    stage         TEXT NOT NULL,
    agenda        TEXT NOT NULL,
    actors        TEXT NOT NULL,
    resources     TEXT NOT NULL,
    funds         TEXT NOT NULL,
    consultants   TEXT NOT NULL,
    mou_id        BIGINT REFERENCES mous (id),
    revision      BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL REFERENCES users (id),
    updated_by    BIGINT NOT NULL REFERENCES users (id),
    updated_at    BIGINT NOT NULL
);
CREATE INDEX partner_projects_region ON partner_projects (region_code, id);
