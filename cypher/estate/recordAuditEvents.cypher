UNWIND $events AS event
CREATE (e:AuditEvent)
SET e = event
RETURN count(e) AS recorded
