// findAgentPrivileges.cypher as of an instant, $asOf (cypher/README.md, "History"): the root as it
// was then (null when it did not exist), the invocations and grants that held then (live and valid
// from no later, or a WAS of that type whose interval holds $asOf), so agents and targets retired
// since are reached too, each with its state then. A relationship holds only while both its ends
// exist, so every record reached existed then. The version look-up sits in the expression's branch:
// it runs only for a record changed since.
CALL () {
  MATCH (root:Entity) WHERE root.id = $id RETURN root
  UNION
  MATCH (root:Retired) WHERE root.id = $id RETURN root
}
WITH root, CASE WHEN root.updatedAt <= $asOf THEN CASE WHEN root.retiredAt <= $asOf THEN null ELSE root END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: root.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS rootState
RETURN properties(rootState) AS root,
  CASE WHEN rootState.type = 'Agent' THEN COLLECT {
    MATCH ANY SHORTEST (root)
      (()-[invoke:CAN_INVOKE|WAS]->() WHERE CASE type(invoke) WHEN 'WAS' THEN invoke.was = 'CAN_INVOKE' AND invoke.validFrom <= $asOf < invoke.validTo
                                       ELSE coalesce(invoke.validFrom, invoke.createdAt) <= $asOf END)*
      (agent)
    WITH agent, CASE WHEN agent.updatedAt <= $asOf THEN agent
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: agent.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS agentState
    RETURN {
      agent: properties(agentState),
      invokes: COLLECT {
        MATCH (agent)-[invoke:CAN_INVOKE|WAS]->(callee)
        WHERE CASE type(invoke) WHEN 'WAS' THEN invoke.was = 'CAN_INVOKE' AND invoke.validFrom <= $asOf < invoke.validTo
              ELSE coalesce(invoke.validFrom, invoke.createdAt) <= $asOf END
        RETURN callee.id
      },
      grants: COLLECT {
        MATCH (agent)-[grant:CAN_USE|RETRIEVES_FROM|APPROVED_USE|WAS]->(target)
        WITH grant, target, CASE type(grant) WHEN 'WAS' THEN grant.was ELSE type(grant) END AS grantType
        WHERE (grantType IN ['CAN_USE', 'RETRIEVES_FROM'] OR (grantType = 'APPROVED_USE' AND agent = root))
          AND CASE type(grant) WHEN 'WAS' THEN grant.validFrom <= $asOf < grant.validTo ELSE coalesce(grant.validFrom, grant.createdAt) <= $asOf END
        WITH grant, grantType, CASE WHEN target.updatedAt <= $asOf THEN target
          ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: target.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                WHERE $asOf < v.validTo][0] END AS targetState
        RETURN {type: grantType, scopes: grant.scopes, target: properties(targetState)}
      }
    }
  } ELSE [] END AS agents
