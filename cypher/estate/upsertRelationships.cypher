// A relationship is stored once per (from, type, to); `sources` lists every source asserting it so
// that one source's REPLACE does not remove what another still sends.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId})
MERGE (a)-[r:$(row.type)]->(b)
  ON CREATE SET r.createdAt = $now, r.sources = []
SET r += row.properties,
    r.updatedAt = $now,
    r.sources = CASE WHEN row.source IN r.sources THEN r.sources ELSE r.sources + row.source END
RETURN count(r) AS written
