// The audit is stored as change sets (see estate/recordChangeSet.cypher), found by record through
// a full-text index (migration 015).
// Databases written before change sets keep their history: each old event becomes a change set of one.
MATCH (e:AuditEvent)
CALL (e) {
  CREATE (c:ChangeSet {
    id: e.id, at: e.at, actor: e.actor, source: coalesce(e.source, ''),
    entityIndex: e.entityId + coalesce(' ' + e.relatedEntityId, ''),
    actions: [e.action], entityIds: [e.entityId], entityTypes: [e.entityType],
    relationshipTypes: [coalesce(e.relationshipType, '')], relatedIds: [coalesce(e.relatedEntityId, '')],
    changes: [e.changes]
  })
  SET c.reason = e.reason
  DELETE e
} IN TRANSACTIONS OF 1000 ROWS;
DROP INDEX audit_event_entity IF EXISTS;
DROP INDEX audit_event_related IF EXISTS;
