MATCH (k:ApiKey)
RETURN k {.id, .name, .role, .source, .createdAt, .revokedAt, .createdBy} AS key
ORDER BY k.name
