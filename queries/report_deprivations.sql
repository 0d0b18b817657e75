-- Poor and near-poor households of the review of $year deprived in each indicator of the standard in force that
-- year, in every place of the unit set $units with each district's subtotal and the total: the annual report's
-- deprivation tables (reports/annual.py). Places and `level` as queries/report_households.sql; a place without
-- households of a class has no rows for it (read as 0), except the total, which has a row for every class and
-- indicator. `households`: the class's households in the place; `deprived`: those deprived in the indicator;
-- `deprived_rate`: percent of `households` (NULL without any).
WITH has_districts AS (
    SELECT coalesce(bool_or(district_code IS NOT NULL), false) AS yes FROM units WHERE unit_set = $units
),
reviewed AS (  -- the stored sums (`classified_cells`), not every review
    SELECT commune_code, district_code, status AS class, households, COLUMNS('^deprived_')
    FROM cells_in($units)
    WHERE year = $year AND status IN ('poor', 'near_poor')
),
long AS (
    UNPIVOT reviewed ON COLUMNS('^deprived_') INTO NAME column_name VALUE deprived
),
counted AS (
    SELECT
        report_level(grouping(district_code), grouping(commune_code), commune_code) AS level,
        report_unit(grouping(district_code), grouping(commune_code), district_code, commune_code) AS unit_code,
        class,
        column_name,
        sum(households)::BIGINT AS households,
        sum(deprived)::BIGINT AS deprived
    FROM long
    GROUP BY GROUPING SETS ((class, column_name, district_code, commune_code), (class, column_name, district_code),
                            (class, column_name))
),
kept AS (
    SELECT c.* FROM counted AS c, has_districts AS h
    WHERE c.level <> 'district' OR (h.yes AND c.unit_code IS NOT NULL)
),
indicators_in_force AS (
    SELECT i.indicator, i.position, i.dimension, i.label_vi, i.label_en
    FROM indicators AS i
    JOIN standards AS s ON s.standard_id = i.standard_id AND $year BETWEEN s.first_year AND s.last_year
    WHERE list_contains(s.indicators, i.indicator)
),
classes AS (SELECT * FROM (VALUES ('poor'), ('near_poor')) AS t (class))
SELECT
    k.level,
    k.unit_code,
    k.class,
    i.indicator,
    i.position,
    i.dimension,
    i.label_vi,
    i.label_en,
    k.households,
    k.deprived,
    100.0 * k.deprived / nullif(k.households, 0) AS deprived_rate
FROM kept AS k
JOIN indicators_in_force AS i ON k.column_name = 'deprived_' || i.indicator
UNION ALL
SELECT 'total', 'total', c.class, i.indicator, i.position, i.dimension, i.label_vi, i.label_en, 0, 0, NULL
FROM indicators_in_force AS i
CROSS JOIN classes AS c
WHERE NOT EXISTS (SELECT 1 FROM kept AS k
                  WHERE k.level = 'total' AND k.class = c.class AND k.column_name = 'deprived_' || i.indicator)
ORDER BY level, unit_code, class DESC, position;
