-- The poor and near-poor rate of one review year after an import: share of all reviewed households, in percent.
SELECT
    $year::INTEGER                                                         AS year,
    count(*)                                                               AS households,
    coalesce(100.0 * count(*) FILTER (status = 'poor') / nullif(count(*), 0), 0)      AS poor_rate,
    coalesce(100.0 * count(*) FILTER (status = 'near_poor') / nullif(count(*), 0), 0) AS near_poor_rate
FROM classified
WHERE year = $year;
