// Changes records found in the same transaction. Only rows that really change are sent, so every
// row bumps the version once; a null in row.properties removes that property. The state it
// replaces is kept first as a version (see cypher/README.md, "History"). A record changed later
// than $now (a dated write arriving after a newer one) is not matched: the caller counts and fails.
UNWIND $rows AS row
MATCH (n:Entity {key: row.key}) USING INDEX n:Entity(key)
WHERE n.updatedAt <= $now
CREATE (v:EntityVersion)
SET v = properties(n), v.entityId = n.id, v.validFrom = n.updatedAt, v.validTo = $now
SET n += row.properties, n.updatedAt = $now, n.version = n.version + 1
RETURN count(n) AS written
