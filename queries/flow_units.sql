-- Per unit, from the review of $year − 1 to the review of $year: the cells the unit's flows come from and the health
-- insurance of the people of the households that escaped poverty (the plan's target "health-insurance cards for
-- 100 % of people in households that have just escaped poverty", measured per unit as
-- queries/other_targets_progress.sql measures it for the selection). One row per unit with a selected review in
-- either year, so units without any poor or near-poor household are listed too (queries/poverty_flows.sql has rows
-- only for categories with households).
--
-- Parameters as queries/poverty_flows.sql: $units, $level ('total', 'district' or 'commune'), $district, $area,
-- $group, $year.
--   start_households / end_households   the unit's selected reviews at $year − 1 / $year (its two cells; the same
--                                        figures as poverty_flows' columns of those names)
--   escaped_households                   poor at $year − 1, near-poor or above at $year (`flow_cells.poor_out`
--                                        'escaped_to_near_poor' or 'escaped_above')
--   escaped_people, insured_people       their members at $year, and those of them whose household is not deprived
--                                        in health insurance at $year (every member aged 6+ insured)
--   insured_share                        insured_people ÷ escaped_people, percent (NULL without escaped households)
WITH flows AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        * EXCLUDE (district_code),
        escaped_poverty(poor_out) AS escaped
    FROM flow_cells($units, $district, $area, $group)
    WHERE year = $year AND ($level = 'total' OR commune_code IS NOT NULL)
      -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
      AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
),
per_unit AS (
    SELECT
        unit_code,
        any_value(district_code) AS district_code,
        -- a cell's members are NULL exactly when its review at that end is not selected (members are NOT NULL)
        coalesce(sum(households) FILTER (start_members IS NOT NULL), 0)::BIGINT AS start_households,
        coalesce(sum(households) FILTER (end_members IS NOT NULL), 0)::BIGINT AS end_households,
        coalesce(sum(households) FILTER (escaped), 0)::BIGINT AS escaped_households,
        coalesce(sum(end_members) FILTER (escaped), 0)::BIGINT AS escaped_people,
        coalesce(sum(end_members) FILTER (escaped AND NOT end_d_health_insurance), 0)::BIGINT AS insured_people
    FROM flows
    GROUP BY unit_code
)
SELECT
    u.unit_code,
    l.unit_name,
    u.district_code,
    d.district_name,
    $year AS year,
    u.start_households,
    u.end_households,
    u.escaped_households,
    u.escaped_people,
    u.insured_people,
    100.0 * u.insured_people / nullif(u.escaped_people, 0) AS insured_share
FROM per_unit AS u
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = u.unit_code
LEFT JOIN places AS d ON d.unit_set = $units AND d.level = 'district' AND d.unit_code = u.district_code
ORDER BY u.unit_code;
