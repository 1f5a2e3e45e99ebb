// Both ends are found by id, each on its index hint, and the relationship is matched in a
// subquery to which both are arguments: the planner can then only expand into it, reading it from
// whichever end has fewer relationships of those types. Matched in the same clause, the planner
// chooses which end to expand all relationships from and joins the other: chosen on a small graph's
// statistics, that may be the far end (a vendor, an owner, a hub dataset: thousands each), row
// after row, and one medium sync call spent 28 s so (test/db/queryPlans.test.ts, BETWEEN_ENDS).
// The hints keep each row on its seeks whatever the statistics say (ROW_LOOKUPS there); the sync's
// other row look-ups carry them for the same reason. The catalog names the rows' types in the
// pattern, so only those are read, not the ended WAS copies beside them.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)
CALL (row, a, b) {
  MATCH (a)-[r:$relationshipTypes]->(b)
  WHERE type(r) = row.type
  RETURN r
}
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN row.index AS index, [key IN keys(r) | CASE WHEN r[key] IS :: ZONED DATETIME THEN [key, r[key].epochMillis, true] ELSE [key, r[key]] END] AS pairs
