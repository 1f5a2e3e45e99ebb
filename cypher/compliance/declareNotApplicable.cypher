// End-dates the active declaration (if any) and records a new one: the history stays readable.
MATCH (r:Requirement {key: $requirementKey})
OPTIONAL MATCH (old:Applicability)-[:NOT_APPLICABLE_TO]->(r) WHERE old.withdrawnAt IS NULL
SET old.withdrawnAt = $now, old.withdrawnBy = $actor
WITH DISTINCT r
CREATE (a:Applicability {id: $id, requirementKey: r.key, rationale: $rationale, declaredBy: $actor, declaredAt: $now})
CREATE (a)-[:NOT_APPLICABLE_TO]->(r)
RETURN a { .* } AS declaration
