ALTER TABLE experts DROP COLUMN removed_at;
