// Databases migrated before 002 stopped creating it.
DROP CONSTRAINT audit_event_id IF EXISTS;
