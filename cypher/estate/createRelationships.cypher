// Relationships the caller knows are absent; each row names its ends by id, its type, its source and properties.
UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId}), (b:Entity {id: row.toId}) USING INDEX a:Entity(id) USING INDEX b:Entity(id)
CREATE (a)-[r:$(row.type)]->(b)
SET r += row.properties, r.createdAt = $now, r.updatedAt = $now, r.validFrom = $now, r.sources = [row.source]
RETURN count(r) AS written
