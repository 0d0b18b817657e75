-- The passages into review year $year: the rows of `transitions_live` (data/schema.sql) with year = $year, computed
-- from the stored classification of $year and $year − 1 plus one aggregate over the years before for "poor
-- before", in the order `transitions_rows` is written (current unit, household key). A full refresh writes the
-- passages year by year with it (data.warehouse.refresh_classified): at 100× one window and full join over every
-- review did not fit the build's memory; tests check the stored passages equal `transitions_live`.
WITH earlier AS (
    SELECT
        household_key,
        bool_or(status = 'poor') AS poor_before,
        bool_or(status IN ('poor', 'near_poor')) AS poor_or_near_poor_before
    FROM classified
    WHERE year < $year - 1
    GROUP BY household_key
),
s AS (
    SELECT c.*, coalesce(b.poor_before, false) AS poor_before,
           coalesce(b.poor_or_near_poor_before, false) AS poor_or_near_poor_before
    FROM classified AS c
    LEFT JOIN earlier AS b ON b.household_key = c.household_key
    WHERE c.year = $year - 1
),
e AS (
    SELECT * FROM classified WHERE year = $year
)
SELECT
    coalesce(e.household_key, s.household_key) AS household_key,
    CAST($year AS INTEGER) AS year,
    coalesce(e.commune_code, s.commune_code) AS commune_code,
    coalesce(e.district_code, s.district_code) AS district_code,
    coalesce(e.current_code, s.current_code) AS current_code,
    coalesce(e.ethnicity, s.ethnicity) AS ethnicity,
    s.status AS start_status,
    e.status AS end_status,
    s.area AS start_area,
    e.area AS end_area,
    s.members AS start_members,
    e.members AS end_members,
    e.d_health_insurance AS end_d_health_insurance,
    coalesce(s.poor_before, false) AS poor_before,
    coalesce(s.poor_or_near_poor_before, false) AS poor_or_near_poor_before
FROM s
FULL JOIN e ON e.household_key = s.household_key
ORDER BY current_code, household_key
