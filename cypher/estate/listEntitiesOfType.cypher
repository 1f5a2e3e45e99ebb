// listEntities for one type, on the entity_type_name_id index. Ordering by the type too (one
// value on every row) lets the planner see that the index's order is the order asked for; by
// (name, id) alone it sorts the whole type.
MATCH (n:Entity)
WHERE n.type = $type AND n.name >= coalesce($afterName, '') AND n.id IS NOT NULL
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
WITH n ORDER BY n.type, n.name, n.id
LIMIT $limit + 1
RETURN n {.*} AS entity
