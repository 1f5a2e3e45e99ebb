// findUnownedAssets as of $asOf (cypher/README.md, "History"): the assets of $types that existed
// then, in their state then, with no OWNED_BY that held then (live and valid from before it, or a
// WAS copy whose interval holds it).
CALL {
  MATCH (asset:Entity)
  WHERE asset.type IN $types AND ($source IS NULL OR asset.source = $source) AND asset.name IS NOT NULL AND asset.id IS NOT NULL AND asset.updatedAt <= $asOf
  RETURN asset AS node, asset {.*} AS state
  UNION ALL
  MATCH (asset:Retired)
  WHERE asset.type IN $types AND ($source IS NULL OR asset.source = $source) AND asset.updatedAt <= $asOf AND $asOf < asset.retiredAt
  RETURN asset AS node, asset {.*} AS state
  UNION ALL
  MATCH (version:EntityVersion)
  WHERE version.validTo > $asOf AND version.validFrom <= $asOf AND version.type IN $types AND ($source IS NULL OR version.source = $source)
  OPTIONAL MATCH (live:Entity {id: version.entityId})
  OPTIONAL MATCH (gone:Retired {id: version.entityId})
  RETURN coalesce(live, gone) AS node, version {.*} AS state
}
WITH node, state
WHERE NOT EXISTS {
  MATCH (node)-[r]->(owner)
  WHERE (owner:Entity OR owner:Retired)
    AND (type(r) = 'OWNED_BY' AND coalesce(r.validFrom, r.createdAt) <= $asOf
         OR type(r) = 'WAS' AND r.was = 'OWNED_BY' AND r.validFrom <= $asOf < r.validTo)
}
WITH state ORDER BY state.type, state.name, coalesce(state.entityId, state.id)
WITH collect(state) AS unowned
RETURN size(unowned) AS total, unowned[0..$first] AS items
