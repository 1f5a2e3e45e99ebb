// Found from the start end, whose outgoing relationships are few in this model (vendors, owners
// and hub datasets are at the far end of theirs). Matching both ends by id lets the planner, when
// its statistics say the graph is small, scan every relationship for each row instead. The catalog
// names the rows' types in the pattern, so only those are read, not the ended WAS copies beside them.
// The index hint keeps the seek whatever the statistics of the moment say (see ROW_LOOKUPS in
// test/db/queryPlans.test.ts); the sync's other row look-ups carry one for the same reason.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}) USING INDEX a:Entity(id)
MATCH (a)-[r:$relationshipTypes]->(b)
WHERE b.id = row.toId AND type(r) = row.type
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN row.index AS index, [key IN keys(r) | CASE WHEN r[key] IS :: ZONED DATETIME THEN [key, r[key].epochMillis, true] ELSE [key, r[key]] END] AS pairs
