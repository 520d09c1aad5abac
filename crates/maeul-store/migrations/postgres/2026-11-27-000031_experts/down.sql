DROP TABLE experts;
