-- Staged reviews that are new, and stored reviews they change (any field differs), before the upsert. Reads
-- `review_rows` by household key, only the staged years and households (a staged household the warehouse does not
-- hold yet has no key, so its reviews are new), never the `reviews` view, which joins every stored review.
WITH keyed AS (
    SELECT s.*, h.household_key
    FROM staged_reviews AS s
    LEFT JOIN households AS h USING (household_id)
),
stored AS (
    SELECT r.*
    FROM review_rows AS r
    WHERE list_contains((SELECT list(DISTINCT year) FROM staged_reviews), r.year)
      AND r.household_key IN (SELECT household_key FROM keyed)
)
SELECT count(*) FILTER (r.household_key IS NULL),
       count(*) FILTER (r.household_key IS NOT NULL AND
           (s.members, s.income_per_capita, s.social_protection, s.d_employment, s.d_dependants, s.d_nutrition,
            s.d_health_insurance, s.d_adult_education, s.d_child_schooling, s.d_housing_quality, s.d_floor_area,
            s.d_water, s.d_latrine, s.d_telecom, s.d_info_devices)
           IS DISTINCT FROM
           (r.members, r.income_per_capita, r.social_protection, r.d_employment, r.d_dependants, r.d_nutrition,
            r.d_health_insurance, r.d_adult_education, r.d_child_schooling, r.d_housing_quality, r.d_floor_area,
            r.d_water, r.d_latrine, r.d_telecom, r.d_info_devices))
FROM keyed AS s LEFT JOIN stored AS r USING (household_key, year)
