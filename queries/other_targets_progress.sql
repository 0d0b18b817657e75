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
--                       review, near-poor or above at this one: `flow_cells` in data/schema.sql) whose household
--                       is not deprived in health insurance (every member aged 6+ insured) at this review; goal 100 %.
--                       No value in the baseline year (no flow into it), so no path and no pace: judged on its goal
--   income_poor         households poor in the baseline year, followed while they are reviewed: mean over them of
--                       income per capita ÷ the poverty line of their area in that year; goal 2×
-- `direction` is 1 when lower is better and -1 when higher is better; R = improvement achieved ÷ improvement
-- required so far. Also `unreliable` (population under the `min_households_reliable` setting) and `year_complete`.
-- Each figure comes with the households it is computed from (dashboard/disclosure.py hides figures from few
-- households): `population` (the target's households in the year) and `baseline_population` (in the baseline year).
--
-- How it runs (issue 13): every target but the escaped households is summed from `cells_in` (the stored
-- `classified_cells`, a few thousand rows at any scale): one pass counts the selection's households per year, area,
-- group and class, and the income target sums the cells of the households poor in the baseline year (their
-- `baseline_status`; `baseline_area` keeps the area filter on the baseline review, as the selection of the baseline
-- year's poor did). The escaped households come from `flow_cells` (the stored `transition_cells`).
WITH cells AS (
    SELECT year, area, ethnicity, status, sum(households) AS households,
           coalesce(sum(households) FILTER (NOT social_protection), 0) AS households_no_sp,
           sum(households - deprived_health_insurance) AS households_insured
    FROM cells_in($units)
    WHERE in_selection(district_code, area, ethnicity, $district, $area, $group)
    GROUP BY ALL
),
followed AS (
    SELECT year, sum(households)::BIGINT AS population, sum(income_ratio) / sum(households) AS value
    FROM cells_in($units)
    WHERE baseline_status = 'poor' AND ($area = 'all' OR baseline_area = $area)
      AND in_selection(district_code, area, ethnicity, $district, $area, $group)
    GROUP BY year
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
    SELECT 'health_insurance_escaped', year, sum(households)::BIGINT,
           100.0 * sum(end_members) FILTER (NOT end_d_health_insurance) / sum(end_members)
    FROM flow_cells($units, $district, $area, $group)  -- passages summed into cells: count sum(households)
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
