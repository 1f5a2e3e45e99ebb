// findOverdueConditions.cypher as of an instant, $asOf (= $at; see cypher/README.md, "History"):
// approvals that existed then, in their state then, with the records they admitted then.
CALL () {
  MATCH (approval:GateApproval) RETURN approval
  UNION ALL
  MATCH (approval:Retired) WHERE approval.type = 'GateApproval' RETURN approval
}
WITH approval WHERE $source IS NULL OR approval.source = $source
WITH approval, CASE WHEN approval.updatedAt <= $asOf THEN CASE WHEN approval.retiredAt <= $asOf THEN null ELSE approval END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: approval.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
WITH approval, state
WHERE state.outcome = 'CONDITIONAL' AND state.conditionsDueAt < $asOf AND (state.conditionsMetAt IS NULL OR state.conditionsMetAt > $asOf)
RETURN properties(state) AS approval,
       COLLECT {
         MATCH (approval)-[held:APPROVES|WAS]->(subject)
         WHERE CASE type(held) WHEN 'WAS' THEN held.was = 'APPROVES' AND held.validFrom <= $asOf < held.validTo
                               ELSE coalesce(held.validFrom, held.createdAt) <= $asOf END
         WITH subject, CASE WHEN subject.updatedAt <= $asOf THEN CASE WHEN subject.retiredAt <= $asOf THEN null ELSE subject END
           ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: subject.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                 WHERE $asOf < v.validTo][0] END AS subjectState
         WITH subject, subjectState WHERE subjectState IS NOT NULL
         RETURN properties(subjectState) ORDER BY subjectState.name, subject.id } AS subjects
ORDER BY state.conditionsDueAt, approval.id
