-- How many incoming households (view `incoming`) are stored in the same commune with another ethnicity.
SELECT count(DISTINCT household_id)
FROM incoming AS i JOIN households AS h USING (household_id)
WHERE h.commune_code = i.commune_code AND h.ethnicity <> i.ethnicity
