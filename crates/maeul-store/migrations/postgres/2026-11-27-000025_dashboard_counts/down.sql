DROP TABLE dashboard_counts;
