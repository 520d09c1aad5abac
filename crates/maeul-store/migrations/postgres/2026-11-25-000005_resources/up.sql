-- 지역사회자원: services of an area (the area's code; it serves the regions below it too).
CREATE TABLE resources (
    id          BIGSERIAL PRIMARY KEY,
    area_code   TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    sector      TEXT NOT NULL,
    provider    TEXT NOT NULL,
    capacity    BIGINT,
    contact     TEXT NOT NULL,
    description TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX resources_area ON resources (area_code, category);

-- 자원 연계: a case referred to a service; the result is sealed.
CREATE TABLE referrals (
    id           BIGSERIAL PRIMARY KEY,
    resource_id  BIGINT NOT NULL REFERENCES resources (id),
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    status       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    updated_on   TEXT NOT NULL,
    result       BYTEA,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_resource ON referrals (resource_id, status);
