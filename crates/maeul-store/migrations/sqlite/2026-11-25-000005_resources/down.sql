DROP TABLE referrals;
DROP TABLE resources;
