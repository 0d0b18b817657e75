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
-- The poor households are first counted per unit and vector of deprivation columns (at most a few thousand distinct
-- vectors, however many households: issue 13), and only those vectors are turned into indicator lists; vectors
-- differing only in columns outside the standard give the same combination and are summed.
vectors AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        COLUMNS('^d_'),
        count(*) AS households
    FROM classified_in($units)
    WHERE year = $year
      AND status = 'poor'
      AND in_selection(district_code, area, ethnicity, $district, $area, $group)
      AND ($level = 'total' OR commune_code IS NOT NULL)
      AND ($commune IS NULL OR commune_code = $commune)
    GROUP BY ALL
),
numbered AS (
    SELECT row_number() OVER () AS vector, * FROM vectors
),
long AS (
    UNPIVOT numbered ON COLUMNS('^d_') INTO NAME column_name VALUE deprived
),
per_vector AS (
    SELECT
        l.unit_code,
        l.households,
        coalesce(list(i.indicator ORDER BY i.position) FILTER (l.deprived), []::VARCHAR[]) AS combination
    FROM long AS l
    JOIN indicators AS i ON l.column_name = 'd_' || i.indicator
    JOIN standard AS s ON s.standard_id = i.standard_id
    GROUP BY l.unit_code, l.vector, l.households
),
counted AS (
    SELECT
        unit_code,
        combination,
        sum(households)::BIGINT AS households,
        sum(sum(households)) OVER (PARTITION BY unit_code) AS poor_households
    FROM per_vector
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
