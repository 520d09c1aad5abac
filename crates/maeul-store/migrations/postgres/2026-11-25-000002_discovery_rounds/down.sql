DROP TABLE discovery_visits;
DROP TABLE discovery_candidates;
DROP TABLE discovery_indicators;
DROP TABLE discovery_rounds;
