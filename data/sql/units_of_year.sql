-- The units a review year is filed in (`review_unit_set($year)`; with $year NULL, the newest unit set), with the
-- dates their set is in force: one row per unit, former units grouped by district.
WITH chosen AS (
    SELECT coalesce(review_unit_set($year::INTEGER),
                    (SELECT unit_set FROM unit_sets ORDER BY in_force_from DESC NULLS LAST LIMIT 1)) AS unit_set
)
SELECT u.unit_set, u.commune_code, u.commune_name, u.commune_type, u.district_name, s.in_force_from, s.in_force_to
FROM units AS u
JOIN chosen USING (unit_set)
JOIN unit_sets AS s USING (unit_set)
ORDER BY u.district_code NULLS FIRST, u.commune_code
