-- 재원: what a plan has from each funding source for its year (resident-tax return,
-- participatory budget, special account, grants, private funds, own income).
CREATE TABLE autonomy_plan_funds (
    plan_id BIGINT NOT NULL REFERENCES autonomy_plans (id),
    funding TEXT NOT NULL,
    amount  BIGINT NOT NULL,
    PRIMARY KEY (plan_id, funding)
);
