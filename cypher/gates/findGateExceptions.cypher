// Gate-exception Risks ($tag) of $source (when given) not CLOSED, with the records they threaten.
MATCH (risk:Risk)
WHERE $tag IN risk.tags AND coalesce(risk.status, '') <> 'CLOSED' AND ($source IS NULL OR risk.source = $source)
RETURN risk {.*} AS risk,
       COLLECT { MATCH (risk)-[:THREATENS]->(subject:Entity) RETURN subject {.*} ORDER BY subject.name, subject.id } AS subjects
ORDER BY risk.name, risk.id
