-- The flows of poor and near-poor households from the review of $year − 1 to the review of $year, per unit: the
-- accounting of `flow_categories` over `flow_cells` (data/schema.sql), one row per unit, class, side and
-- category that has households (absent: none). `households` and `people` (members at the side's review: the start
-- review for side 'out', the end review for side 'in').
--
-- $units: the unit set ('former' or 'current'); $level: 'total' (everything the filters select), 'district' or
-- 'commune' (in the current set, which has no districts, both are the 25 units); filters $district, $area, $group
-- as everywhere (queries/poor_rate_progress.sql). In the former set a household known only under the current
-- units counts in the total only.
-- The cells the figures come from (the unit's selected reviews at $year − 1 and at $year, which
-- dashboard/disclosure.py judges) are queries/flow_units.sql's `start_households` / `end_households`.
WITH flows AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        *  EXCLUDE (district_code)
    FROM flow_cells($units, $district, $area, $group)
    WHERE year = $year AND ($level = 'total' OR commune_code IS NOT NULL)
      -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
      AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
      -- implied: only passages from or into a poor or near-poor review have a category (tested on the two classes
      -- before the four categories' CASEs are worked out)
      AND (start_class IN ('poor', 'near_poor') OR end_class IN ('poor', 'near_poor'))
),
-- The year's cells (passages summed: `transition_cells`) are counted once per unit and combination of the four
-- categories (a few dozen groups) and only those counts are split into the accounting's rows (issue 13).
grouped AS (
    SELECT unit_code, any_value(district_code) AS district_code, poor_out, poor_in, near_poor_out, near_poor_in,
           sum(households) AS households, sum(start_members) AS start_people, sum(end_members) AS end_people
    FROM flows
    GROUP BY unit_code, poor_out, poor_in, near_poor_out, near_poor_in
),
long AS (
    SELECT unit_code, district_code, 'poor' AS class, 'out' AS side, poor_out AS flow, households,
           start_people AS people
    FROM grouped WHERE poor_out IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'poor', 'in', poor_in, households, end_people FROM grouped WHERE poor_in IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'near_poor', 'out', near_poor_out, households, start_people
    FROM grouped WHERE near_poor_out IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'near_poor', 'in', near_poor_in, households, end_people
    FROM grouped WHERE near_poor_in IS NOT NULL
),
counted AS (
    SELECT unit_code, any_value(district_code) AS district_code, class, side, flow,
           sum(households)::BIGINT AS households, sum(people)::BIGINT AS people
    FROM long GROUP BY unit_code, class, side, flow
)
SELECT
    c.unit_code,
    l.unit_name,
    c.district_code,
    d.district_name,
    $year AS year,
    k.class,
    k.side,
    k.flow,
    k.sign,
    k.position,
    c.households,
    c.people
FROM counted AS c
JOIN flow_categories AS k USING (class, side, flow)
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = c.unit_code
LEFT JOIN places AS d ON d.unit_set = $units AND d.level = 'district' AND d.unit_code = c.district_code
ORDER BY c.unit_code, k.class DESC, k.position;
