OPTIONAL MATCH (c:Entity {id: $controlId})
OPTIONAL MATCH (r:Requirement {key: $requirementKey})
RETURN c.type AS controlType, c.name AS controlName, r IS NOT NULL AS requirementFound
