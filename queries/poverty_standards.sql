-- The poverty standards in force, with their lines and indicator counts (Method page).
SELECT standard_id, name, legal_basis, first_year, last_year, rural_poverty_line, urban_poverty_line,
       rural_average_line, urban_average_line, min_deprivations, len(indicators) AS indicator_count
FROM standards ORDER BY first_year;
