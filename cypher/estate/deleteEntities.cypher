// Retires records: each relationship they hold ends (a WAS copy, valid until now), and the node
// loses :Entity and its type label to become :Retired, its last state still on it. Nothing current
// matches it any more (the key constraint is on :Entity), and its past stays readable (see
// cypher/README.md, "History").
UNWIND $ids AS id
MATCH (n:Entity {id: id}) USING INDEX n:Entity(id)
CALL (n) {
  MATCH (n)-[r]-()
  WHERE type(r) <> 'WAS'
  WITH DISTINCT r
  WITH r, startNode(r) AS a, endNode(r) AS b
  CREATE (a)-[was:WAS]->(b)
  SET was = properties(r), was.was = type(r), was.validFrom = coalesce(r.validFrom, r.createdAt), was.validTo = $now
  DELETE r
}
REMOVE n:Entity
REMOVE n:$(n.type)
SET n:Retired, n.retiredAt = $now
RETURN count(*) AS deleted
