-- Reviewed, poor and near-poor households of the review of $year in every place of the unit set $units, with each
-- district's subtotal and the total: the annual report's results table and its table by ethnic group and
-- social-protection status (reports/annual.py).
--
-- One row per place, `level`:
--   'commune'  every unit of the set (zeros where it has no review that year);
--   'district' each former district's subtotal (former set only: the current set has no districts);
--   'unknown'  former set, a year filed in the current units: the reviews whose former commune is unknown (they count
--              in the total only, as in every other view, `classified_in`);
--   'total'    everything.
-- `unit_name` is the place's display label (`places`). Rates in percent of the place's reviewed households (NULL
-- without any). Ethnic groups are the household head's (`households.ethnicity`): Kinh, Khmer, Hoa, other;
-- `social_protection` the review's beneficiary flag.
WITH has_districts AS (
    SELECT coalesce(bool_or(district_code IS NOT NULL), false) AS yes FROM units WHERE unit_set = $units
),
reviewed AS (
    SELECT commune_code, district_code, status, ethnicity, social_protection, households
    FROM cells_in($units)  -- the stored sums (`classified_cells`), not every review
    WHERE year = $year
),
counted AS (
    SELECT
        report_level(grouping(district_code), grouping(commune_code), commune_code) AS level,
        report_unit(grouping(district_code), grouping(commune_code), district_code, commune_code) AS unit_code,
        sum(households)::BIGINT AS households,
        coalesce(sum(households) FILTER (status = 'poor'), 0)::BIGINT AS poor,
        coalesce(sum(households) FILTER (status = 'near_poor'), 0)::BIGINT AS near_poor,
        coalesce(sum(households) FILTER (status = 'poor' AND in_group(ethnicity, 'kinh')), 0)::BIGINT AS poor_kinh,
        coalesce(sum(households) FILTER (status = 'poor' AND in_group(ethnicity, 'khmer')), 0)::BIGINT AS poor_khmer,
        coalesce(sum(households) FILTER (status = 'poor' AND ethnicity = 'hoa'), 0)::BIGINT AS poor_hoa,
        coalesce(sum(households) FILTER (status = 'poor' AND ethnicity = 'other'), 0)::BIGINT AS poor_other,
        coalesce(sum(households) FILTER (status = 'poor' AND social_protection), 0)::BIGINT AS poor_sp,
        coalesce(sum(households) FILTER (status = 'poor' AND NOT social_protection), 0)::BIGINT AS poor_not_sp,
        coalesce(sum(households) FILTER (status = 'near_poor' AND in_group(ethnicity, 'kinh')), 0)::BIGINT AS near_poor_kinh,
        coalesce(sum(households) FILTER (status = 'near_poor' AND in_group(ethnicity, 'khmer')), 0)::BIGINT AS near_poor_khmer,
        coalesce(sum(households) FILTER (status = 'near_poor' AND ethnicity = 'hoa'), 0)::BIGINT AS near_poor_hoa,
        coalesce(sum(households) FILTER (status = 'near_poor' AND ethnicity = 'other'), 0)::BIGINT AS near_poor_other,
        coalesce(sum(households) FILTER (status = 'near_poor' AND social_protection), 0)::BIGINT AS near_poor_sp,
        coalesce(sum(households) FILTER (status = 'near_poor' AND NOT social_protection), 0)::BIGINT AS near_poor_not_sp
    FROM reviewed
    GROUP BY GROUPING SETS ((district_code, commune_code), (district_code), ())
),
kept AS (  -- no subtotal of the unknown former district, none at all in a set without districts
    SELECT c.* FROM counted AS c, has_districts AS h
    WHERE c.level <> 'district' OR (h.yes AND c.unit_code IS NOT NULL)
),
skeleton AS (  -- every place of the set, reviewed or not, then the rows only the reviews have
    SELECT p.level, p.unit_code, p.unit_name, p.district_code, p.district_name
    FROM places AS p, has_districts AS h
    WHERE p.unit_set = $units AND (p.level = 'commune' OR (p.level = 'district' AND h.yes))
    UNION ALL
    SELECT level, unit_code, NULL, NULL, NULL FROM kept WHERE level = 'unknown'
    UNION ALL
    SELECT 'total', 'total', NULL, NULL, NULL
)
SELECT
    s.level,
    s.unit_code,
    s.unit_name,
    s.district_code,
    s.district_name,
    $year AS year,
    coalesce(k.households, 0) AS households,
    coalesce(k.poor, 0) AS poor,
    coalesce(k.near_poor, 0) AS near_poor,
    100.0 * k.poor / nullif(k.households, 0) AS poor_rate,
    100.0 * k.near_poor / nullif(k.households, 0) AS near_poor_rate,
    coalesce(k.poor_kinh, 0) AS poor_kinh,
    coalesce(k.poor_khmer, 0) AS poor_khmer,
    coalesce(k.poor_hoa, 0) AS poor_hoa,
    coalesce(k.poor_other, 0) AS poor_other,
    coalesce(k.poor_sp, 0) AS poor_sp,
    coalesce(k.poor_not_sp, 0) AS poor_not_sp,
    coalesce(k.near_poor_kinh, 0) AS near_poor_kinh,
    coalesce(k.near_poor_khmer, 0) AS near_poor_khmer,
    coalesce(k.near_poor_hoa, 0) AS near_poor_hoa,
    coalesce(k.near_poor_other, 0) AS near_poor_other,
    coalesce(k.near_poor_sp, 0) AS near_poor_sp,
    coalesce(k.near_poor_not_sp, 0) AS near_poor_not_sp
FROM skeleton AS s
LEFT JOIN kept AS k ON k.level = s.level AND k.unit_code = s.unit_code
ORDER BY CASE s.level WHEN 'total' THEN 3 WHEN 'unknown' THEN 2 ELSE 1 END, s.district_code, s.level = 'commune',
         s.unit_code;
