-- The demo panel's event assumptions behind the flows between reviews (the `panel_events` table, filled by the demo
-- build from data/reference/panel_events.csv; empty for imported reviews), in the file's order (Method page).
SELECT key, value, unit, kind, label_vi, label_en FROM panel_events ORDER BY rowid;
