DROP TABLE autonomy_plan_events;
DROP TABLE autonomy_plan_items;
DROP TABLE autonomy_plans;
