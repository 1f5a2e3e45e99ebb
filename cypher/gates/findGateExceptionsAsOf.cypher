// findGateExceptions.cypher as of an instant, $asOf (see cypher/README.md, "History"): the
// exception Risks open then, in their state then, with what they threatened then.
CALL () {
  MATCH (risk:Risk) RETURN risk
  UNION ALL
  MATCH (risk:Retired) WHERE risk.type = 'Risk' RETURN risk
}
WITH risk WHERE $source IS NULL OR risk.source = $source
WITH risk, CASE WHEN risk.updatedAt <= $asOf THEN CASE WHEN risk.retiredAt <= $asOf THEN null ELSE risk END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: risk.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
WITH risk, state WHERE $tag IN state.tags AND coalesce(state.status, '') <> 'CLOSED'
RETURN properties(state) AS risk,
       COLLECT {
         MATCH (risk)-[held:THREATENS|WAS]->(subject)
         WHERE CASE type(held) WHEN 'WAS' THEN held.was = 'THREATENS' AND held.validFrom <= $asOf < held.validTo
                               ELSE coalesce(held.validFrom, held.createdAt) <= $asOf END
         WITH subject, CASE WHEN subject.updatedAt <= $asOf THEN CASE WHEN subject.retiredAt <= $asOf THEN null ELSE subject END
           ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: subject.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                 WHERE $asOf < v.validTo][0] END AS subjectState
         WITH subject, subjectState WHERE subjectState IS NOT NULL
         RETURN properties(subjectState) ORDER BY subjectState.name, subject.id } AS subjects
ORDER BY state.name, risk.id
