// A control's claim to satisfy a requirement, FULL or PARTIAL; one per pair, updated in place.
UNWIND $rows AS row
MATCH (c:Entity:Control {id: row.controlId})
MATCH (r:Requirement {key: row.requirementKey})
MERGE (c)-[s:SATISFIES]->(r)
ON CREATE SET s.createdAt = $now, s.createdBy = $actor
SET s.coverage = row.coverage, s.rationale = row.rationale, s.source = row.source, s.updatedAt = $now
RETURN count(s) AS written
