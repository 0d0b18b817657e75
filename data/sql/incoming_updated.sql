-- How many stored households the incoming rows (view `incoming`, see incoming_moved.sql) change without moving them:
-- another ethnicity, or the former commune of a household known so far only under its current unit.
SELECT count(DISTINCT household_id)
FROM incoming AS i JOIN households AS h USING (household_id)
WHERE i.current_code = h.current_code
  AND (i.commune_code IS NULL OR h.commune_code IS NULL OR i.commune_code = h.commune_code)
  AND (h.ethnicity <> i.ethnicity OR (h.commune_code IS NULL AND i.commune_code IS NOT NULL))
