-- The 64 commune-level units with their districts: labels for filters, tables and the map.
SELECT commune_code, commune_name, commune_type, area, district_code, district_name
FROM units
ORDER BY district_code, commune_code;
