-- Every review of one year with the household's commune, district and ethnicity: the import layout, one row each.
SELECT
    r.household_id,
    h.commune_code,
    u.commune_name,
    u.district_name AS district,
    h.ethnicity,
    r.year,
    r.members,
    r.income_per_capita,
    r.social_protection,
    r.d_employment, r.d_dependants, r.d_nutrition, r.d_health_insurance, r.d_adult_education, r.d_child_schooling,
    r.d_housing_quality, r.d_floor_area, r.d_water, r.d_latrine, r.d_telecom, r.d_info_devices
FROM reviews AS r
JOIN households AS h USING (household_id)
JOIN units AS u ON u.unit_set = 'former' AND u.commune_code = h.commune_code
WHERE r.year = $year
ORDER BY r.household_id;
