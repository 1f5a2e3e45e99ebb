// A control's claim to satisfy a requirement, FULL or PARTIAL; one live claim per pair, valid from
// `validFrom`. A change of its coverage, rationale or source first leaves the claim as it stood in a
// :WAS copy (cypher/README.md, "History"), so coverage as of an earlier instant still reads it; a
// claim sent again unchanged keeps its validity. A claim changed twice within one instant leaves no
// copy of the state nobody could ever see.
UNWIND $rows AS row
MATCH (c:Entity:Control {id: row.controlId})
MATCH (r:Requirement {key: row.requirementKey})
MERGE (c)-[s:SATISFIES]->(r)
  ON CREATE SET s.createdAt = $now, s.createdBy = $actor, s.validFrom = $now, s.updatedAt = $now,
                s.coverage = row.coverage, s.rationale = row.rationale, s.source = row.source
WITH c, r, s, row,
     NOT coalesce(s.coverage = row.coverage AND s.rationale = row.rationale AND s.source = row.source, false) AS changed
CALL {
  WITH c, r, s, changed
  WITH c, r, s WHERE changed AND coalesce(s.validFrom, s.createdAt) < $now
  CREATE (c)-[w:WAS]->(r)
  SET w = properties(s), w.was = 'SATISFIES', w.validFrom = coalesce(s.validFrom, s.createdAt), w.validTo = $now
}
SET s.coverage = row.coverage, s.rationale = row.rationale, s.source = row.source,
    s.validFrom = CASE WHEN changed THEN $now ELSE s.validFrom END,
    s.updatedAt = CASE WHEN changed THEN $now ELSE s.updatedAt END
RETURN count(s) AS written
