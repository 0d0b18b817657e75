-- The province each unit set belongs to, and the law that made the set (data/reference/unit_sets.csv): titles of
-- the annual report (reports/annual.py). One row per unit set.
SELECT unit_set, province_code, province_name, in_force_from, in_force_to, legal_basis
FROM unit_sets
ORDER BY in_force_from NULLS FIRST;
