// The relationships around many records, for Entity.relationships; null types means all of them.
UNWIND $requests AS request
MATCH (n:Entity {id: request.id})-[r]-(m:Entity)
WHERE (request.types IS NULL AND type(r) <> 'WAS' OR type(r) IN request.types)
  AND (request.direction = 'BOTH'
       OR (request.direction = 'OUTGOING' AND startNode(r) = n)
       OR (request.direction = 'INCOMING' AND endNode(r) = n))
WITH request, r, n, m ORDER BY type(r), m.name
RETURN request.index AS index,
       collect({
         type: type(r),
         fromId: startNode(r).id,
         toId: endNode(r).id,
         other: m {.*},
         direction: CASE WHEN startNode(r) = n THEN 'OUTGOING' ELSE 'INCOMING' END,
         properties: properties(r)
       }) AS relationships
