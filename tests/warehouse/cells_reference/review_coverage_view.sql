-- The schema's review_coverage view before classified_cells (main e9a2bd7), over every review: the reference.
WITH per_year AS (
    SELECT
        year,
        any_value(unit_set) AS unit_set,
        count(DISTINCT CASE unit_set WHEN 'current' THEN current_code ELSE commune_code END) AS units_reviewed,
        count(*) AS households,
        count(commune_code) AS households_former_known
    FROM classified
    GROUP BY year
),
shares AS (
    SELECT
        year,
        unit_set,
        units_reviewed,
        (SELECT count(*) FROM units AS u WHERE u.unit_set = per_year.unit_set) AS units_expected,
        households_former_known,
        households,
        lag(households) OVER (ORDER BY year) AS previous_households
    FROM per_year
)
SELECT
    year,
    unit_set,
    units_reviewed,
    units_expected,
    households,
    households_former_known,
    previous_households,
    households / previous_households AS household_share,
    units_reviewed >= setting('coverage_min_unit_share') * units_expected
        AND (previous_households IS NULL
             OR households >= setting('coverage_min_household_share') * previous_households) AS complete
FROM shares
ORDER BY year;
