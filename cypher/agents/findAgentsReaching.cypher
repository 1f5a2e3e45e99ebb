// whoCanReach: the target (whatever its type, so that the API can tell a wrong id from a wrong type),
// then every agent that holds a grant to it or can invoke, directly or through others, one that
// does: one row per such agent and granting agent, with a shortest invocation chain between them
// (ids; every agent on a chain reaches the grant too, so each comes as a row of its own), the grant,
// and the models behind the agent. The search runs back from each granting agent.
MATCH (target:Entity {id: $id})
RETURN target {.*} AS target,
  CASE WHEN target.type IN ['Tool', 'Dataset'] THEN COLLECT {
    MATCH (granter:Agent)-[grant:CAN_USE|RETRIEVES_FROM]->(target)
    MATCH p = ANY SHORTEST (agent:Agent)-[:CAN_INVOKE]->*(granter)
    RETURN {
      agent: agent {.*},
      chain: [n IN nodes(p) | n.id],
      grant: type(grant),
      scopes: grant.scopes,
      models: COLLECT { MATCH (agent)-[:USES_MODEL]->(model:AIModel) RETURN model {.*} }
    }
  } ELSE [] END AS reaches
