-- The staged reviews of one import, replacing a stored review of the same household and year.
INSERT OR REPLACE INTO reviews BY NAME SELECT * FROM staged_reviews
