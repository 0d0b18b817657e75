-- The staged reviews of one import (by household code; their households already upserted), replacing any stored
-- review of the same household and year: the stored ones are deleted, the staged ones appended by household key.
CREATE OR REPLACE TEMP TABLE staged_keyed AS
SELECT h.household_key, s.* EXCLUDE (household_id)
FROM staged_reviews AS s
LEFT JOIN households AS h USING (household_id);

DELETE FROM review_rows AS r
USING (SELECT DISTINCT household_key, year FROM staged_keyed) AS k
WHERE r.household_key = k.household_key AND r.year = k.year;

INSERT INTO review_rows BY NAME
SELECT * FROM staged_keyed WHERE household_key IS NOT NULL ORDER BY year, household_key;
