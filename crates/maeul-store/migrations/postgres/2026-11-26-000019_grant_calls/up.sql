-- 공모사업: competitive grant calls run by the ministry. `units` lists what it funds
-- ('sigungu', 'emd' or both, comma-separated); `criteria` is the JSON list of
-- {"name", "weight"}; `status` moves open → reviewing → awarded.
CREATE TABLE grant_calls (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT NOT NULL,
    ministry     TEXT NOT NULL,
    summary      TEXT NOT NULL,
    programme_id BIGINT REFERENCES programmes (id),
    budget       BIGINT NOT NULL,
    award_cap    BIGINT NOT NULL,
    units        TEXT NOT NULL,
    eligibility  TEXT NOT NULL,
    criteria     TEXT NOT NULL,
    pass_mark    BIGINT NOT NULL,
    opens_on     TEXT NOT NULL,
    closes_on    TEXT NOT NULL,
    announce_on  TEXT NOT NULL,
    status       TEXT NOT NULL,
    awarded_on   TEXT,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX grant_calls_closes ON grant_calls (closes_on, id);

-- The experts assigned to score a call's applications.
CREATE TABLE grant_call_reviewers (
    call_id BIGINT NOT NULL REFERENCES grant_calls (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (call_id, user_id)
);
CREATE INDEX grant_call_reviewers_user ON grant_call_reviewers (user_id, call_id);

-- One application per si/gun/gu and call, for itself or for one of its eup/myeon/dong
-- (`emd_code`). The selection fills `score` (mean of the experts' totals, hundredths of a
-- point), `rank`, `outcome` and, when selected, `notice_no`; `spent` comes from the latest
-- execution report that gave it.
CREATE TABLE grant_applications (
    id           BIGSERIAL PRIMARY KEY,
    call_id      BIGINT NOT NULL REFERENCES grant_calls (id),
    sigungu_code TEXT NOT NULL REFERENCES regions (code),
    emd_code     TEXT REFERENCES regions (code),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    score        BIGINT,
    rank         BIGINT,
    outcome      TEXT,
    notice_no    TEXT,
    spent        BIGINT,
    submitted_by BIGINT NOT NULL REFERENCES users (id),
    submitted_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (call_id, sigungu_code)
);
CREATE INDEX grant_applications_sigungu ON grant_applications (sigungu_code, call_id);

-- Each assigned expert's scores of an application, one per criterion, and their weighted
-- total (hundredths of a point). Shown to the ministry, never to other experts or the public.
CREATE TABLE grant_scores (
    application_id BIGINT NOT NULL REFERENCES grant_applications (id),
    reviewer_id    BIGINT NOT NULL REFERENCES users (id),
    scores         TEXT NOT NULL,
    total          BIGINT NOT NULL,
    comment        TEXT NOT NULL,
    scored_at      BIGINT NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

-- Execution reports on an award, kept.
CREATE TABLE grant_reports (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES grant_applications (id),
    body           TEXT NOT NULL,
    spent          BIGINT,
    reported_by    BIGINT NOT NULL REFERENCES users (id),
    reported_at    BIGINT NOT NULL
);
CREATE INDEX grant_reports_application ON grant_reports (application_id, id);
