DROP TABLE programme_revision;
DROP TABLE programme_changes;
DROP TABLE programme_versions;
DROP TABLE programmes;
