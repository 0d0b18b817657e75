-- The atoms of every published cell: reviewed households per year, commune, area and population-group atom.
-- Every figure the dashboard shows is computed from a cell that is a sum of these (dashboard/disclosure.py builds
-- the small-cell lattice from them): a unit (province, district, commune) × an area filter × a group filter.
--
-- `area`: the commune's area (urban = phường + thị trấn, rural = xã), the column the filters' $area compares.
-- `group_atom`: 'kinh', 'khmer' or 'other' (an ethnic minority other than Khmer), by the same `in_group` macro
-- (data/schema.sql) that the filters' $group uses: 'minority' = khmer + other, 'all' = kinh + minority.
-- Rows with no household are absent (a cell of 0 households is "no data", never a hidden figure).
SELECT
    year,
    district_code,
    commune_code,
    area,
    CASE
        WHEN in_group(ethnicity, 'kinh') THEN 'kinh'
        WHEN in_group(ethnicity, 'khmer') THEN 'khmer'
        ELSE 'other'
    END AS group_atom,
    count(*) AS households
FROM classified
GROUP BY ALL
ORDER BY year, district_code, commune_code, area, group_atom;
