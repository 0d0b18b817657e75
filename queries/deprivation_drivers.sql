-- Deprivation drivers: for each unit and each indicator of the standard in force in $year, which deprivations keep
-- its households poor (the OPHI / UNDP multidimensional-poverty decomposition, applied to the review's rule).
-- One row per unit × indicator of that standard (`standards` / `indicators`: never a fixed list), ordered by
-- unit_code, position. Definitions, per unit-year (households = the unit's reviewed households the filters select):
--   households          reviewed households (the disclosure cell, dashboard/disclosure.py)
--   poor_households     of them poor (`status = 'poor'`, the standard's rule in `classified`)
--   deprived_poor       households poor AND deprived in the indicator (NULL only when the reviews carry no column
--                       for the indicator)
--   censored_headcount  % of ALL households that are poor and deprived in it = 100 · deprived_poor / households
--                       (OPHI's censored headcount ratio; the poor rate's share from this indicator's side)
--   share_among_poor    % of the poor households deprived in it = 100 · deprived_poor / poor_households (NULL: no poor)
--   contribution        % of all deprivations of the poor that are this indicator's = 100 · deprived_poor / Σ over
--                       the standard's indicators of deprived_poor (NULL when that sum is 0); sums to 100 per unit
--   intensity           mean deprivation count (deprivations, out of the standard's indicators) of the poor
--                       households, repeated on each row of the unit (NULL: no poor). Σ deprived_poor =
--                       intensity · poor_households, since `deprivation_count` counts the standard's indicators only.
-- Rates in percent of households; intensity in deprivations per poor household.
--
-- $units: the unit set ('former' or 'current', `classified_in`); $level: 'total' (unit_code 'total': everything the
-- filters select), 'district' or 'commune' (in the current set, which has no districts, both are the 25 units);
-- $district, $area, $group: the filters as in poor_rate_progress.sql (`in_selection`); $year: the review year;
-- $commune: a commune code of the set $units (a former commune or a current unit) the rows are restricted to, or
-- NULL for no restriction. In the former set a review from 2025 on of a household whose former commune is unknown
-- counts in the total only.
WITH standard AS (
    SELECT standard_id FROM standards WHERE $year BETWEEN first_year AND last_year
),
-- Summed from `cells_in` (the stored `classified_cells`, issue 13): the selected cells are read twice, once for each
-- unit's households, poor and intensity, once for its poor only summing every indicator column, whose sums are then
-- turned into rows.
selected AS NOT MATERIALIZED (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        status,
        households,
        deprivations,
        COLUMNS('^deprived_')
    FROM cells_in($units)
    WHERE year = $year
      AND in_selection(district_code, area, ethnicity, $district, $area, $group)
      AND ($level = 'total' OR commune_code IS NOT NULL)
      AND ($commune IS NULL OR commune_code = $commune)
),
per_unit AS (
    SELECT
        unit_code,
        any_value(district_code) AS district_code,
        sum(households)::BIGINT AS households,
        coalesce(sum(households) FILTER (status = 'poor'), 0)::BIGINT AS poor_households,
        sum(deprivations) FILTER (status = 'poor') / sum(households) FILTER (status = 'poor') AS intensity
    FROM selected
    GROUP BY unit_code
),
per_indicator AS (
    UNPIVOT (SELECT unit_code, sum(COLUMNS('^deprived_'))::BIGINT FROM selected WHERE status = 'poor' GROUP BY unit_code)
    ON COLUMNS('^deprived_') INTO NAME column_name VALUE deprived_poor
),
rows AS (
    SELECT
        u.unit_code,
        u.district_code,
        i.standard_id,
        i.indicator,
        i.position,
        i.dimension,
        i.label_vi,
        i.label_en,
        u.households,
        u.poor_households,
        CASE WHEN u.poor_households = 0 THEN 0 ELSE c.deprived_poor END AS deprived_poor,
        u.intensity
    FROM per_unit AS u
    CROSS JOIN standard AS s
    JOIN indicators AS i ON i.standard_id = s.standard_id
    LEFT JOIN per_indicator AS c ON c.unit_code = u.unit_code AND c.column_name = 'deprived_' || i.indicator
)
SELECT
    r.unit_code,
    l.unit_name,  -- as poor_rate_progress: `places` (NULL for the total)
    r.district_code,
    $year::INTEGER AS year,
    r.standard_id,
    r.indicator,
    r.position,
    r.dimension,
    r.label_vi,
    r.label_en,
    r.households,
    r.poor_households,
    r.deprived_poor,
    100.0 * r.deprived_poor / r.households AS censored_headcount,
    100.0 * r.deprived_poor / nullif(r.poor_households, 0) AS share_among_poor,
    100.0 * r.deprived_poor / nullif(sum(r.deprived_poor) OVER (PARTITION BY r.unit_code), 0) AS contribution,
    r.intensity
FROM rows AS r
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = r.unit_code
ORDER BY r.unit_code, r.position;
