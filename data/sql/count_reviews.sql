-- Staged reviews that are new, and stored reviews they change (any field differs), before the upsert.
SELECT count(*) FILTER (r.household_id IS NULL),
       count(*) FILTER (r.household_id IS NOT NULL AND
           (s.members, s.income_per_capita, s.social_protection, s.d_employment, s.d_dependants, s.d_nutrition,
            s.d_health_insurance, s.d_adult_education, s.d_child_schooling, s.d_housing_quality, s.d_floor_area,
            s.d_water, s.d_latrine, s.d_telecom, s.d_info_devices)
           IS DISTINCT FROM
           (r.members, r.income_per_capita, r.social_protection, r.d_employment, r.d_dependants, r.d_nutrition,
            r.d_health_insurance, r.d_adult_education, r.d_child_schooling, r.d_housing_quality, r.d_floor_area,
            r.d_water, r.d_latrine, r.d_telecom, r.d_info_devices))
FROM staged_reviews AS s LEFT JOIN reviews AS r USING (household_id, year)
