DROP TABLE forum_sign_ups;
DROP TABLE forums;
