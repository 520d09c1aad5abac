DROP TABLE lottery_applications;
DROP TABLE lotteries;
DROP TABLE council_meetings;
DROP TABLE subcommittees;
DROP TABLE council_changes;
DROP TABLE councils;
