// Retention: relationships that ended before the horizon (WAS copies); live ones are never touched.
// $source, the source of the record each starts from: see pruneChangeSets.
MATCH (a)-[w:WAS]->()
WHERE w.validTo < $cutoff AND ($source IS NULL OR a.source = $source)
CALL (w) { DELETE w } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS removed
