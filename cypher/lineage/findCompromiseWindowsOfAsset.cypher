// The compromise windows recorded on an asset, by every incident that dated one (see
// findCompromiseWindowsOfIncidents.cypher); clearCompromised closes the open ones.
MATCH (asset:Entity {id: $assetId})<-[window:INVOLVES]-(incident:Entity)
WHERE window.compromisedSince IS NOT NULL
RETURN incident {.*} AS incident, asset {.*} AS asset, window.compromisedSince AS since,
       window.compromisedUntil AS until, window.reason AS reason
ORDER BY since, incident.id
