DROP TABLE autonomy_plan_updates;
DROP TABLE autonomy_plan_milestones;
ALTER TABLE autonomy_plan_items DROP COLUMN progress;
