-- The demo scenario's province figures per year and whether each is a published fact or an assumption.
SELECT year, poor_rate, near_poor_rate, average_rate, kind, source FROM calibration ORDER BY year;
