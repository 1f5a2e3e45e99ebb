// Relationships the caller found in the same transaction: new ones go through createRelationships.
// Each is found from its start end (see findRelationshipsBetween for why not MERGE between both
// ends: planned on a small graph, MERGE scanned every relationship for each row).
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId})
MATCH (a)-[r]->(b)
WHERE b.id = row.toId AND type(r) = row.type
SET r += row.properties,
    r.updatedAt = $now,
    r.sources = CASE WHEN row.source IN r.sources THEN r.sources ELSE r.sources + row.source END
RETURN count(r) AS written
