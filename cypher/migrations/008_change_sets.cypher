// The audit is stored as change sets (see estate/recordChangeSet.cypher). A record's history is
// found through a full-text index on the ids each change set touches: list membership has no range
// index, and one Lucene entry per change set is far cheaper to write than an index entry per event.
CREATE FULLTEXT INDEX change_set_entities IF NOT EXISTS FOR (c:ChangeSet) ON EACH [c.entityIndex] OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace' } };
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
