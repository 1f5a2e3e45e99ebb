// Creates or updates records by key. Only rows that really change are sent, so every row bumps the
// version once; a null in row.properties removes that property.
UNWIND $rows AS row
MERGE (n:Entity {key: row.key})
  ON CREATE SET n.id = row.id, n.type = row.type, n.source = row.source, n.externalId = row.externalId,
                n.createdAt = $now, n.version = 0
SET n:$(row.type)
SET n += row.properties, n.updatedAt = $now, n.version = n.version + 1
RETURN n.id AS id, n.version AS version
