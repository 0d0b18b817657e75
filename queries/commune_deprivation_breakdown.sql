-- One commune in one year: for each indicator of the standard in force, the share of households deprived in it,
-- among all reviewed households and among poor households. Filters $area and $group apply; $commune is a code of
-- the unit set $units.
WITH selected AS (
    SELECT *
    FROM classified_in($units)
    WHERE commune_code = $commune
      AND year = $year
      AND ($area = 'all' OR area = $area)
      AND in_group(ethnicity, $group)
),
long AS (
    UNPIVOT (SELECT status, COLUMNS('^d_') FROM selected) ON COLUMNS('^d_') INTO NAME column_name VALUE deprived
)
SELECT
    i.position,
    i.indicator,
    i.dimension,
    i.label_vi,
    i.label_en,
    count(*) AS households,
    100.0 * avg(l.deprived::INTEGER) AS deprived_share_all,
    count(*) FILTER (l.status = 'poor') AS poor_households,
    100.0 * avg(l.deprived::INTEGER) FILTER (l.status = 'poor') AS deprived_share_poor
FROM long AS l
JOIN indicators AS i ON l.column_name = 'd_' || i.indicator
JOIN standards AS s ON s.standard_id = i.standard_id AND $year BETWEEN s.first_year AND s.last_year
GROUP BY ALL
ORDER BY i.position;
