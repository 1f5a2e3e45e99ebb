// Frameworks with their requirement counts; $keys null means all of them.
MATCH (f:Framework)
WHERE $keys IS NULL OR f.key IN $keys
RETURN f { .*, requirementCount: COUNT { (r:Requirement) WHERE r.framework = f.key } } AS framework
ORDER BY f.key
