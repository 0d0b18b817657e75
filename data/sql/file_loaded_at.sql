-- When a file (by its SHA-256) was first imported, or NULL if never.
SELECT min(loaded_at) FROM imports WHERE sha256 = $sha
