// Relationships the caller found in the same transaction: new ones go through createRelationships.
// Each is found as findRelationshipsBetween finds it (not by MERGE: planned on a small graph, MERGE
// scanned every relationship for each row). When its properties change, the old ones are kept on a
// WAS copy ending now and the live one is valid from now (see cypher/README.md, "History"); a new
// source asserting it changes no history.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)
CALL (row, a, b) {
  MATCH (a)-[r:$relationshipTypes]->(b)
  WHERE type(r) = row.type
  RETURN r
}
WITH row, a, r, b, any(name IN keys(row.properties) WHERE NOT coalesce(r[name] = row.properties[name], r[name] IS NULL AND row.properties[name] IS NULL)) AS reshaped
CALL (a, r, b, reshaped) {
  WITH a, r, b WHERE reshaped
  CREATE (a)-[was:WAS]->(b)
  SET was = properties(r), was.was = type(r), was.validFrom = coalesce(r.validFrom, r.createdAt), was.validTo = $now
  SET r.validFrom = $now
}
SET r += row.properties,
    r.updatedAt = $now,
    r.sources = CASE WHEN row.source IN r.sources THEN r.sources ELSE r.sources + row.source END
RETURN count(r) AS written
