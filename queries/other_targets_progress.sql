-- The plan's other targets (domain.md §1), one row per target and year: the measured value, the target path and R.
--
-- Filters as everywhere: $district (list, empty = all), $area, $group; each target then keeps its own population.
--   urban / rural       poor rate excluding poor social-protection beneficiaries (they stay in the denominator),
--                       urban = phường + thị trấn, rural = xã; target kind 'rate_below'
--   ethnic_minority     poor rate of households whose head is not Kinh; kind 'reduction_points' (1 point a year)
--   health_insurance_near_poor
--                       % of near-poor households in which every member aged 6+ has health insurance
--                       (indicator d_health_insurance not deprived); kind 'coverage_min'
--   income_poor         households poor in the baseline year, followed while they are reviewed: mean over them of
--                       income per capita ÷ the poverty line of their area in that year; kind 'ratio_min'
--
-- Paths: 'reduction_points' → baseline minus the cumulative reduction, not below 0; the end-year kinds move in a
-- straight line from the baseline value to the target value at the target year. `direction` is 1 when lower is
-- better and -1 when higher is better; R = improvement achieved ÷ improvement required so far.
WITH selected AS (
    SELECT c.household_id, c.year, c.area, c.ethnicity, c.status, c.social_protection, c.d_health_insurance,
           c.income_per_capita,
           CASE WHEN c.area = 'urban' THEN s.urban_poverty_line ELSE s.rural_poverty_line END AS poverty_line
    FROM classified AS c
    JOIN standards AS s ON c.year BETWEEN s.first_year AND s.last_year
    WHERE (len($district) = 0 OR list_contains($district, c.district_code))
      AND ($area = 'all' OR c.area = $area)
      AND ($group = 'all'
           OR ($group = 'kinh' AND c.ethnicity = 'kinh')
           OR ($group = 'minority' AND c.ethnicity <> 'kinh')
           OR ($group = 'khmer' AND c.ethnicity = 'khmer'))
),
baseline_year AS (
    SELECT min(year) - 1 AS year FROM targets WHERE scope = 'province' AND kind = 'reduction_points'
),
baseline_poor AS (
    SELECT household_id FROM selected WHERE status = 'poor' AND year = (SELECT year FROM baseline_year)
),
measures AS (
    SELECT 'urban' AS scope, year, count(*) AS population,
           100.0 * count(*) FILTER (status = 'poor' AND NOT social_protection) / count(*) AS value
    FROM selected WHERE area = 'urban' GROUP BY year
    UNION ALL
    SELECT 'rural', year, count(*),
           100.0 * count(*) FILTER (status = 'poor' AND NOT social_protection) / count(*)
    FROM selected WHERE area = 'rural' GROUP BY year
    UNION ALL
    SELECT 'ethnic_minority', year, count(*), 100.0 * count(*) FILTER (status = 'poor') / count(*)
    FROM selected WHERE ethnicity <> 'kinh' GROUP BY year
    UNION ALL
    SELECT 'health_insurance_near_poor', year, count(*), 100.0 * count(*) FILTER (NOT d_health_insurance) / count(*)
    FROM selected WHERE status = 'near_poor' GROUP BY year
    UNION ALL
    SELECT 'income_poor', year, count(*), avg(income_per_capita / poverty_line)
    FROM selected WHERE household_id IN (SELECT household_id FROM baseline_poor) GROUP BY year
),
target_rows AS (
    SELECT scope, kind, year, value, label_vi, label_en,
           sum(value) OVER (PARTITION BY scope, kind ORDER BY year) AS cumulative_reduction
    FROM targets
    WHERE scope IN ('urban', 'rural', 'ethnic_minority', 'health_insurance_near_poor', 'income_poor')
),
goals AS (
    -- one goal per scope: its kind, final year and value, and its labels
    SELECT scope,
           any_value(kind) AS kind,
           max(year) AS target_year,
           arg_max(value, year) AS target_value,
           max(cumulative_reduction) AS total_reduction,
           arg_max(label_vi, year) AS label_vi,
           arg_max(label_en, year) AS label_en,
           CASE WHEN any_value(kind) IN ('coverage_min', 'ratio_min') THEN -1 ELSE 1 END AS direction
    FROM target_rows GROUP BY scope
),
with_baseline AS (
    SELECT m.*, b.value AS baseline_value, g.kind, g.target_year, g.target_value, g.total_reduction,
           g.label_vi, g.label_en, g.direction, (SELECT year FROM baseline_year) AS baseline_year
    FROM measures AS m
    JOIN goals AS g USING (scope)
    LEFT JOIN measures AS b ON b.scope = m.scope AND b.year = (SELECT year FROM baseline_year)
),
pathed AS (
    SELECT w.*,
           CASE
               WHEN w.year < w.baseline_year THEN NULL
               WHEN w.kind = 'reduction_points'
                   THEN greatest(0, w.baseline_value - coalesce(
                        (SELECT max(t.cumulative_reduction) FROM target_rows AS t
                         WHERE t.scope = w.scope AND t.year <= w.year), 0))
               -- end-year targets: a straight line from the baseline to the target, only if there is a gap to close
               WHEN w.direction * (w.baseline_value - w.target_value) <= 0 THEN w.baseline_value
               ELSE w.baseline_value + (w.target_value - w.baseline_value)
                    * least(1.0, (w.year - w.baseline_year) / (w.target_year - w.baseline_year))
           END AS path_value,
           CASE WHEN w.kind = 'reduction_points'
                THEN greatest(0, w.baseline_value - w.total_reduction)
                ELSE w.target_value END AS final_target
    FROM with_baseline AS w
)
SELECT scope, kind, label_vi, label_en, year, population, value, baseline_value, path_value, final_target,
       kind = 'rate_below' AS final_target_strict,  -- "under 1 %": met only strictly below the value
       target_year, direction,
       direction * (baseline_value - path_value) AS improvement_required,
       direction * (baseline_value - value) AS improvement_achieved,
       direction * (baseline_value - value) / nullif(direction * (baseline_value - path_value), 0) AS progress_ratio
FROM pathed
ORDER BY CASE scope WHEN 'urban' THEN 1 WHEN 'rural' THEN 2 WHEN 'ethnic_minority' THEN 3
                    WHEN 'health_insurance_near_poor' THEN 4 ELSE 5 END, year;
