DROP TABLE council_members;
