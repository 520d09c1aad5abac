DROP TABLE meta; DROP TABLE access_log; DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE grants; DROP TABLE users; DROP TABLE region_changes; DROP TABLE region_imports; DROP TABLE regions;
