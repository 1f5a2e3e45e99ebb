// findAgentsReaching.cypher as of an instant, $asOf (cypher/README.md, "History"): the target as it
// was then (null when it did not exist), the grants, invocations and USES_MODEL that held then (live
// and valid from no later, or a WAS of that type whose interval holds $asOf), each record with its
// state then; the version look-up runs only for a record changed since.
CALL () {
  MATCH (target:Entity) WHERE target.id = $id RETURN target
  UNION
  MATCH (target:Retired) WHERE target.id = $id RETURN target
}
WITH target, CASE WHEN target.updatedAt <= $asOf THEN CASE WHEN target.retiredAt <= $asOf THEN null ELSE target END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: target.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS targetState
RETURN properties(targetState) AS target,
  CASE WHEN targetState.type IN ['Tool', 'Dataset'] THEN COLLECT {
    MATCH (granter)-[grant:CAN_USE|RETRIEVES_FROM|WAS]->(target)
    WITH granter, grant, CASE type(grant) WHEN 'WAS' THEN grant.was ELSE type(grant) END AS grantType
    WHERE grantType IN ['CAN_USE', 'RETRIEVES_FROM']
      AND CASE type(grant) WHEN 'WAS' THEN grant.validFrom <= $asOf < grant.validTo ELSE coalesce(grant.validFrom, grant.createdAt) <= $asOf END
    MATCH p = ANY SHORTEST (agent)
      (()-[invoke:CAN_INVOKE|WAS]->() WHERE CASE type(invoke) WHEN 'WAS' THEN invoke.was = 'CAN_INVOKE' AND invoke.validFrom <= $asOf < invoke.validTo
                                       ELSE coalesce(invoke.validFrom, invoke.createdAt) <= $asOf END)*
      (granter)
    WITH agent, p, grant, grantType, CASE WHEN agent.updatedAt <= $asOf THEN agent
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: agent.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS agentState
    RETURN {
      agent: properties(agentState),
      chain: [n IN nodes(p) | n.id],
      grant: grantType,
      scopes: grant.scopes,
      models: COLLECT {
        MATCH (agent)-[uses:USES_MODEL|WAS]->(model)
        WHERE CASE type(uses) WHEN 'WAS' THEN uses.was = 'USES_MODEL' AND uses.validFrom <= $asOf < uses.validTo
              ELSE coalesce(uses.validFrom, uses.createdAt) <= $asOf END
        WITH CASE WHEN model.updatedAt <= $asOf THEN model
          ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: model.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                WHERE $asOf < v.validTo][0] END AS modelState
        RETURN properties(modelState)
      }
    }
  } ELSE [] END AS reaches
