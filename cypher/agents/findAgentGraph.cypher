// Every agent with its invocations, grants and approvals, for overPrivilegedAgents: the findings of
// each agent are computed from these (src/agents/privileges.ts), so the estate's invocation graph
// is read once however many agents reach the same ones. Each grant is a list [type, scopes, target
// id] rather than a map (no key strings to send and unpack thirty thousand times), and each target
// is shipped once: thousands of agents share a few hundred tools and datasets.
MATCH (agent:Agent)
WITH collect(agent) AS agents
RETURN [agent IN agents | {
    agent: agent {.*},
    invokes: [(agent)-[:CAN_INVOKE]->(callee:Agent) | callee.id],
    grants: [(agent)-[grant:CAN_USE|RETRIEVES_FROM|APPROVED_USE]->(target:Entity) | [type(grant), grant.scopes, target.id]]
  }] AS agents,
  COLLECT {
    UNWIND agents AS agent
    MATCH (agent)-[:CAN_USE|RETRIEVES_FROM|APPROVED_USE]->(target:Entity)
    WITH DISTINCT target
    RETURN target {.*}
  } AS targets
