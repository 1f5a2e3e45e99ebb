// Relationships the caller knows are absent (see upsertRelationships for the shape of each).
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId})
CREATE (a)-[r:$(row.type)]->(b)
SET r += row.properties, r.createdAt = $now, r.updatedAt = $now, r.sources = [row.source]
RETURN count(r) AS created
