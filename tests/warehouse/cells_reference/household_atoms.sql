-- Reference for tests/warehouse/test_cells.py: queries/household_atoms.sql as it was before classified_cells (main e9a2bd7),
-- read from every review. The query rewritten on the cells must return the same frame.
-- The atoms of every published cell: reviewed households per year, former commune, current unit, area and
-- population-group atom. Every figure the dashboard shows, in either unit set, is computed from a cell that is a sum
-- of these (dashboard/disclosure.py builds the small-cell lattice from them): a unit (the province, a former district
-- or commune, a current unit) × an area filter × a group filter.
--
-- `district_code`, `commune_code`: the household's former district and commune, NULL when its former commune is
-- unknown (a household first reviewed under the current units, from 2025 on: in the former-units view it counts in
-- the province only; dashboard/lattice.py calls it "unknown former commune within its current unit").
-- `current_code`: the current unit (`classified_in('current')`), never NULL.
-- `area`: the area of the unit in force at the review (urban = phường + thị trấn, rural = xã), the column the
-- filters' $area compares; a former commune's households may be rural one year and urban the next.
-- `group_atom`: 'kinh', 'khmer' or 'other' (an ethnic minority other than Khmer), by the same `in_group` macro
-- (data/schema.sql) that the filters' $group uses: 'minority' = khmer + other, 'all' = kinh + minority.
-- Rows with no household are absent (a cell of 0 households is "no data", never a hidden figure).
--
-- Per atom also the households of each class a published rate counts, defined as in queries/poor_rate_progress.sql
-- and queries/other_targets_progress.sql: `poor_households` (status 'poor': poor_rate), `near_poor_households`
-- (status 'near_poor': near_poor_rate; poor + near-poor: poor_and_near_poor_rate) and `poor_excl_sp_households`
-- (poor and not a social-protection household: the urban and rural targets' measure). The lattice hides one more
-- cell where the hidden cells of a relation hold none or only households of a class (each one's rate would be known).
-- Counted per raw ethnicity first and folded into the group atoms after (the atom's CASE on a few thousand cells, not
-- on every review), the classes by sums of casts: a quarter less CPU than counting FILTERs per review (issue 13).
WITH cells AS (
    SELECT year, district_code, commune_code, current_code, area, ethnicity,
           count(*) AS households,
           sum((status = 'poor')::INTEGER) AS poor_households,
           sum((status = 'near_poor')::INTEGER) AS near_poor_households,
           sum((status = 'poor' AND NOT social_protection)::INTEGER) AS poor_excl_sp_households
    FROM classified
    GROUP BY ALL
)
SELECT
    year, district_code, commune_code, current_code, area,
    CASE
        WHEN in_group(ethnicity, 'kinh') THEN 'kinh'
        WHEN in_group(ethnicity, 'khmer') THEN 'khmer'
        ELSE 'other'
    END AS group_atom,
    sum(households)::BIGINT AS households,
    sum(poor_households)::BIGINT AS poor_households,
    sum(near_poor_households)::BIGINT AS near_poor_households,
    sum(poor_excl_sp_households)::BIGINT AS poor_excl_sp_households
FROM cells
GROUP BY ALL
ORDER BY year, district_code NULLS LAST, commune_code NULLS LAST, current_code, area, group_atom;
