ALTER TABLE discovery_visits DROP COLUMN domains;
