import type { RequestGateway } from '../db/gateway';
import type { EntityRow } from '../estate/model';
import type { AgentGraph, GrantEdge } from './privileges';

/** An agent as the agent queries ship it: its state, invocations (ids) and grants with their targets. */
interface AgentGraphRow {
  agent: EntityRow;
  invokes: string[];
  grants: GrantEdge[];
}

/** The whole agent graph as findAgentGraph ships it: grants as [type, scopes, target id], each target once. */
interface WholeGraphRow {
  agents: Array<{ agent: EntityRow; invokes: string[]; grants: Array<[GrantEdge['type'], string[] | null, string]> }>;
  targets: EntityRow[];
}

export interface ReachRow {
  agent: EntityRow;
  chain: string[];
  grant: 'CAN_USE' | 'RETRIEVES_FROM';
  scopes: string[] | null;
  models: EntityRow[];
}

/** Rows read at an instant carry it, so that what the records lead to is read then too (estate/model.ts). */
const stamp = (row: EntityRow, asOf: Date | null): EntityRow => (asOf ? { ...row, asOf: asOf.toISOString() } : row);

/**
 * The rows as a graph. Each agent's callees are put in (name, id) order, so that of two chains of
 * the same length the walk finds the same one every time (src/agents/privileges.ts).
 */
function toGraph(rows: AgentGraphRow[], asOf: Date | null): AgentGraph {
  const graph: AgentGraph = new Map(
    rows.map((row) => [
      row.agent.id,
      { agent: stamp(row.agent, asOf), invokes: row.invokes, grants: row.grants.map((grant) => ({ ...grant, target: stamp(grant.target, asOf) })) },
    ]),
  );
  const sortKey = (id: string) => `${graph.get(id)?.agent.name ?? ''}\u0000${id}`;
  for (const node of graph.values()) node.invokes = node.invokes.map((id) => [sortKey(id), id]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, id]) => id);
  return graph;
}

/** The agent queries (cypher/agents/*), now or as of an instant: one read each. */
export const agentRepository = {
  /** The record with this id (null when absent then), and when it is an agent, the agents it reaches. */
  async reachOf(db: RequestGateway, id: string, asOf: Date | null): Promise<{ root: EntityRow | null; graph: AgentGraph }> {
    const rows = asOf
      ? await db.read<{ root: EntityRow | null; agents: AgentGraphRow[] }>('agents/findAgentPrivilegesAsOf', { id, asOf })
      : await db.read<{ root: EntityRow | null; agents: AgentGraphRow[] }>('agents/findAgentPrivileges', { id });
    const [row] = rows;
    return { root: row?.root ? stamp(row.root, asOf) : null, graph: toGraph(row?.agents ?? [], asOf) };
  },
  /** Every agent (that existed then), for findings over all of them. */
  async graph(db: RequestGateway, asOf: Date | null): Promise<AgentGraph> {
    const [row] = asOf ? await db.read<WholeGraphRow>('agents/findAgentGraphAsOf', { asOf }) : await db.read<WholeGraphRow>('agents/findAgentGraph', {});
    const targets = new Map(row.targets.map((target) => [target.id, target]));
    const rows = row.agents.map((agent) => ({ ...agent, grants: agent.grants.map(([type, scopes, targetId]) => ({ type, scopes, target: targets.get(targetId)! })) }));
    return toGraph(rows, asOf);
  },
  /** The record with this id (null when absent then), and when a Tool or Dataset, who reaches it. */
  async reaching(db: RequestGateway, id: string, asOf: Date | null): Promise<{ target: EntityRow | null; reaches: ReachRow[] }> {
    const rows = asOf
      ? await db.read<{ target: EntityRow | null; reaches: ReachRow[] }>('agents/findAgentsReachingAsOf', { id, asOf })
      : await db.read<{ target: EntityRow | null; reaches: ReachRow[] }>('agents/findAgentsReaching', { id });
    const [row] = rows;
    return {
      target: row?.target ? stamp(row.target, asOf) : null,
      reaches: (row?.reaches ?? []).map((reach) => ({ ...reach, agent: stamp(reach.agent, asOf), models: reach.models.map((model) => stamp(model, asOf)) })),
    };
  },
};
