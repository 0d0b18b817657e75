-- The review years present in the warehouse (the year filter offers exactly these).
SELECT DISTINCT year FROM reviews ORDER BY year;
