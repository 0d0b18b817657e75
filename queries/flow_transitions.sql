-- The year-to-year transition matrix between classes, from the review of $year − 1 to the review of $year, for
-- everything the filters select ($units, $district, $area, $group as in queries/poverty_flows.sql): households
-- and people (members at the end review, else at the start) per `start_class` × `end_class` of `flow_cells`
-- (data/schema.sql): 'poor', 'near_poor', 'average', 'above', 'not_reviewed', 'outside' (reviewed outside an
-- area filter because the unit's area changed). Pairs with no household are absent.
SELECT
    start_class,
    end_class,
    sum(households)::BIGINT AS households,
    sum(coalesce(end_members, start_members))::BIGINT AS people
FROM flow_cells($units, $district, $area, $group)
WHERE year = $year
  -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
  AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
GROUP BY ALL
ORDER BY ALL;
