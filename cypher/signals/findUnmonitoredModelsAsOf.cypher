// findUnmonitoredModels as of $asOf (cypher/README.md, "History"): the models that existed then
// with their state then (tier and stage), and no bucket from $since that had been written by $asOf
// (an hour's bucket is created by its first signal). Read rarely: every model node is a candidate,
// as in history/listEntitiesAt.
CALL () {
  MATCH (model:AIModel) RETURN model
  UNION
  MATCH (model:Retired) WHERE model.type = 'AIModel' AND model.retiredAt > $asOf RETURN model
}
WITH model, CASE WHEN model.updatedAt <= $asOf THEN model
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: model.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
WHERE state IS NOT NULL AND state.riskTier = 'HIGH' AND state.lifecycleStage IN ['DEPLOYED', 'MONITORED']
  AND NOT EXISTS { MATCH (b:SignalBucket {assetId: model.id}) WHERE b.windowStart >= $since AND b.createdAt <= $asOf }
WITH model, state ORDER BY state.name, state.id
RETURN properties(state) AS asset,
  COLLECT { MATCH (b:SignalBucket {assetId: model.id}) WHERE b.createdAt <= $asOf RETURN b.windowStart AS start ORDER BY start DESC LIMIT 1 }[0] AS lastSignalAt
