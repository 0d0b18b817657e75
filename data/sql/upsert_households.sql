-- The staged households of one import (one row each, in the file's order: former commune or NULL, current unit,
-- ethnicity), validated against the stored ones (validate._check_against_warehouse: no household moves). A stored
-- one gets the ethnicity the file gives, and its former commune when it was known only under its current unit (only
-- rows that change are written); a new one is inserted with the next keys (max + 1, … in the file's order).
UPDATE households AS h
SET ethnicity = s.ethnicity, commune_code = coalesce(h.commune_code, s.commune_code)
FROM staged_households AS s
WHERE h.household_id = s.household_id
  AND (h.ethnicity <> s.ethnicity OR (h.commune_code IS NULL AND s.commune_code IS NOT NULL));

INSERT INTO households (household_key, household_id, commune_code, current_code, ethnicity)
SELECT (SELECT coalesce(max(household_key), 0) FROM households) + row_number() OVER (ORDER BY s.position),
       s.household_id, s.commune_code, s.current_code, s.ethnicity
FROM staged_households AS s ANTI JOIN households AS h USING (household_id)
ORDER BY s.position;
