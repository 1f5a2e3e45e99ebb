// findNeighbours at an instant per request: a relationship held then when it was live and valid
// from before it, or a WAS copy of that type whose interval holds it; each neighbour in its state
// then (see findEntitiesAt), in (name, id) order then.
UNWIND $requests AS request
CALL (request) {
  MATCH (n:Entity {id: request.id}) RETURN n
  UNION
  MATCH (n:Retired {id: request.id}) RETURN n
}
CALL (n, request) {
  MATCH (n)-[r]->(m)
  WHERE request.direction = 'OUT'
    AND (type(r) = request.type AND coalesce(r.validFrom, r.createdAt) <= request.at
         OR type(r) = 'WAS' AND r.was = request.type AND r.validFrom <= request.at < r.validTo)
  RETURN m
  UNION
  MATCH (n)<-[r]-(m)
  WHERE request.direction = 'IN'
    AND (type(r) = request.type AND coalesce(r.validFrom, r.createdAt) <= request.at
         OR type(r) = 'WAS' AND r.was = request.type AND r.validFrom <= request.at < r.validTo)
  RETURN m
}
CALL (m, request) {
  WITH m WHERE m.updatedAt <= request.at AND (m:Entity OR m:Retired AND request.at < m.retiredAt)
  RETURN m {.*} AS neighbour
  UNION
  MATCH (v:EntityVersion {entityId: m.id}) WHERE v.validFrom <= request.at
  WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
  WITH v WHERE request.at < v.validTo
  RETURN v {.*} AS neighbour
}
WITH request, neighbour ORDER BY neighbour.name, neighbour.id
RETURN request.index AS index, collect(neighbour) AS neighbours
