-- The plan's end goals, one row per target scope (the `plan_goals` view of data/schema.sql), for the verdict of its
-- final year (dashboard/verdict.py): the goal's kind ('rate_below' a ceiling, 'reduction_points' a path's end,
-- 'coverage_min', 'ratio_min'), its year, ceiling or target value, `direction` (1: lower is better), and the
-- label of the target row that states it. Province first, then the other targets in the plan's order.
SELECT g.scope, g.goal_kind, g.target_year, g.ceiling, g.target_value, g.direction,
       coalesce(t.label_vi, g.label_vi) AS label_vi, coalesce(t.label_en, g.label_en) AS label_en
FROM plan_goals AS g
LEFT JOIN targets AS t ON t.scope = g.scope AND t.kind = g.goal_kind AND t.year = g.target_year
ORDER BY CASE g.scope WHEN 'province' THEN 0 WHEN 'urban' THEN 1 WHEN 'rural' THEN 2 WHEN 'ethnic_minority' THEN 3
                      WHEN 'health_insurance_near_poor' THEN 4 WHEN 'health_insurance_escaped' THEN 5 ELSE 6 END,
         g.scope;
