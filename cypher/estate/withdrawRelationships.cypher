// Takes a source's assertion off relationships; one that no source asserts any more ends: a WAS
// copy keeps it, valid until now, with the source that asserted it last (see cypher/README.md, "History").
// Found as findRelationshipsBetween finds them (see there for why).
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)
CALL (row, a, b) {
  MATCH (a)-[r:$relationshipTypes]->(b)
  WHERE type(r) = row.type
  RETURN r
}
SET r.sources = [s IN r.sources WHERE s <> row.source]
WITH row, a, r, b, size(r.sources) = 0 AS orphaned
CALL (row, a, r, b, orphaned) {
  WITH row, a, r, b WHERE orphaned
  CREATE (a)-[was:WAS]->(b)
  SET was = properties(r), was.was = type(r), was.validFrom = coalesce(r.validFrom, r.createdAt), was.validTo = $now, was.sources = [row.source]
  DELETE r
}
RETURN sum(CASE WHEN orphaned THEN 1 ELSE 0 END) AS deleted
