-- The dashboard's rules stored as data (data/reference/settings.csv): key, value, description.
SELECT key, value, description FROM settings ORDER BY key;
