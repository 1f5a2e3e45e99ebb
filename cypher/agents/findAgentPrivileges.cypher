// An agent's reach for agentPrivileges and its findings: the agent (whatever its type, so that the
// API can tell a wrong id from a wrong type), then every agent it can invoke, itself included, each
// once (a shortest-path search from the root, which never revisits an agent, so cycles end), with
// its invocations, its grants and their targets. The root's approvals come with it. Chains and
// findings are computed from these rows (src/agents/privileges.ts), so the walk is done once.
MATCH (root:Entity {id: $id})
RETURN root {.*} AS root,
  CASE WHEN root:Agent THEN COLLECT {
    MATCH ANY SHORTEST (root)-[:CAN_INVOKE]->*(agent:Agent)
    RETURN {
      agent: agent {.*},
      invokes: COLLECT { MATCH (agent)-[:CAN_INVOKE]->(callee:Agent) RETURN callee.id },
      grants: COLLECT {
        MATCH (agent)-[grant:CAN_USE|RETRIEVES_FROM|APPROVED_USE]->(target:Entity)
        WHERE type(grant) <> 'APPROVED_USE' OR agent = root
        RETURN {type: type(grant), scopes: grant.scopes, target: target {.*}}
      }
    }
  } ELSE [] END AS agents
