-- The 64 commune-level units with their districts: labels for filters, tables and the map.
-- commune_label: the name to show (the official name, with its district where two units share it: `unit_labels`).
SELECT u.commune_code, u.commune_name, l.commune_label, u.commune_type, u.area, u.district_code, u.district_name
FROM units AS u
LEFT JOIN unit_labels AS l USING (commune_code)
ORDER BY u.district_code, u.commune_code;
