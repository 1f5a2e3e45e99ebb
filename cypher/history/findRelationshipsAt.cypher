// findRelationships at an instant per request: those that held then (live and valid from before
// it, or a WAS copy whose interval holds it), typed by what they were, the other end in its state
// then (see findEntitiesAt). Only estate records count as ends, as in findRelationships.
UNWIND $requests AS request
CALL (request) {
  MATCH (n:Entity {id: request.id}) RETURN n
  UNION
  MATCH (n:Retired {id: request.id}) RETURN n
}
MATCH (n)-[r]-(m)
WITH request, n, r, m, CASE type(r) WHEN 'WAS' THEN r.was ELSE type(r) END AS type
WHERE (m:Entity OR m:Retired)
  AND (type(r) = 'WAS' AND r.validFrom <= request.at < r.validTo
       OR type(r) <> 'WAS' AND coalesce(r.validFrom, r.createdAt) <= request.at)
  AND type IN coalesce(request.types, $estateTypes)
  AND (request.direction = 'BOTH'
       OR (request.direction = 'OUTGOING' AND startNode(r) = n)
       OR (request.direction = 'INCOMING' AND endNode(r) = n))
CALL (m, request) {
  WITH m WHERE m.updatedAt <= request.at AND (m:Entity OR request.at < m.retiredAt)
  RETURN m {.*} AS other
  UNION
  MATCH (v:EntityVersion {entityId: m.id}) WHERE v.validFrom <= request.at
  WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
  WITH v WHERE request.at < v.validTo
  RETURN v {.*} AS other
}
WITH request, r, n, type, other ORDER BY type, other.name
RETURN request.index AS index,
       collect({
         type: type,
         fromId: startNode(r).id,
         toId: endNode(r).id,
         other: other,
         direction: CASE WHEN startNode(r) = n THEN 'OUTGOING' ELSE 'INCOMING' END,
         properties: properties(r)
       }) AS relationships
