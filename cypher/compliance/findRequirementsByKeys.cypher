UNWIND $keys AS key
MATCH (r:Requirement {key: key})
RETURN r { .*, parentKeys: [(r)-[:PART_OF]->(p:Requirement) | p.key] } AS requirement
