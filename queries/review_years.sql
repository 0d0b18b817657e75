-- The review years present in the warehouse (the year filter offers exactly these). From `classified` (one row per
-- review; every review is classified), not the `reviews` view, which joins every review to its household.
SELECT DISTINCT year FROM classified ORDER BY year;
