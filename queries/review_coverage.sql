-- Each review year's coverage and whether it counts as complete (the `review_coverage` view in data/schema.sql):
-- units_reviewed, units_expected, households, previous_households, household_share (NULL the first year), complete.
SELECT * FROM review_coverage ORDER BY year;
