CREATE (k:ApiKey {id: $id, name: $name, role: $role, source: $source, hash: $hash, createdAt: datetime(), createdBy: $createdBy})
RETURN k {.id, .name, .role, .source, .createdAt, .revokedAt, .createdBy} AS key
