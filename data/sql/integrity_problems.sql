-- The rules data/schema.sql states but does not declare on its large tables, checked: one row per rule with how many
-- households or reviews break it (`broken`) and up to $n examples (`examples`, VARCHAR[]: household codes, or keys
-- '#123' for a household that is missing). $years (INTEGER[] or NULL = every year): the review years to check;
-- households are always checked in full.
--   household_key_twice   a household key given to more than one household
--   household_id_twice    a household code on more than one household
--   review_twice          a (household_key, year) with more than one review
--   review_no_household   a review whose household key is not in households
WITH checked_reviews AS (
    SELECT household_key, year FROM review_rows WHERE $years IS NULL OR list_contains($years, year)
),
one_code AS (
    SELECT household_key, min(household_id) AS household_id FROM households GROUP BY household_key
),
keys_twice AS (
    SELECT household_key FROM households GROUP BY household_key HAVING count(*) > 1
),
codes_twice AS (
    SELECT household_id FROM households GROUP BY household_id HAVING count(*) > 1
),
reviews_twice AS (
    SELECT household_key FROM checked_reviews GROUP BY household_key, year HAVING count(*) > 1
),
orphans AS (
    SELECT household_key FROM checked_reviews ANTI JOIN households USING (household_key)
)
SELECT 'household_key_twice' AS rule, count(*) AS broken,
       list('#' || household_key ORDER BY household_key)[:$n] AS examples
FROM keys_twice
UNION ALL
SELECT 'household_id_twice', count(*), list(household_id ORDER BY household_id)[:$n]
FROM codes_twice
UNION ALL
SELECT 'review_twice', count(*), list(coalesce(c.household_id, '#' || d.household_key) ORDER BY d.household_key)[:$n]
FROM reviews_twice AS d LEFT JOIN one_code AS c USING (household_key)
UNION ALL
SELECT 'review_no_household', count(*),
       list_transform(list(DISTINCT household_key ORDER BY household_key)[:$n], lambda k: '#' || k)
FROM orphans
