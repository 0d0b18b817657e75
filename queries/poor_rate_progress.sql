-- Poor and near-poor rates per unit and year, each unit against its own target path, with the progress ratio R.
--
-- $level: 'total' (one row per year for everything the filters select), 'district' or 'commune'.
-- Filters: $district (list of district codes, empty = all), $area ('all', 'urban', 'rural'),
--          $group ('all', 'kinh', 'minority', 'khmer').
--
-- Target path (domain.md §1, values from `targets`, scope 'province', kind 'reduction_points'): the unit's rate in the
-- baseline year (the year before the first reduction step, 2021) minus the cumulative reduction required by each
-- year, never below 0. Final target: the path's last value or the province ceiling (kind 'rate_below', < 1 %),
-- whichever is higher, so a unit already under the ceiling has achieved the plan.
-- R = reduction achieved so far ÷ reduction required so far (domain.md §5); NULL in the baseline year.
WITH selected AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        year,
        status
    FROM classified
    WHERE (len($district) = 0 OR list_contains($district, district_code))
      AND ($area = 'all' OR area = $area)
      AND ($group = 'all'
           OR ($group = 'kinh' AND ethnicity = 'kinh')
           OR ($group = 'minority' AND ethnicity <> 'kinh')
           OR ($group = 'khmer' AND ethnicity = 'khmer'))
),
rates AS (
    SELECT
        unit_code,
        any_value(district_code) AS district_code,
        year,
        count(*) AS households,
        count(*) FILTER (status = 'poor') AS poor_households,
        count(*) FILTER (status = 'near_poor') AS near_poor_households,
        100.0 * count(*) FILTER (status = 'poor') / count(*) AS poor_rate,
        100.0 * count(*) FILTER (status = 'near_poor') / count(*) AS near_poor_rate
    FROM selected
    GROUP BY unit_code, year
),
steps AS (
    SELECT year, sum(value) OVER (ORDER BY year) AS cumulative_reduction
    FROM targets
    WHERE scope = 'province' AND kind = 'reduction_points'
),
plan AS (
    SELECT
        min(year) - 1 AS baseline_year,
        max(cumulative_reduction) AS total_reduction,
        coalesce((SELECT max(value) FROM targets WHERE scope = 'province' AND kind = 'rate_below'), 0) AS ceiling
    FROM steps
),
baseline AS (
    SELECT r.unit_code, r.poor_rate AS baseline_rate, r.near_poor_rate AS baseline_near_poor_rate
    FROM rates AS r, plan
    WHERE r.year = plan.baseline_year
),
progress AS (
    SELECT
        r.*,
        b.baseline_rate,
        b.baseline_near_poor_rate,
        CASE WHEN r.year >= plan.baseline_year
             THEN greatest(0, b.baseline_rate - coalesce(s.cumulative_reduction, 0)) END AS path_rate,
        greatest(0, b.baseline_rate - plan.total_reduction, plan.ceiling) AS final_target
    FROM rates AS r
    CROSS JOIN plan
    LEFT JOIN baseline AS b USING (unit_code)
    ASOF LEFT JOIN steps AS s ON r.year >= s.year
)
SELECT
    p.unit_code,
    CASE $level
        WHEN 'commune' THEN u.commune_name
        WHEN 'district' THEN d.district_name
    END AS unit_name,
    p.district_code,
    d.district_name,
    p.year,
    p.households,
    p.poor_households,
    p.near_poor_households,
    p.poor_rate,
    p.near_poor_rate,
    p.poor_rate + p.near_poor_rate AS poor_and_near_poor_rate,
    p.baseline_rate,
    p.poor_rate - p.baseline_rate AS poor_change_since_baseline,
    p.near_poor_rate - p.baseline_near_poor_rate AS near_poor_change_since_baseline,
    p.poor_rate - lag(p.poor_rate) OVER (PARTITION BY p.unit_code ORDER BY p.year) AS poor_change_since_previous,
    p.near_poor_rate - lag(p.near_poor_rate) OVER (PARTITION BY p.unit_code ORDER BY p.year)
        AS near_poor_change_since_previous,
    p.path_rate,
    p.final_target,
    -- the end goal is the plan's ceiling ("under 1 %"), met only strictly below it, unless the path ends higher
    (p.final_target = plan.ceiling AND plan.ceiling > 0) AS final_target_strict,
    p.baseline_rate - p.path_rate AS reduction_required,
    p.baseline_rate - p.poor_rate AS reduction_achieved,
    (p.baseline_rate - p.poor_rate) / nullif(p.baseline_rate - p.path_rate, 0) AS progress_ratio
FROM progress AS p
CROSS JOIN plan
LEFT JOIN units AS u ON u.commune_code = p.unit_code
LEFT JOIN (SELECT DISTINCT district_code, district_name FROM units) AS d ON d.district_code = p.district_code
ORDER BY p.unit_code, p.year;
