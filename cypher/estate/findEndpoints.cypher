// What a relationship needs of the records it names, by key or by id: no properties, so resolving
// the endpoints of a large sync call ships four short strings per record. Whether any relationship
// starts from the record is read from its degree: one with none cannot hold the ones sent from it,
// so they need no comparison (a first load sends ten thousand of those a call).
UNWIND $keys AS key
MATCH (n:Entity {key: key}) USING INDEX n:Entity(key)
RETURN n.key AS key, n.id AS id, n.type AS type, n.source AS source, EXISTS { (n)-->() } AS startsRelationships
UNION ALL
UNWIND $ids AS id
MATCH (n:Entity {id: id}) USING INDEX n:Entity(id)
RETURN n.key AS key, n.id AS id, n.type AS type, n.source AS source, EXISTS { (n)-->() } AS startsRelationships
