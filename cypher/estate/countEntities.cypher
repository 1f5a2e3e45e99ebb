// The totalCount of a list, run only when a caller selects it: it reads every match, where a page
// reads its own rows. `$types` is the list's type or every type, so one text serves both through
// the entity_type_name_id index (whose seek needs a predicate on each of its properties).
MATCH (n:Entity)
WHERE n.type IN $types AND n.name IS NOT NULL AND n.id IS NOT NULL
  AND ($source IS NULL OR n.source = $source)
  AND ($tag IS NULL OR $tag IN n.tags)
  AND ($text IS NULL
       OR toLower(n.name) CONTAINS $text
       OR toLower(coalesce(n.description, '')) CONTAINS $text
       OR toLower(n.externalId) CONTAINS $text)
  AND all(field IN keys($anyOf) WHERE n[field] IN $anyOf[field])
  AND ($ownerId IS NULL OR EXISTS { (n)-[:OWNED_BY]->(:Entity {id: $ownerId}) })
  AND ($vendorId IS NULL OR EXISTS { (n)-[:PROVIDED_BY]->(:Entity {id: $vendorId}) })
RETURN count(n) AS totalCount
