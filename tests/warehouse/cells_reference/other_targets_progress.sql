-- Reference for tests/warehouse/test_cells.py: queries/other_targets_progress.sql as it was before classified_cells (main e9a2bd7),
-- read from every review. The query rewritten on the cells must return the same frame.
-- The plan's other targets (domain.md §1), one row per target and year: the measured value, the target path, the
-- end goal and R, with the path, goal and baseline rules of data/schema.sql (`plan_goals`, `plan_path_value`,
-- `plan_goal_value`, `plan_baseline_year`) that queries/poor_rate_progress.sql uses too.
--
-- Filters as everywhere: $units (the unit set), $district (list, empty = all), $area, $group; each target then keeps
-- its own population.
--   urban / rural       poor rate excluding poor social-protection beneficiaries (they stay in the denominator),
--                       urban = phường + thị trấn, rural = xã; end goal "under X %" (met only strictly below)
--   ethnic_minority     poor rate of households whose head is not Kinh; path 1 point a year, goal the path's end
--   health_insurance_near_poor
--                       % of near-poor households in which every member aged 6+ has health insurance
--                       (indicator d_health_insurance not deprived); goal 100 %
--   health_insurance_escaped
--                       % of the people of the households that escaped poverty in the year (poor at the previous
--                       review, near-poor or above at this one: `household_flows` in data/schema.sql) whose household
--                       is not deprived in health insurance (every member aged 6+ insured) at this review; goal 100 %.
--                       No value in the baseline year (no flow into it), so no path and no pace: judged on its goal
--   income_poor         households poor in the baseline year, followed while they are reviewed: mean over them of
--                       income per capita ÷ the poverty line of their area in that year; goal 2×
-- `direction` is 1 when lower is better and -1 when higher is better; R = improvement achieved ÷ improvement
-- required so far. Also `unreliable` (population under the `min_households_reliable` setting) and `year_complete`.
-- Each figure comes with the households it is computed from (dashboard/disclosure.py hides figures from few
-- households): `population` (the target's households in the year) and `baseline_population` (in the baseline year).
--
-- How it runs (issue 13): one pass over the selection counts its households per year, area, group and class (a few
-- hundred cells) and every rate target is summed from those cells; the escaped households come from
-- `household_flows`; the income target follows the baseline year's poor households by a semi-join on the household
-- key. Nothing the size of the selection is materialised (the former `selected` CTE: 1.1 GB at 10×).
WITH cells AS (
    SELECT year, area, ethnicity, status, count(*) AS households,  -- sums of casts: cheaper than count FILTER here
           sum((NOT social_protection)::INTEGER) AS households_no_sp,
           sum((NOT d_health_insurance)::INTEGER) AS households_insured
    FROM classified_in($units)
    WHERE in_selection(district_code, area, ethnicity, $district, $area, $group)
    GROUP BY ALL
),
baseline_poor AS (
    SELECT household_key FROM classified_in($units)
    WHERE year = plan_baseline_year() AND status = 'poor'
      AND in_selection(district_code, area, ethnicity, $district, $area, $group)
),
followed AS (
    SELECT c.year, count(*) AS population,
           avg(c.income_per_capita / CASE WHEN c.area = 'urban' THEN s.urban_poverty_line ELSE s.rural_poverty_line END)
               AS value
    FROM classified_in($units) AS c
    JOIN standards AS s ON c.year BETWEEN s.first_year AND s.last_year
    WHERE in_selection(c.district_code, c.area, c.ethnicity, $district, $area, $group)
      AND c.household_key IN (SELECT household_key FROM baseline_poor)
    GROUP BY c.year
),
per_year AS (  -- one consumer of `cells`: a CTE read by several is materialised with their filters OR-ed into it
    SELECT year,
           sum(households) FILTER (area = 'urban') AS urban,
           coalesce(sum(households_no_sp) FILTER (area = 'urban' AND status = 'poor'), 0) AS urban_poor,
           sum(households) FILTER (area = 'rural') AS rural,
           coalesce(sum(households_no_sp) FILTER (area = 'rural' AND status = 'poor'), 0) AS rural_poor,
           sum(households) FILTER (ethnicity <> 'kinh') AS minority,
           coalesce(sum(households) FILTER (ethnicity <> 'kinh' AND status = 'poor'), 0) AS minority_poor,
           sum(households) FILTER (status = 'near_poor') AS near_poor,
           sum(households_insured) FILTER (status = 'near_poor') AS near_poor_insured
    FROM cells
    GROUP BY year
),
measures AS (
    SELECT 'urban' AS scope, year, urban::BIGINT AS population, 100.0 * urban_poor / urban AS value
    FROM per_year WHERE urban > 0
    UNION ALL
    SELECT 'rural', year, rural::BIGINT, 100.0 * rural_poor / rural FROM per_year WHERE rural > 0
    UNION ALL
    SELECT 'ethnic_minority', year, minority::BIGINT, 100.0 * minority_poor / minority FROM per_year WHERE minority > 0
    UNION ALL
    SELECT 'health_insurance_near_poor', year, near_poor::BIGINT, 100.0 * near_poor_insured / near_poor
    FROM per_year WHERE near_poor > 0
    UNION ALL
    SELECT 'health_insurance_escaped', year, count(*),
           100.0 * sum(end_members) FILTER (NOT end_d_health_insurance) / sum(end_members)
    FROM household_flows($units, $district, $area, $group)
    -- `escaped_poverty(poor_out)` written on the two classes it is made of (poor at the start, near-poor, average or
    -- above at the end): the same rows without the nested CASE of `poor_out` on every row (a third of the time)
    WHERE start_class = 'poor' AND end_class IN ('near_poor', 'average', 'above')
      -- implied by the selection (households do not move): plain filters DuckDB pushes into the table scan
      AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
    GROUP BY year
    UNION ALL
    SELECT 'income_poor', year, population, value FROM followed
),
with_baseline AS (
    SELECT m.*, b.value AS baseline_value, b.population AS baseline_population, g.path_kind,
           g.goal_kind AS kind, g.ceiling, g.target_year, g.target_value, g.total_reduction, g.label_vi,
           g.label_en, g.direction, g.path_floor,
           plan_baseline_year() AS baseline_year
    FROM measures AS m
    JOIN plan_goals AS g USING (scope)
    LEFT JOIN measures AS b ON b.scope = m.scope AND b.year = plan_baseline_year()
),
pathed AS (
    SELECT w.*,
           plan_path_value(w.path_kind, w.baseline_value, s.cumulative_reduction, w.target_value, w.year,
                           w.baseline_year, w.target_year, w.direction, w.path_floor) AS path_value,
           plan_goal_value(w.ceiling, w.path_kind, w.baseline_value, w.total_reduction, w.target_value,
                           w.path_floor) AS goal_value
    FROM with_baseline AS w
    ASOF LEFT JOIN plan_steps AS s ON s.scope = w.scope AND w.year >= s.year
)
SELECT p.scope, p.kind, p.label_vi, p.label_en, p.year, p.population, p.baseline_population, p.value,
       p.baseline_value, p.path_value, p.goal_value,
       p.ceiling IS NOT NULL AS goal_strict,  -- "under 1 %": met only strictly below the value
       p.target_year, p.direction,
       p.year = p.baseline_year AS is_baseline_year,
       p.direction * (p.baseline_value - p.path_value) AS improvement_required,
       p.direction * (p.baseline_value - p.value) AS improvement_achieved,
       CASE WHEN c.complete
            THEN p.direction * (p.baseline_value - p.value) / nullif(p.direction * (p.baseline_value - p.path_value), 0)
       END AS progress_ratio,
       p.population < setting('min_households_reliable') AS unreliable,
       coalesce(c.complete, false) AS year_complete
FROM pathed AS p
LEFT JOIN review_coverage AS c ON c.year = p.year
ORDER BY CASE p.scope WHEN 'urban' THEN 1 WHEN 'rural' THEN 2 WHEN 'ethnic_minority' THEN 3
                      WHEN 'health_insurance_near_poor' THEN 4 WHEN 'health_insurance_escaped' THEN 5 ELSE 6 END,
         p.year;
