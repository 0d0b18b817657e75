-- Reference for tests/warehouse/test_cells.py: queries/commune_deprivation_breakdown.sql as it was before classified_cells (main e9a2bd7),
-- read from every review. The query rewritten on the cells must return the same frame.
-- One commune in one year: for each indicator of the standard in force, the share of households deprived in it,
-- among all reviewed households and among poor households. Filters $area and $group apply; $commune is a code of
-- the unit set $units.
-- Each share is one average per indicator column over the commune's reviews (the indicator columns are never NULL),
-- turned into rows afterwards: the reviews are read twice (all, and the poor alone, a filter DuckDB pushes into the
-- table scan), never unpivoted row by row (12 rows per review).
WITH selected AS NOT MATERIALIZED (
    SELECT status, COLUMNS('^d_')
    FROM classified_in($units)
    WHERE commune_code = $commune
      AND year = $year
      AND ($area = 'all' OR area = $area)
      AND in_group(ethnicity, $group)
),
counts AS (
    SELECT count(*) AS households, count(*) FILTER (status = 'poor') AS poor_households FROM selected
),
shares_all AS (
    UNPIVOT (SELECT avg(COLUMNS('^d_')::INTEGER) FROM selected)
    ON COLUMNS('^d_') INTO NAME column_name VALUE deprived_share
),
shares_poor AS (
    UNPIVOT (SELECT avg(COLUMNS('^d_')::INTEGER) FROM selected WHERE status = 'poor')
    ON COLUMNS('^d_') INTO NAME column_name VALUE deprived_share
)
SELECT
    i.position,
    i.indicator,
    i.dimension,
    i.label_vi,
    i.label_en,
    c.households,
    100.0 * a.deprived_share AS deprived_share_all,
    c.poor_households,
    100.0 * p.deprived_share AS deprived_share_poor
FROM indicators AS i
JOIN standards AS s ON s.standard_id = i.standard_id AND $year BETWEEN s.first_year AND s.last_year
CROSS JOIN counts AS c
JOIN shares_all AS a ON a.column_name = 'd_' || i.indicator
LEFT JOIN shares_poor AS p ON p.column_name = 'd_' || i.indicator
WHERE c.households > 0
ORDER BY i.position;
