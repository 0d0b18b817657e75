-- The indicators of each standard with their dimension and labels (Method page).
SELECT standard_id, position, indicator, dimension, label_vi, label_en FROM indicators ORDER BY standard_id, position;
