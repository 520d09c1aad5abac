-- An expert taken out of the pool (at their request, or no longer working): the moment it was
-- done; their contacts and profile are erased then, the name stays on the consulting it served.
ALTER TABLE experts ADD COLUMN removed_at BIGINT;
