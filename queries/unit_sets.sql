-- The unit sets and when each is in force (data/reference/unit_sets.csv): `first_review_year`, the first review year
-- filed in the set (`review_unit_set`, whose review date falls in the set's period; NULL when none up to 2100).
SELECT s.unit_set, s.in_force_from, s.in_force_to,
       (SELECT min(y) FROM range(1990, 2101) AS r(y) WHERE review_unit_set(y::INTEGER) = s.unit_set)::INTEGER
           AS first_review_year
FROM unit_sets AS s
ORDER BY s.in_force_from NULLS FIRST;
