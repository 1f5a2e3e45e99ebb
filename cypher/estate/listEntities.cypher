// One page of records of every type in (name, id) order, from the cursor on: the entity_name_id
// index yields the rows in that order, so the filters below run on rows as they come and the
// LIMIT stops the read. The seek needs a predicate on each indexed property, hence `id IS NOT
// NULL`. The filters are the same in listEntitiesOfType and countEntities (test/estate/lists
// checks all three against one model); a null parameter disables its filter, and that form also
// keeps the planner from seeking a filter's own index, whose rows would need sorting.
MATCH (n:Entity)
WHERE n.name >= coalesce($afterName, '') AND n.id IS NOT NULL
  AND ($afterName IS NULL OR n.name > $afterName OR n.id > $afterId)
  AND ($source IS NULL OR n.source = $source)
  AND ($tag IS NULL OR $tag IN n.tags)
  AND ($text IS NULL
       OR toLower(n.name) CONTAINS $text
       OR toLower(coalesce(n.description, '')) CONTAINS $text
       OR toLower(n.externalId) CONTAINS $text)
  AND all(field IN keys($anyOf) WHERE n[field] IN $anyOf[field])
  AND ($ownerId IS NULL OR EXISTS { (n)-[:OWNED_BY]->(:Entity {id: $ownerId}) })
  AND ($vendorId IS NULL OR EXISTS { (n)-[:PROVIDED_BY]->(:Entity {id: $vendorId}) })
WITH n ORDER BY n.name, n.id
LIMIT $limit + 1
RETURN n {.*} AS entity
