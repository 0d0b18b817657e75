-- Incoming households (view `incoming`: household_id, commune_code = the former commune the row names — a former-set
-- year's commune, or a former unit named in a current-set year — else NULL, current_code, row index `_i`) that the
-- warehouse holds elsewhere: in another current unit, or in another former commune when both are known (even one
-- lying in the same current unit). A stored former commune under the current unit containing it is the
-- same place. Returns the row index and the stored former commune (NULL if unknown) and current unit.
SELECT i._i, h.commune_code, h.current_code
FROM incoming AS i JOIN households AS h USING (household_id)
WHERE i.current_code <> h.current_code
   OR (i.commune_code IS NOT NULL AND h.commune_code IS NOT NULL AND i.commune_code <> h.commune_code)
ORDER BY i._i
