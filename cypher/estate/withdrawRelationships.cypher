// Takes a source's assertion off relationships; one that no source asserts any more is deleted.
// From the start end (see findRelationshipsBetween for why).
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId})
MATCH (a)-[r]->(b)
WHERE b.id = row.toId AND type(r) = row.type
SET r.sources = [s IN r.sources WHERE s <> row.source]
WITH r, size(r.sources) = 0 AS orphaned
FOREACH (_ IN CASE WHEN orphaned THEN [1] ELSE [] END | DELETE r)
RETURN sum(CASE WHEN orphaned THEN 1 ELSE 0 END) AS deleted
