-- 안내서: the programme's guides in Markdown, public, kept by the ministry. Every version is
-- kept in guide_revisions (edited_by is NULL for a guide shipped with maeul or imported from
-- a file; source says which).
CREATE TABLE guides (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    subject    TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE guide_revisions (
    id        BIGSERIAL PRIMARY KEY,
    guide_id  BIGINT NOT NULL REFERENCES guides (id),
    revision  BIGINT NOT NULL,
    subject   TEXT NOT NULL,
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    body      TEXT NOT NULL,
    source    TEXT NOT NULL,
    edited_by BIGINT REFERENCES users (id),
    edited_at BIGINT NOT NULL,
    UNIQUE (guide_id, revision)
);
