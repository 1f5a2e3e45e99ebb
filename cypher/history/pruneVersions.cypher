// Retention: record states that ended before the horizon. A state still valid at the horizon is
// kept, so every record reads as it was from the horizon on. $source: see pruneChangeSets.
MATCH (v:EntityVersion)
WHERE v.validTo < $cutoff AND ($source IS NULL OR v.source = $source)
CALL (v) { DETACH DELETE v } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS removed
