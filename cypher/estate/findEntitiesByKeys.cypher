UNWIND $keys AS key
MATCH (n:Entity {key: key})
RETURN n {.*} AS entity
