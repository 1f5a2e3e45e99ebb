// Each asset's open incident, the latest detected: the one a rule that fires on the asset attaches
// its signals to rather than opening another. Read after the asset's lock, so that two batches
// firing on one asset at once find what the first opened.
UNWIND $assetIds AS assetId
MATCH (asset:Entity {id: assetId})<-[:INVOLVES]-(incident:Incident)
WHERE incident:Entity AND incident.resolvedAt IS NULL AND coalesce(incident.status, 'OPEN') IN ['OPEN', 'INVESTIGATING', 'CONTAINED']
WITH assetId, incident ORDER BY incident.detectedAt DESC, incident.createdAt DESC
WITH assetId, collect(incident)[0] AS incident
RETURN assetId, incident {.*} AS incident
