// A sync's records by key, compared where they are stored: a live record whose every sent field
// equals the stored one (null standing for absent) answers with its key and id alone, so that an
// unchanged re-sync ships no properties. Otherwise, as findEntitiesByKeys: the live record, or else
// the retired one its key names, with every property. A row sent without `desired` is never
// compared (the gates read the whole stored record of some types). `=` is never true where the
// API's own comparison (sameValue) sees a change; where it is null the pairs go back to Node.
// One row of lists: ten thousand records cost the driver twice the CPU.
UNWIND $rows AS row
OPTIONAL MATCH (live:Entity {key: row.key}) USING INDEX live:Entity(key)
OPTIONAL MATCH (gone:Retired {key: row.key}) USING INDEX gone:Retired(key) WHERE live IS NULL
WITH row, coalesce(live, gone) AS n
WHERE n IS NOT NULL
WITH n, coalesce(row.desired IS NOT NULL AND NOT n:Retired AND all(key IN keys(row.desired) WHERE coalesce(n[key] = row.desired[key], n[key] IS NULL AND row.desired[key] IS NULL)), false) AS asSent
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN collect(CASE WHEN asSent THEN [n.key, n.id] END) AS asSent,
       collect(CASE WHEN NOT asSent THEN [n:Retired, [key IN keys(n) | CASE WHEN n[key] IS :: ZONED DATETIME THEN [key, n[key].epochMillis, true] ELSE [key, n[key]] END]] END) AS changed
