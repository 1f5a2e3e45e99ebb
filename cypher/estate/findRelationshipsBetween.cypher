UNWIND $rows AS row
MATCH (a:Entity {id: row.fromId})-[r]->(b:Entity {id: row.toId})
WHERE type(r) = row.type
RETURN row.index AS index, properties(r) AS properties
