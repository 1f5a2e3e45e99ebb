// The compromise windows incidents record: each INVOLVES that markCompromised dated (see
// findCompromisedUpstreamAsOf.cypher), with the asset and when it began and ended (null: open).
UNWIND $incidentIds AS incidentId
MATCH (incident:Entity {id: incidentId})-[window:INVOLVES]->(asset:Entity)
WHERE window.compromisedSince IS NOT NULL
RETURN incident {.*} AS incident, asset {.*} AS asset, window.compromisedSince AS since,
       window.compromisedUntil AS until, window.reason AS reason
ORDER BY since, asset.name
