// From the start end (see findRelationshipsBetween for why).
MATCH (a:Entity {id: $fromId})
MATCH (a)-[r]->(b)
WHERE b.id = $toId AND type(r) = $type
DELETE r
RETURN count(*) AS deleted
