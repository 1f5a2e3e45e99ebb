// findDecisionsOnPersonalData.cypher as of an instant, $asOf, over what held then (see
// findReachableAsOf.cypher for the rules at an instant): datasets that held personal data then,
// decisions that existed then, each in its state then.
CALL () {
  MATCH (root:Dataset) RETURN root
  UNION ALL
  MATCH (root:Retired) WHERE root.type = 'Dataset' RETURN root
}
WITH *, CASE WHEN root.updatedAt <= $asOf THEN CASE WHEN root.retiredAt <= $asOf THEN null ELSE root END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: root.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS rootState
WITH root, rootState WHERE rootState.containsPersonalData = true
MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes|WAS]-() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                         ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
    (()-[informs:INFORMS|WAS]->() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                         ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
    (decision:Decision|Retired)
WHERE decision.type = 'Decision' AND length(p) <= $maxDepth
WITH decision, rootState ORDER BY rootState.name
WITH decision, collect(properties(rootState)) AS sources
WITH *, CASE WHEN decision.updatedAt <= $asOf THEN CASE WHEN decision.retiredAt <= $asOf THEN null ELSE decision END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: decision.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
RETURN properties(state) AS decision, sources
ORDER BY size(sources) DESC, state.name
