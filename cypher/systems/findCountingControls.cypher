// Of the controls claiming requirements in a system's map, those that count for the system: the ones
// that apply to one of its parts (PART_OF) or to a decision it drives, and organisation-wide ones
// that apply to no record at all.
OPTIONAL MATCH (s:Entity:AISystem {id: $systemId})
WITH [(p:Entity)-[:PART_OF]->(s) | p.id] + [(s)-[:DRIVES]->(d:Entity) | d.id] AS scope
UNWIND $controlIds AS controlId
MATCH (c:Entity:Control {id: controlId})
WITH scope, controlId, [(c)-[:APPLIES_TO]->(a:Entity) | a.id] AS targets
WHERE size(targets) = 0 OR any(target IN targets WHERE target IN scope)
RETURN collect(controlId) AS counting
