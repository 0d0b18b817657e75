-- Each unit set: how many units it has, the dates it is in force (NULL: open-ended) and the first and last review
-- years filed in it (a review counts on `review_date(year)`, as `review_unit_set` reads it; NULL: open-ended).
SELECT
    s.unit_set,
    count(u.commune_code) AS units,
    s.in_force_from,
    s.in_force_to,
    CASE
        WHEN s.in_force_from IS NULL THEN NULL
        WHEN review_date(year(s.in_force_from)) >= s.in_force_from THEN year(s.in_force_from)
        ELSE year(s.in_force_from) + 1
    END AS first_year,
    CASE
        WHEN s.in_force_to IS NULL THEN NULL
        WHEN review_date(year(s.in_force_to)) <= s.in_force_to THEN year(s.in_force_to)
        ELSE year(s.in_force_to) - 1
    END AS last_year
FROM unit_sets AS s
LEFT JOIN units AS u USING (unit_set)
GROUP BY ALL
ORDER BY s.in_force_from NULLS FIRST
