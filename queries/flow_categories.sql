-- The categories of the flows between reviews (`flow_categories` in data/schema.sql), in their order: per class
-- ('poor', 'near_poor'), side ('out': the class at the review of Y − 1 split by where it is at Y; 'in': the class at
-- Y split by where it was) and flow, the sign it enters the accounting with (end = start + Σ sign × households) and
-- its position. The dashboard reads the order and signs from here rather than restating them.
SELECT class, side, flow, sign, position
FROM flow_categories
ORDER BY class DESC, position;
