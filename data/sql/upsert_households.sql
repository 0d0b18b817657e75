-- The staged households of one import: new ones inserted, a stored one gets the ethnicity the file gives.
INSERT INTO households (household_id, commune_code, ethnicity)
SELECT household_id, commune_code, ethnicity FROM staged_households
ON CONFLICT (household_id) DO UPDATE SET ethnicity = excluded.ethnicity
