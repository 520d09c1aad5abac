DROP TABLE partner_projects;
