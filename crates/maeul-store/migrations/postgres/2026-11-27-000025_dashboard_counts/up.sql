-- 대시보드 roll-ups: for every region and every figure of the dashboards, the count (or sum)
-- over the region and everything below it. Triggers on the source tables keep them up to
-- date in the same transaction as each change; the store installs those triggers (and
-- rebuilds these rows) from one definition of the figures, see `dashboard.rs`.
CREATE TABLE dashboard_counts (
    region_code TEXT NOT NULL,
    metric      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, metric)
);
