// The declarations on each requirement, newest first; the active one has no withdrawnAt.
UNWIND $keys AS key
OPTIONAL MATCH (a:Applicability)-[:NOT_APPLICABLE_TO]->(:Requirement {key: key})
WITH key, a ORDER BY a.declaredAt DESC
RETURN key, collect(a { .* }) AS declarations
