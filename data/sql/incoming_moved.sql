-- Incoming households (view `incoming`, with their row index `_i`) already stored in another commune.
SELECT i._i, h.commune_code
FROM incoming AS i JOIN households AS h USING (household_id)
WHERE h.commune_code <> i.commune_code
