// Audit events outlive the records they describe, so they are found by the entity's id, not by a
// relationship that a delete would remove. Their ids are random UUIDs and never looked up, so no
// uniqueness constraint: its index would cost every sync one more index write per event.
CREATE INDEX audit_event_entity IF NOT EXISTS FOR (e:AuditEvent) ON (e.entityId, e.at);
CREATE INDEX audit_event_related IF NOT EXISTS FOR (e:AuditEvent) ON (e.relatedEntityId, e.at);
