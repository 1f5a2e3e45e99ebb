// What a board report needs from the estate, in one round trip. Retired models are left out of
// the tier counts; a risk is open until CLOSED; an incident until RESOLVED or CLOSED.
CALL {
  MATCH (m:Entity:AIModel)
  WHERE coalesce(m.status, 'ACTIVE') <> 'RETIRED'
  RETURN collect(coalesce(m.riskTier, 'UNCLASSIFIED')) AS tiers
}
CALL {
  MATCH (r:Entity:Risk)
  WHERE coalesce(r.status, 'IDENTIFIED') <> 'CLOSED'
  WITH r ORDER BY coalesce(r.residualScore, r.inherentScore, 0) DESC, r.name
  RETURN collect(r {.*}) AS openRisks
}
CALL {
  MATCH (i:Entity:Incident)
  WHERE coalesce(i.status, 'OPEN') IN ['OPEN', 'INVESTIGATING', 'CONTAINED']
  WITH i ORDER BY i.detectedAt DESC
  RETURN collect(i {.*}) AS openIncidents
}
RETURN tiers, openRisks, openIncidents
