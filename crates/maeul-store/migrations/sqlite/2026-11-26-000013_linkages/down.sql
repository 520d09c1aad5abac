DROP TABLE linkage_documents;
DROP TABLE linkage_steps;
DROP TABLE linkages;
