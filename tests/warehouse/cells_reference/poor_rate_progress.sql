-- Reference for tests/warehouse/test_cells.py: queries/poor_rate_progress.sql as it was before classified_cells (main e9a2bd7),
-- read from every review. The query rewritten on the cells must return the same frame.
-- Poor and near-poor rates per unit and year, each unit judged twice (never conflated):
--   pace  R = reduction achieved ÷ reduction required so far on the unit's OWN target path (domain.md §5);
--   goal  the plan's end goal for the selection (`goal_value`, `goal_strict`: a ceiling such as "under 1 %" is met
--         only strictly below it), judged on the same measure.
-- Which target judges the selection is `plan_scope($area, $group)` (data/schema.sql): the province path, the
-- ethnic-minority path, or the urban / rural ceiling. The urban and rural targets do not count poor social-protection
-- households (they stay in the denominator), so for them `measure_value` is that rate; otherwise it is `poor_rate`.
--
-- $units: the unit set the view is in ('former' or 'current', `classified_in` in data/schema.sql).
-- $level: 'total' (one row per year for everything the filters select), 'district' or 'commune' (in the current set,
-- which has no districts, both are the 25 units).
-- Filters: $district (list of district codes, or of current unit codes in the current set; empty = all), $area
--          ('all', 'urban', 'rural': the area in force at each review), $group ('all', 'kinh', 'minority', 'khmer').
-- In the former set a review from 2025 on of a household whose former commune is unknown counts in the total only.
-- Also per row: `unreliable` (fewer households than the `min_households_reliable` setting) and `year_complete`
-- (the `review_coverage` view's rule); rates in percent, changes in percentage points. Every figure comes with the
-- households of the cells it is computed from (dashboard/disclosure.py hides figures from few households):
-- `households` (the row's unit-year), `baseline_households` (the unit's baseline year: baseline, path, changes since
-- it, R) and `previous_households` (the unit's previous year: the change since the previous year).
WITH selected AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        year,
        status,
        social_protection
    FROM classified_in($units)
    WHERE in_selection(district_code, area, ethnicity, $district, $area, $group)
      AND ($level = 'total' OR commune_code IS NOT NULL)
),
rates AS (
    SELECT
        unit_code,
        any_value(district_code) AS district_code,
        year,
        count(*) AS households,
        -- sums of casts: cheaper than count FILTER over every selected review (issue 13)
        sum((status = 'poor')::INTEGER)::BIGINT AS poor_households,
        sum((status = 'near_poor')::INTEGER)::BIGINT AS near_poor_households,
        100.0 * poor_households / households AS poor_rate,
        100.0 * near_poor_households / households AS near_poor_rate,
        100.0 * sum((status = 'poor' AND NOT social_protection)::INTEGER) / households AS poor_rate_excl_sp
    FROM selected
    GROUP BY unit_code, year
),
goal AS (
    SELECT g.*, plan_baseline_year() AS baseline_year
    FROM plan_goals AS g
    WHERE g.scope = plan_scope($area, $group)
),
measured AS (
    SELECT
        r.*,
        CASE WHEN goal.scope IN ('urban', 'rural') THEN r.poor_rate_excl_sp ELSE r.poor_rate END AS measure_value
    FROM rates AS r, goal
),
baseline AS (
    SELECT m.unit_code, m.poor_rate AS baseline_rate, m.near_poor_rate AS baseline_near_poor_rate,
           m.measure_value AS measure_baseline, m.households AS baseline_households
    FROM measured AS m, goal
    WHERE m.year = goal.baseline_year
),
progress AS (
    SELECT
        m.*,
        b.baseline_rate,
        b.baseline_near_poor_rate,
        b.measure_baseline,
        b.baseline_households,
        plan_path_value(goal.path_kind, b.measure_baseline, s.cumulative_reduction, goal.target_value, m.year,
                        goal.baseline_year, goal.target_year, goal.direction, goal.path_floor) AS path_rate,
        plan_goal_value(goal.ceiling, goal.path_kind, b.measure_baseline, goal.total_reduction, goal.target_value,
                        goal.path_floor) AS goal_value
    FROM measured AS m
    CROSS JOIN goal
    LEFT JOIN baseline AS b USING (unit_code)
    ASOF LEFT JOIN (SELECT year, cumulative_reduction FROM plan_steps WHERE scope = plan_scope($area, $group)) AS s
        ON m.year >= s.year
)
SELECT
    p.unit_code,
    l.unit_name,  -- a commune's official name, with its district where two share it (`places`)
    p.district_code,
    d.district_name,
    p.year,
    p.households,
    p.baseline_households,
    CASE WHEN lag(p.year) OVER w = p.year - 1 THEN lag(p.households) OVER w END AS previous_households,
    p.poor_households,
    p.near_poor_households,
    p.poor_rate,
    p.near_poor_rate,
    p.poor_rate + p.near_poor_rate AS poor_and_near_poor_rate,
    p.baseline_rate,
    p.poor_rate - p.baseline_rate AS poor_change_since_baseline,
    p.near_poor_rate - p.baseline_near_poor_rate AS near_poor_change_since_baseline,
    -- against the review one year earlier only (a unit with a gap has no change "since the previous year"), and
    -- never for a partial year (a few households are no trend)
    CASE WHEN lag(p.year) OVER w = p.year - 1 AND c.complete THEN p.poor_rate - lag(p.poor_rate) OVER w END
        AS poor_change_since_previous,
    CASE WHEN lag(p.year) OVER w = p.year - 1 AND c.complete THEN p.near_poor_rate - lag(p.near_poor_rate) OVER w END
        AS near_poor_change_since_previous,
    goal.scope AS target_scope,
    CASE WHEN goal.scope IN ('urban', 'rural') THEN 'poor_rate_excl_sp' ELSE 'poor_rate' END AS measure,
    p.measure_value,
    p.measure_baseline,
    p.path_rate,
    p.year = goal.baseline_year AS is_baseline_year,
    p.measure_value - p.measure_baseline AS measure_change_since_baseline,
    p.measure_baseline - p.path_rate AS reduction_required,
    p.measure_baseline - p.measure_value AS reduction_achieved,
    -- R: not for a partial year (never judged on its own)
    CASE WHEN c.complete
         THEN (p.measure_baseline - p.measure_value) / nullif(p.measure_baseline - p.path_rate, 0) END
        AS progress_ratio,
    p.goal_value,
    goal.ceiling IS NOT NULL AS goal_strict,
    goal.goal_kind,
    goal.target_year AS goal_year,
    st.standard_id,  -- the poverty standard in force at the review (queries/pace.py fits a pace within one standard)
    p.households < setting('min_households_reliable') AS unreliable,
    coalesce(c.complete, false) AS year_complete
FROM progress AS p
CROSS JOIN goal
LEFT JOIN review_coverage AS c ON c.year = p.year
LEFT JOIN standards AS st ON p.year BETWEEN st.first_year AND st.last_year
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = p.unit_code
LEFT JOIN places AS d ON d.unit_set = $units AND d.level = 'district' AND d.unit_code = p.district_code
WINDOW w AS (PARTITION BY p.unit_code ORDER BY p.year)
ORDER BY p.unit_code, p.year;
