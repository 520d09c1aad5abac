DROP TABLE health_group_changes;
DROP TABLE health_visits;
DROP TABLE health_people;
