// findUngatedRecords.cypher as of an instant, $asOf (see cypher/README.md, "History"): the
// records, approvals, risks and relationships that held then, each in its state then.
CALL () {
  MATCH (record:AIModel) RETURN record
  UNION ALL
  MATCH (record:Agent) RETURN record
  UNION ALL
  MATCH (record:Retired) WHERE record.type IN ['AIModel', 'Agent'] RETURN record
}
WITH record WHERE $source IS NULL OR record.source = $source
WITH record, CASE WHEN record.updatedAt <= $asOf THEN CASE WHEN record.retiredAt <= $asOf THEN null ELSE record END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: record.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
WITH record, state, $gateOfStage[state.lifecycleStage] AS gate
WHERE state IS NOT NULL AND gate IS NOT NULL
WITH record, state, gate, COLLECT {
    MATCH (record)<-[held:APPROVES|WAS]-(approval)
    WHERE CASE type(held) WHEN 'WAS' THEN held.was = 'APPROVES' AND held.validFrom <= $asOf < held.validTo
                          ELSE coalesce(held.validFrom, held.createdAt) <= $asOf END
    WITH approval, CASE WHEN approval.updatedAt <= $asOf THEN CASE WHEN approval.retiredAt <= $asOf THEN null ELSE approval END
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: approval.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS approved
    WITH approval, approved WHERE approved.stage = gate
    RETURN properties(approved) ORDER BY approved.decidedAt DESC, approval.id DESC LIMIT 1 }[0] AS latest
WHERE latest IS NULL OR NOT latest.outcome IN $passingOutcomes
RETURN properties(state) AS record, gate, latest,
       COLLECT {
         MATCH (record)<-[held:THREATENS|WAS]-(risk)
         WHERE CASE type(held) WHEN 'WAS' THEN held.was = 'THREATENS' AND held.validFrom <= $asOf < held.validTo
                               ELSE coalesce(held.validFrom, held.createdAt) <= $asOf END
         WITH risk, CASE WHEN risk.updatedAt <= $asOf THEN CASE WHEN risk.retiredAt <= $asOf THEN null ELSE risk END
           ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: risk.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                 WHERE $asOf < v.validTo][0] END AS riskState
         WITH riskState WHERE $tag IN riskState.tags AND 'gate:' + gate IN riskState.tags
         RETURN properties(riskState) ORDER BY riskState.updatedAt DESC LIMIT 1 }[0] AS exception
ORDER BY state.name, record.id
