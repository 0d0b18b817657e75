-- The combinations of deprivations that poor households live with, most frequent first (the drivers page's
-- "which deprivations come together"). A combination is the exact set of the standard's indicators a poor household
-- is deprived in, as indicator codes in the standard's position order (`combination`, VARCHAR[]); the indicators
-- are those of the standard in force in $year (`standards` / `indicators`), never a fixed list.
-- Per unit (unit_code, as deprivation_drivers.sql) and combination:
--   households       poor households with exactly that combination
--   poor_households  the unit's poor households (the denominator)
--   share_of_poor    % of the unit's poor households = 100 · households / poor_households
-- At most $limit combinations per unit (ties broken by the combination's order), ordered by unit_code, households
-- desc, combination. Parameters as deprivation_drivers.sql: $units, $level, $district, $area, $group, $year,
-- $commune (NULL = no restriction), plus $limit.
WITH standard AS (
    SELECT standard_id FROM standards WHERE $year BETWEEN first_year AND last_year
),
poor AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        household_key,
        COLUMNS('^d_')
    FROM classified_in($units)
    WHERE year = $year
      AND status = 'poor'
      AND in_selection(district_code, area, ethnicity, $district, $area, $group)
      AND ($level = 'total' OR commune_code IS NOT NULL)
      AND ($commune IS NULL OR commune_code = $commune)
),
long AS (
    UNPIVOT poor ON COLUMNS('^d_') INTO NAME column_name VALUE deprived
),
per_household AS (
    SELECT
        l.unit_code,
        l.household_key,
        coalesce(list(i.indicator ORDER BY i.position) FILTER (l.deprived), []::VARCHAR[]) AS combination
    FROM long AS l
    JOIN indicators AS i ON l.column_name = 'd_' || i.indicator
    JOIN standard AS s ON s.standard_id = i.standard_id
    GROUP BY l.unit_code, l.household_key
),
counted AS (
    SELECT
        unit_code,
        combination,
        count(*) AS households,
        sum(count(*)) OVER (PARTITION BY unit_code) AS poor_households
    FROM per_household
    GROUP BY unit_code, combination
)
SELECT
    unit_code,
    combination,
    households,
    poor_households::BIGINT AS poor_households,
    100.0 * households / poor_households AS share_of_poor
FROM counted
QUALIFY row_number() OVER (PARTITION BY unit_code ORDER BY households DESC, combination) <= $limit
ORDER BY unit_code, households DESC, combination;
