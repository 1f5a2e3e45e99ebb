// Revoked keys are kept, end-dated, so that the audit trail can still name them.
MATCH (k:ApiKey {name: $name})
WHERE k.revokedAt IS NULL
SET k.revokedAt = datetime(), k.revokedBy = $revokedBy
RETURN k {.id, .name, .role, .source, .createdAt, .revokedAt, .createdBy} AS key
