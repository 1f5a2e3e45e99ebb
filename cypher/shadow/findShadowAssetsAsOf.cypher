// findShadowAssets as of $asOf (cypher/README.md, "History"): the discovered assets that existed
// then, in their state then, neither dismissed then nor linked then to a registered record (a live
// REGISTERED_AS valid from before it, or a WAS copy whose interval holds it); owners and data by
// the relationships that held then, each in its state then.
CALL {
  MATCH (found:Entity:DiscoveredAsset)
  WHERE found.updatedAt <= $asOf
  RETURN found AS node, found {.*} AS state
  UNION ALL
  MATCH (found:Retired)
  WHERE found.type = 'DiscoveredAsset' AND found.updatedAt <= $asOf AND $asOf < found.retiredAt
  RETURN found AS node, found {.*} AS state
  UNION ALL
  MATCH (version:EntityVersion)
  WHERE version.validTo > $asOf AND version.validFrom <= $asOf AND version.type = 'DiscoveredAsset'
  OPTIONAL MATCH (live:Entity {id: version.entityId})
  OPTIONAL MATCH (gone:Retired {id: version.entityId})
  RETURN coalesce(live, gone) AS node, version {.*} AS state
}
WITH node, state
WHERE state.dismissedReason IS NULL
  AND NOT EXISTS {
    MATCH (node)-[r]->(registered)
    WHERE (registered:Entity OR registered:Retired)
      AND (type(r) = 'REGISTERED_AS' AND coalesce(r.validFrom, r.createdAt) <= $asOf
           OR type(r) = 'WAS' AND r.was = 'REGISTERED_AS' AND r.validFrom <= $asOf < r.validTo)
  }
RETURN state AS found,
  COLLECT {
    MATCH (node)-[r]->(owner)
    WHERE (owner:Entity OR owner:Retired)
      AND (type(r) = 'OWNED_BY' AND coalesce(r.validFrom, r.createdAt) <= $asOf
           OR type(r) = 'WAS' AND r.was = 'OWNED_BY' AND r.validFrom <= $asOf < r.validTo)
    WITH CASE WHEN owner.updatedAt <= $asOf THEN owner
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: owner.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS ownerState
    RETURN properties(ownerState) AS owner ORDER BY ownerState.name, ownerState.id
  } AS owners,
  COLLECT {
    MATCH (node)-[r]->(data)
    WHERE (data:Entity OR data:Retired)
      AND (type(r) = 'TOUCHES' AND coalesce(r.validFrom, r.createdAt) <= $asOf
           OR type(r) = 'WAS' AND r.was = 'TOUCHES' AND r.validFrom <= $asOf < r.validTo)
    WITH CASE WHEN data.updatedAt <= $asOf THEN data
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: data.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS dataState
    RETURN properties(dataState) AS data ORDER BY dataState.name, dataState.id
  } AS datasets
ORDER BY state.name, coalesce(state.entityId, state.id)
