-- How many staged households the warehouse does not hold yet (before the upsert).
SELECT count(*) FROM staged_households AS s ANTI JOIN households AS h USING (household_id)
