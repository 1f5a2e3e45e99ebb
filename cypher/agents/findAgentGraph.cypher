// Every agent with its invocations, grants and approvals and their targets, for overPrivilegedAgents:
// the findings of each agent are computed from these rows (src/agents/privileges.ts), so the estate's
// invocation graph is read once however many agents reach the same ones.
MATCH (agent:Agent)
RETURN agent {.*} AS agent,
  COLLECT { MATCH (agent)-[:CAN_INVOKE]->(callee:Agent) RETURN callee.id } AS invokes,
  COLLECT {
    MATCH (agent)-[grant:CAN_USE|RETRIEVES_FROM|APPROVED_USE]->(target:Entity)
    RETURN {type: type(grant), scopes: grant.scopes, target: target {.*}}
  } AS grants
