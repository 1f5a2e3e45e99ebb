// Records the caller looked up in this transaction and found absent. The unique key constraint
// still guards against a concurrent writer (it turns into CONFLICT).
UNWIND $rows AS row
CREATE (n:Entity:$(row.type))
SET n += row.properties,
    n.id = row.id, n.key = row.key, n.type = row.type, n.source = row.source, n.externalId = row.externalId,
    n.createdAt = $now, n.updatedAt = $now, n.version = 1
RETURN count(n) AS created
