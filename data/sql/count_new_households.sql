-- How many staged households the warehouse does not hold yet (before the upsert).
SELECT count(*) FROM staged_households AS s WHERE NOT EXISTS
    (SELECT 1 FROM households AS h WHERE h.household_id = s.household_id)
