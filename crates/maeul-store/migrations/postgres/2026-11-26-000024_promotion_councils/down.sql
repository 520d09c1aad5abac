DROP TABLE promotion_council_decisions;
DROP TABLE promotion_council_meetings;
DROP TABLE promotion_council_members;
