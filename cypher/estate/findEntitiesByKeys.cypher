// Records by key: the live one, or else the retired one a key names (a record sent again after its
// deletion comes back as the same node and id, so its history reads on; `retired` says which).
UNWIND $keys AS key
OPTIONAL MATCH (live:Entity {key: key}) USING INDEX live:Entity(key)
OPTIONAL MATCH (gone:Retired {key: key}) USING INDEX gone:Retired(key) WHERE live IS NULL
WITH coalesce(live, gone) AS n
WHERE n IS NOT NULL
// Properties as pairs, datetimes as epoch milliseconds (propertiesFromPairs in src/db/neo4jValues.ts).
RETURN [key IN keys(n) | CASE WHEN n[key] IS :: ZONED DATETIME THEN [key, n[key].epochMillis, true] ELSE [key, n[key]] END] AS pairs, n:Retired AS retired
