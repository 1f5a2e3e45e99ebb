// Neighbours for many (record, relationship type, direction) requests at once: one round trip per
// level of a nested GraphQL query, however many records that level holds.
UNWIND $requests AS request
MATCH (n:Entity {id: request.id})
CALL (n, request) {
  MATCH (n)-[r:$relationshipTypes]->(m:Entity)
  WHERE request.direction = 'OUT' AND type(r) = request.type
  RETURN m
  UNION
  MATCH (n)<-[r:$relationshipTypes]-(m:Entity)
  WHERE request.direction = 'IN' AND type(r) = request.type
  RETURN m
}
WITH request, m ORDER BY m.name, m.id
RETURN request.index AS index, collect(m {.*}) AS neighbours
