// One page of records in (name, id) order. Every filter is optional: a null parameter disables it.
MATCH (n:Entity)
WHERE ($type IS NULL OR n.type = $type)
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
WITH collect(n) AS matches
WITH matches, size(matches) AS totalCount,
     [i IN range(0, size(matches) - 1)
        WHERE $afterName IS NULL
           OR matches[i].name > $afterName
           OR (matches[i].name = $afterName AND matches[i].id > $afterId) | matches[i]] AS remaining
RETURN totalCount, [m IN remaining[0..$limit] | m {.*}] AS page, size(remaining) > $limit AS hasNextPage
