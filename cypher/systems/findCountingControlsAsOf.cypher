// findCountingControls as it stood at $at: the system's parts and decisions, and each control's
// APPLIES_TO, through the relationships that held then (live from coalesce(validFrom, createdAt)
// <= $at, or a :WAS of that type whose interval holds $at), retired records included.
OPTIONAL CALL {
  MATCH (n:Entity {id: $systemId}) RETURN n AS s
  UNION
  MATCH (n:Retired {id: $systemId}) RETURN n AS s
}
WITH COLLECT {
       MATCH (p)-[r:PART_OF|WAS]->(s)
       WHERE CASE type(r) WHEN 'PART_OF' THEN coalesce(r.validFrom, r.createdAt) <= $at
                          ELSE r.was = 'PART_OF' AND r.validFrom <= $at AND $at < r.validTo END
       RETURN p.id
     } + COLLECT {
       MATCH (s)-[r:DRIVES|WAS]->(d)
       WHERE CASE type(r) WHEN 'DRIVES' THEN coalesce(r.validFrom, r.createdAt) <= $at
                          ELSE r.was = 'DRIVES' AND r.validFrom <= $at AND $at < r.validTo END
       RETURN d.id
     } AS scope
UNWIND $controlIds AS controlId
CALL (controlId) {
  MATCH (c:Entity {id: controlId}) RETURN c
  UNION
  MATCH (c:Retired {id: controlId}) RETURN c
}
WITH scope, controlId, COLLECT {
       MATCH (c)-[r:APPLIES_TO|WAS]->(a)
       WHERE CASE type(r) WHEN 'APPLIES_TO' THEN coalesce(r.validFrom, r.createdAt) <= $at
                          ELSE r.was = 'APPLIES_TO' AND r.validFrom <= $at AND $at < r.validTo END
       RETURN a.id
     } AS targets
WHERE size(targets) = 0 OR any(target IN targets WHERE target IN scope)
RETURN collect(controlId) AS counting
