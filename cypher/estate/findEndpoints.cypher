// What a relationship needs of the records it names, by key or by id: no properties, so resolving
// the endpoints of a large sync call ships four short strings per record, as one row of tuples
// [key, id, type, source, startsRelationships] (ten thousand records cost the driver twice the CPU).
// Whether any relationship starts from the record is read from its degree: one with none cannot
// hold the ones sent from it, so they need no comparison (a first load sends ten thousand of those
// a call).
CALL () {
  UNWIND $keys AS key
  MATCH (n:Entity {key: key}) USING INDEX n:Entity(key)
  RETURN n
  UNION ALL
  UNWIND $ids AS id
  MATCH (n:Entity {id: id}) USING INDEX n:Entity(id)
  RETURN n
}
RETURN collect([n.key, n.id, n.type, n.source, EXISTS { (n)-->() }]) AS endpoints
