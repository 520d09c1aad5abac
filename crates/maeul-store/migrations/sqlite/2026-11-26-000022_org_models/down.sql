DROP TABLE org_model_changes;
DROP TABLE org_models;
