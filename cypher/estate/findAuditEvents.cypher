// A record's history, including events recorded on the other end of its relationships.
CALL {
  MATCH (e:AuditEvent {entityId: $id}) RETURN e
  UNION
  MATCH (e:AuditEvent {relatedEntityId: $id}) RETURN e
}
WITH e ORDER BY e.at DESC, e.seq DESC
LIMIT $limit
RETURN e {.*} AS event
