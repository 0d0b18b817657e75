-- One `imports` row per year a file loaded: its SHA-256, name, rows read/loaded/rejected, households new/updated.
INSERT OR REPLACE INTO imports VALUES ($sha, $year, $file, $read, $rows, $rejected, $new, $updated, $at)
