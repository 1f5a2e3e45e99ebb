// Every current incident's category and times, for time to contain and to close: the figures are
// computed in src/incidents/metrics.ts. An incident detected at no known time has no duration.
MATCH (incident:Entity:Incident)
WHERE incident.detectedAt IS NOT NULL
RETURN incident.category AS category, incident.detectedAt AS detectedAt, incident.containedAt AS containedAt,
       coalesce(incident.closedAt, incident.resolvedAt) AS closedAt
