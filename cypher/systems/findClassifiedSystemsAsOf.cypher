// findClassifiedSystems as it stood at $at: every AI system state valid then (the live node written
// by then, a retired node not yet retired, or the version whose interval holds $at; see
// cypher/README.md, "History") that carried a classification.
CALL {
  MATCH (n:Entity:AISystem)
  WHERE n.updatedAt <= $at
  RETURN n {.*} AS state
  UNION ALL
  MATCH (n:Retired)
  WHERE n.type = 'AISystem' AND n.updatedAt <= $at AND $at < n.retiredAt
  RETURN n {.*} AS state
  UNION ALL
  MATCH (v:EntityVersion)
  WHERE v.validTo > $at AND v.validFrom <= $at AND v.type = 'AISystem'
  RETURN v {.*} AS state
}
WITH state
WHERE state.aiActCategory IS NOT NULL
RETURN state AS system
ORDER BY state.name, state.id
