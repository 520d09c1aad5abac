-- 종합상담: the needs domains a discovery visit's counselling covered, codes joined by ';'.
ALTER TABLE discovery_visits ADD COLUMN domains TEXT NOT NULL DEFAULT '';
