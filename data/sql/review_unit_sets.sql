-- The unit set each review year (`$years`, a list) is filed in: `review_unit_set`, NULL where no set is in force.
SELECT y AS year, review_unit_set(y) AS unit_set
FROM (SELECT unnest($years::INTEGER[]) AS y)
