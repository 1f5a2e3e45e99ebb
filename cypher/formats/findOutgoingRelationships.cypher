// The relationships of $types that start at the records $ids; the caller keeps those whose far
// end it also exports.
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]->(b:Entity)
WHERE type(r) IN $types
RETURN a.id AS fromId, type(r) AS type, b.id AS toId, properties(r) AS properties
