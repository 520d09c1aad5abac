DROP TABLE resident_verifications;
