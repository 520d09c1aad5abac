DROP TABLE corporation_reports;
DROP TABLE corporation_contracts;
DROP TABLE corporations;
