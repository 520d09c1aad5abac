DROP TABLE case_steps;
DROP TABLE cases;
