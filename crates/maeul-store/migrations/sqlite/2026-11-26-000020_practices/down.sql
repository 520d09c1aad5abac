DROP TABLE practice_reviews;
DROP TABLE practices;
