-- The staged households of one import (one row each: former commune or NULL, current unit, ethnicity), validated
-- against the stored ones (validate._check_against_warehouse: no household moves). A new one is inserted; a stored
-- one gets the ethnicity the file gives, and its former commune when it was known only under its current unit.
INSERT INTO households (household_id, commune_code, current_code, ethnicity)
SELECT household_id, commune_code, current_code, ethnicity
FROM staged_households
ON CONFLICT (household_id) DO UPDATE SET
    ethnicity = excluded.ethnicity,
    commune_code = coalesce(commune_code, excluded.commune_code)
