-- The plan's targets as stored in the warehouse (Method page, the plan's wording), each with the plan's baseline
-- year (`plan_baseline_year` in data/schema.sql: the one definition of it).
SELECT scope, year, kind, value, label_vi, label_en, source, plan_baseline_year() AS baseline_year
FROM targets ORDER BY scope, year, kind;
