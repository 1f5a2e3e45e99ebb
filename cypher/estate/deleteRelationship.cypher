// Ends the relationship: a WAS copy keeps it, valid until now (see cypher/README.md, "History").
// From the start end (see findRelationshipsBetween for why).
MATCH (a:Entity {id: $fromId})
MATCH (a)-[r:$relationshipTypes]->(b)
WHERE b.id = $toId AND type(r) = $type
CREATE (a)-[was:WAS]->(b)
SET was = properties(r), was.was = type(r), was.validFrom = coalesce(r.validFrom, r.createdAt), was.validTo = $now
DELETE r
RETURN count(*) AS deleted
