// Withdrawing a claim end-dates it: it becomes a :WAS between the same control and requirement with
// its properties and its validity (cypher/README.md, "History"), so coverage as of an earlier
// instant still counts it, and the current map, which matches SATISFIES only, no longer does.
MATCH (c:Entity:Control {id: $controlId})-[s:SATISFIES]->(r:Requirement {key: $requirementKey})
CREATE (c)-[w:WAS]->(r)
SET w = properties(s), w.was = 'SATISFIES', w.validFrom = coalesce(s.validFrom, s.createdAt), w.validTo = $now
DELETE s
RETURN count(*) AS deleted
