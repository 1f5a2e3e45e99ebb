MATCH (:Entity:Control {id: $controlId})-[s:SATISFIES]->(:Requirement {key: $requirementKey})
DELETE s
RETURN count(*) AS deleted
