DROP TABLE autonomy_plan_funds;
