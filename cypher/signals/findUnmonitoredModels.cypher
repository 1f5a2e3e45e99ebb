// HIGH-tier models in production (DEPLOYED or MONITORED) with no bucket since $since, by name, each
// with the start of its last bucket ever. The buckets are found by asset through their index.
MATCH (model:AIModel)
WHERE model.riskTier = 'HIGH' AND model.lifecycleStage IN ['DEPLOYED', 'MONITORED'] AND model:Entity
  AND NOT EXISTS { MATCH (b:SignalBucket {assetId: model.id}) WHERE b.windowStart >= $since }
WITH model ORDER BY model.name, model.id
RETURN model {.*} AS asset,
  COLLECT { MATCH (b:SignalBucket {assetId: model.id}) RETURN b.windowStart AS start ORDER BY start DESC LIMIT 1 }[0] AS lastSignalAt
