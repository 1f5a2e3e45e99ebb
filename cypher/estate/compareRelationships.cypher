// A sync's relationships that may already be stored, compared where they are: a row stored as sent
// (its source among the asserting ones, every sent property equal) answers with its index alone, so
// that an unchanged re-sync ships an index per row instead of every stored property. `=` on two
// stored values is never true where the API's own comparison (sameValue) would see a change (null
// stands for absent, as there); every other row answers with its pairs and is compared in Node.
// Found as findRelationshipsBetween finds them: both ends on their index hints, then the
// relationship between. One row of lists: ten thousand records cost the driver twice the CPU.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)
CALL (row, a, b) {
  MATCH (a)-[r:$relationshipTypes]->(b)
  WHERE type(r) = row.type
  RETURN r
}
WITH row, r, coalesce(row.source IN r.sources AND all(key IN keys(row.properties) WHERE coalesce(r[key] = row.properties[key], r[key] IS NULL AND row.properties[key] IS NULL)), false) AS asSent
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN collect(CASE WHEN asSent THEN row.index END) AS asSent,
       collect(CASE WHEN NOT asSent THEN [row.index, [key IN keys(r) | CASE WHEN r[key] IS :: ZONED DATETIME THEN [key, r[key].epochMillis, true] ELSE [key, r[key]] END]] END) AS changed
