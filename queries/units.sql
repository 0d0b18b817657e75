-- The units of both sets with their districts: labels for filters, tables and the map. A unit is (unit_set,
-- commune_code): a code may mean different units in the two sets. `current_code`: the current unit a former unit lies
-- in (NULL for current units). commune_label: the name to show (`unit_labels`).
SELECT u.unit_set, u.commune_code, u.commune_name, l.commune_label, u.commune_type, u.area, u.district_code,
       u.district_name, w.current_code
FROM units AS u
LEFT JOIN unit_labels AS l USING (unit_set, commune_code)
LEFT JOIN unit_crosswalk AS w ON u.unit_set = 'former' AND w.former_code = u.commune_code
ORDER BY u.unit_set DESC, u.district_code, u.commune_code;
