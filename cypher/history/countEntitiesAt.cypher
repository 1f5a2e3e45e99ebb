// The totalCount of a list at $at (listEntitiesAt without the cursor), run only when selected.
CALL {
  MATCH (n:Entity)
  WHERE n.type IN $types AND n.name IS NOT NULL AND n.id IS NOT NULL AND n.updatedAt <= $at
  RETURN n AS node, n {.*} AS state
  UNION ALL
  MATCH (n:Retired)
  WHERE n.type IN $types AND n.updatedAt <= $at AND $at < n.retiredAt
  RETURN n AS node, n {.*} AS state
  UNION ALL
  MATCH (v:EntityVersion)
  WHERE v.validTo > $at AND v.validFrom <= $at AND v.type IN $types
  OPTIONAL MATCH (live:Entity {id: v.entityId})
  OPTIONAL MATCH (gone:Retired {id: v.entityId})
  RETURN coalesce(live, gone) AS node, v {.*} AS state
}
WITH node, state
WHERE ($source IS NULL OR state.source = $source)
  AND ($tag IS NULL OR $tag IN state.tags)
  AND ($text IS NULL
       OR toLower(state.name) CONTAINS $text
       OR toLower(coalesce(state.description, '')) CONTAINS $text
       OR toLower(state.externalId) CONTAINS $text)
  AND all(field IN keys($anyOf) WHERE state[field] IN $anyOf[field])
  AND ($ownerId IS NULL OR EXISTS {
        MATCH (node)-[r]->(owner {id: $ownerId})
        WHERE (owner:Entity OR owner:Retired)
          AND (type(r) = 'OWNED_BY' AND coalesce(r.validFrom, r.createdAt) <= $at
               OR type(r) = 'WAS' AND r.was = 'OWNED_BY' AND r.validFrom <= $at < r.validTo) })
  AND ($vendorId IS NULL OR EXISTS {
        MATCH (node)-[r]->(vendor {id: $vendorId})
        WHERE (vendor:Entity OR vendor:Retired)
          AND (type(r) = 'PROVIDED_BY' AND coalesce(r.validFrom, r.createdAt) <= $at
               OR type(r) = 'WAS' AND r.was = 'PROVIDED_BY' AND r.validFrom <= $at < r.validTo) })
RETURN count(state) AS totalCount
