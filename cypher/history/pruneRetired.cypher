// Retention: records deleted before the horizon, with whatever history is still attached to them
// (their relationships all ended when they were retired). Such a record sent again is new: a new id.
// $source: see pruneChangeSets.
MATCH (n:Retired)
WHERE n.retiredAt < $cutoff AND ($source IS NULL OR n.source = $source)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS removed
