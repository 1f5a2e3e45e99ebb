UNWIND $keys AS key
MATCH (p:Requirement {key: key})
OPTIONAL MATCH (c:Requirement)-[:PART_OF]->(p)
WITH key, c ORDER BY c.order
RETURN key, collect(c { .*, parentKeys: [(c)-[:PART_OF]->(q:Requirement) | q.key] }) AS children
