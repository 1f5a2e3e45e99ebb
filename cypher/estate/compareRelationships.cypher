// A sync's relationships that may already be stored, compared where they are: a row stored as sent
// (its source among the asserting ones, every sent property equal) answers with no pairs, so that
// an unchanged re-sync ships an index per row instead of every stored property. `=` on two stored
// values is never true where the API's own comparison (sameValue) would see a change, and a null
// compared with anything is not true: such rows answer with their pairs and are compared in Node.
// Found from the start end as findRelationshipsBetween is, with its index hint for the same reason.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}) USING INDEX a:Entity(id)
MATCH (a)-[r:$relationshipTypes]->(b)
WHERE b.id = row.toId AND type(r) = row.type
WITH row, r, row.source IN r.sources AND all(key IN keys(row.properties) WHERE r[key] = row.properties[key] OR (r[key] IS NULL AND row.properties[key] IS NULL)) AS asSent
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN row.index AS index, CASE WHEN asSent THEN null ELSE [key IN keys(r) | CASE WHEN r[key] IS :: ZONED DATETIME THEN [key, r[key].epochMillis, true] ELSE [key, r[key]] END] END AS pairs
