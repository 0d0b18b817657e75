-- What the warehouse holds: dataset ('demo' or 'reviews'), seed, build time.
SELECT key, value FROM meta ORDER BY key;
