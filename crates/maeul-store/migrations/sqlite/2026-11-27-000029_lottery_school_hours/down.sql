-- SQLite drops no column a foreign key names: the table is rebuilt without it.
DROP INDEX lottery_applications_school;
CREATE TABLE lottery_applications_before (
    lottery_id     BIGINT NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    number         TEXT NOT NULL,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    gender         TEXT NOT NULL,
    training_hours BIGINT NOT NULL,
    PRIMARY KEY (lottery_id, number)
);
INSERT INTO lottery_applications_before
    SELECT lottery_id, number, name, category, gender, training_hours FROM lottery_applications;
DROP TABLE lottery_applications;
ALTER TABLE lottery_applications_before RENAME TO lottery_applications;
