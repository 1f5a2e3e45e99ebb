MATCH (a:Entity {id: $fromId})-[r]->(b:Entity {id: $toId})
WHERE type(r) = $type
DELETE r
RETURN count(*) AS deleted
