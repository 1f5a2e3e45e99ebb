// Every live AI system with a classification: what the organisation-wide AI Act map and the
// upcoming obligations decide applicability from.
MATCH (s:Entity:AISystem)
WHERE s.aiActCategory IS NOT NULL
RETURN s {.*} AS system
ORDER BY s.name, s.id
