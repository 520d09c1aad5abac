DROP TABLE grant_reports;
DROP TABLE grant_scores;
DROP TABLE grant_applications;
DROP TABLE grant_call_reviewers;
DROP TABLE grant_calls;
