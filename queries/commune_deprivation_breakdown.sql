-- One commune in one year: for each indicator of the standard in force, the share of households deprived in it,
-- among all reviewed households and among poor households. Filters $area and $group apply; $commune is a code of
-- the unit set $units.
-- Summed from `cells_in` (the stored `classified_cells`, issue 13): each share is the cells' count of households
-- deprived in the indicator over their households, turned into rows by an UNPIVOT of a dozen sums.
WITH selected AS NOT MATERIALIZED (
    SELECT status, households, COLUMNS('^deprived_')
    FROM cells_in($units)
    WHERE commune_code = $commune
      AND year = $year
      AND ($area = 'all' OR area = $area)
      AND in_group(ethnicity, $group)
),
counts AS (
    SELECT coalesce(sum(households), 0)::BIGINT AS households,
           coalesce(sum(households) FILTER (status = 'poor'), 0)::BIGINT AS poor_households
    FROM selected
),
shares_all AS (
    UNPIVOT (SELECT sum(COLUMNS('^deprived_')) / sum(households) FROM selected)
    ON COLUMNS('^deprived_') INTO NAME column_name VALUE deprived_share
),
shares_poor AS (
    UNPIVOT (SELECT sum(COLUMNS('^deprived_')) / sum(households) FROM selected WHERE status = 'poor')
    ON COLUMNS('^deprived_') INTO NAME column_name VALUE deprived_share
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
JOIN shares_all AS a ON a.column_name = 'deprived_' || i.indicator
LEFT JOIN shares_poor AS p ON p.column_name = 'deprived_' || i.indicator
WHERE c.households > 0
ORDER BY i.position;
