// Audit events outlive the records they describe, so they are found by the entity's id, not by a
// relationship that a delete would remove.
CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE;
CREATE INDEX audit_event_entity IF NOT EXISTS FOR (e:AuditEvent) ON (e.entityId, e.at);
CREATE INDEX audit_event_related IF NOT EXISTS FOR (e:AuditEvent) ON (e.relatedEntityId, e.at);
