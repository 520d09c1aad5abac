DROP TABLE guide_revisions;
DROP TABLE guides;
