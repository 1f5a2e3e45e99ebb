// Records sent again after their deletion: the retired node comes back with its id, takes the new
// state whole, and keeps the state it was retired with as a version, so its history has the gap.
UNWIND $rows AS row
MATCH (n:Retired {id: row.id}) USING INDEX n:Retired(id)
WHERE n.retiredAt <= $now
CREATE (v:EntityVersion)
SET v = properties(n), v.entityId = n.id, v.validFrom = n.updatedAt, v.validTo = n.retiredAt
REMOVE v.retiredAt
WITH row, n, n.createdAt AS createdAt, n.version AS version
SET n = row.properties
SET n.id = row.id, n.key = row.key, n.type = row.type, n.source = row.source, n.externalId = row.externalId,
    n.createdAt = createdAt, n.updatedAt = $now, n.version = version + 1
REMOVE n:Retired
SET n:Entity:$(row.type)
RETURN count(n) AS written
