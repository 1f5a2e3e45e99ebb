// Records as they were at instants, for node(id, asOf), entityByKey(..., asOf) and whatever a record
// read at an instant leads to: each request names a record by id or by key and gives its instant.
// A node is live (:Entity) or retired (:Retired), never both; its state at T is the node's own when
// valid then, else the one version valid then: the newest one started by T, found through the
// (entityId, validFrom) index, if it had not ended by T (see cypher/README.md, "History").
UNWIND $requests AS request
CALL (request) {
  MATCH (n:Entity {id: request.id}) RETURN n
  UNION
  MATCH (n:Retired {id: request.id}) RETURN n
  UNION
  MATCH (n:Entity {key: request.key}) RETURN n
  UNION
  MATCH (n:Retired {key: request.key}) RETURN n
}
CALL (n, request) {
  WITH n WHERE n.updatedAt <= request.at AND (n:Entity OR request.at < n.retiredAt)
  RETURN n {.*} AS entity
  UNION
  MATCH (v:EntityVersion {entityId: n.id}) WHERE v.validFrom <= request.at
  WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
  WITH v WHERE request.at < v.validTo
  RETURN v {.*} AS entity
}
RETURN request.index AS index, entity
