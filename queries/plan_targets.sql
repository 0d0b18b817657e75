-- The plan's targets as stored in the warehouse (Method page).
SELECT scope, year, kind, value, label_vi, label_en, source FROM targets ORDER BY scope, year, kind;
