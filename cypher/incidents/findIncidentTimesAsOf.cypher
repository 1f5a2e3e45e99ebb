// findIncidentTimes as of $asOf (cypher/README.md, "History"): each incident that existed then, in
// its state then (the live node valid from before it, a retired node not yet retired, or the
// version valid then), so a time recorded later does not count yet.
CALL {
  MATCH (incident:Entity:Incident)
  WHERE incident.updatedAt <= $asOf
  RETURN incident {.*} AS state
  UNION ALL
  MATCH (incident:Retired)
  WHERE incident.type = 'Incident' AND incident.updatedAt <= $asOf AND $asOf < incident.retiredAt
  RETURN incident {.*} AS state
  UNION ALL
  MATCH (version:EntityVersion)
  WHERE version.validTo > $asOf AND version.validFrom <= $asOf AND version.type = 'Incident'
  RETURN version {.*} AS state
}
WITH state
WHERE state.detectedAt IS NOT NULL
RETURN state.category AS category, state.detectedAt AS detectedAt, state.containedAt AS containedAt,
       coalesce(state.closedAt, state.resolvedAt) AS closedAt
