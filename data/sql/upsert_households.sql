-- The staged households of one import: new ones inserted with their current unit (the crosswalk's image of their
-- former commune), a stored one gets the ethnicity the file gives.
INSERT INTO households (household_id, commune_code, current_code, ethnicity)
SELECT s.household_id, s.commune_code, w.current_code, s.ethnicity
FROM staged_households AS s
JOIN unit_crosswalk AS w ON w.former_code = s.commune_code
ON CONFLICT (household_id) DO UPDATE SET ethnicity = excluded.ethnicity
