-- Every review of one year in the import layout, one row each, in the units of that year (`review_unit_set`): up to
-- 2024 the former commune with its name and district; from 2025 the current unit with its name (no district). A
-- review whose household has no unit in that set is still written, with an empty commune, so importing the file
-- reports it rather than losing it.
WITH year_set AS (SELECT review_unit_set($year::INTEGER) AS unit_set)
SELECT
    h.household_id,
    CASE y.unit_set WHEN 'current' THEN h.current_code ELSE h.commune_code END AS commune_code,
    u.commune_name,
    u.district_name AS district,
    h.ethnicity,
    r.year,
    r.members,
    r.income_per_capita,
    r.social_protection,
    r.d_employment, r.d_dependants, r.d_nutrition, r.d_health_insurance, r.d_adult_education, r.d_child_schooling,
    r.d_housing_quality, r.d_floor_area, r.d_water, r.d_latrine, r.d_telecom, r.d_info_devices
FROM review_rows AS r
JOIN households AS h USING (household_key)
CROSS JOIN year_set AS y
LEFT JOIN units AS u
    ON u.unit_set = y.unit_set
   AND u.commune_code = CASE y.unit_set WHEN 'current' THEN h.current_code ELSE h.commune_code END
WHERE r.year = $year
ORDER BY h.household_id;
