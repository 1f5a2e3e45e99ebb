// findAgentGraph.cypher as of an instant, $asOf (cypher/README.md, "History"): the agents that
// existed then (live or retired since; `type` stays on a retired node) with their state then, the
// invocations and grants ([type, scopes, target id]) that held then, and their targets as they were
// then, each once. Read
// rarely: every agent node is a candidate, as in history/listEntitiesAt.
CALL () {
  MATCH (agent:Agent) RETURN agent
  UNION
  MATCH (agent:Retired) WHERE agent.type = 'Agent' AND agent.retiredAt > $asOf RETURN agent
}
WITH agent, CASE WHEN agent.updatedAt <= $asOf THEN agent
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: agent.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS agentState
WHERE agentState IS NOT NULL
WITH agent, agentState,
  COLLECT {
    MATCH (agent)-[grant:CAN_USE|RETRIEVES_FROM|APPROVED_USE|WAS]->(target)
    WITH grant, target, CASE type(grant) WHEN 'WAS' THEN grant.was ELSE type(grant) END AS grantType
    WHERE grantType IN ['CAN_USE', 'RETRIEVES_FROM', 'APPROVED_USE']
      AND CASE type(grant) WHEN 'WAS' THEN grant.validFrom <= $asOf < grant.validTo ELSE coalesce(grant.validFrom, grant.createdAt) <= $asOf END
    RETURN {type: grantType, scopes: grant.scopes, target: target}
  } AS grants
WITH collect({
    agent: properties(agentState),
    invokes: COLLECT {
      MATCH (agent)-[invoke:CAN_INVOKE|WAS]->(callee)
      WHERE CASE type(invoke) WHEN 'WAS' THEN invoke.was = 'CAN_INVOKE' AND invoke.validFrom <= $asOf < invoke.validTo
            ELSE coalesce(invoke.validFrom, invoke.createdAt) <= $asOf END
      RETURN callee.id
    },
    grants: [grant IN grants | [grant.type, grant.scopes, grant.target.id]]
  }) AS agents, collect(grants) AS grantLists
RETURN agents,
  COLLECT {
    UNWIND grantLists AS grants
    UNWIND grants AS grant
    WITH DISTINCT grant.target AS target
    WITH CASE WHEN target.updatedAt <= $asOf THEN target
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: target.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS targetState
    RETURN properties(targetState)
  } AS targets
