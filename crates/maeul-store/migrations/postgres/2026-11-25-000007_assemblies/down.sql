DROP TABLE assembly_booths;
DROP TABLE assembly_ballots;
DROP TABLE assembly_participations;
DROP TABLE voting_codes;
DROP TABLE assembly_counts;
DROP TABLE assembly_items;
DROP TABLE assemblies;
