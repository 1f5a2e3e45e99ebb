import type { RequestGateway } from '../db/gateway';
import { badUserInput, notFound } from '../errors';
import type { EntityRow } from '../estate/model';
import { checkAsOf } from '../history/asOf';
import { signalRepository } from '../signals/signalRepository';
import { agentRepository } from './agentRepository';
import { effectivePrivileges, grantScopes, invokedAgents, privilegeFindings, type AgentGraph, type Cut, type Finding } from './privileges';

export interface AgentPrivilegeResult {
  target: EntityRow;
  scopes: string[];
  grant: 'CAN_USE' | 'RETRIEVES_FROM';
  chain: EntityRow[];
  direct: boolean;
}

export interface FindingResult {
  kind: Finding['kind'];
  target: EntityRow;
  scopes: string[];
  path: EntityRow[];
  cut: Array<{ type: Cut['type']; from: EntityRow; to: EntityRow }>;
  collateral: number;
}

export interface AgentReachResult {
  agent: EntityRow;
  models: EntityRow[];
  chain: EntityRow[];
  grant: 'CAN_USE' | 'RETRIEVES_FROM';
  scopes: string[];
}

/** Least privilege for agents (schema/agents.graphql): reads only, so every role may ask. */
export class AgentService {
  constructor(private readonly db: RequestGateway) {}

  async privileges(id: string, asOfValue?: Date | string | null) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const { root, graph } = await this.agentReach(id, asOf);
    const agent = (agentId: string) => graph.get(agentId)!.agent;
    return {
      agent: root,
      privileges: effectivePrivileges(graph, root.id).map((p): AgentPrivilegeResult => ({ ...p, chain: p.chain.map(agent) })),
      invokes: invokedAgents(graph, root.id).map(agent),
    };
  }

  /**
   * Agents with at least one finding, by name and id. With `unusedDays`, also the tools an agent
   * holds and used in no TOOL_USE signal of the days before `asOf` (or now).
   */
  async overPrivileged(asOfValue?: Date | string | null, unusedDays?: number | null) {
    if (unusedDays !== null && unusedDays !== undefined && (!Number.isInteger(unusedDays) || unusedDays < 1 || unusedDays > 366)) {
      throw badUserInput('unusedDays must be an integer from 1 to 366', [{ path: 'unusedDays', message: String(unusedDays) }]);
    }
    const asOf = await checkAsOf(this.db, asOfValue);
    const graph = await agentRepository.graph(this.db, asOf);
    const usage = unusedDays ? await signalRepository.toolUse(this.db, [...graph.keys()], new Date((asOf ?? new Date()).getTime() - unusedDays * 86_400_000), asOf) : undefined;
    const agents = [...graph.values()].map((node) => node.agent).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    return agents
      .map((agent) => ({ agent, findings: privilegeFindings(graph, agent.id, usage).map((finding) => this.findingResult(graph, finding)) }))
      .filter((entry) => entry.findings.length > 0);
  }

  /** Agents that reach a Tool or Dataset, one entry per agent (its shortest chain), nearest first then by name. */
  async whoCanReach(id: string, asOfValue?: Date | string | null): Promise<AgentReachResult[]> {
    const asOf = await checkAsOf(this.db, asOfValue);
    const { target, reaches } = await agentRepository.reaching(this.db, id, asOf);
    if (!target) throw notFound(`Record ${id}${asOf ? ` at ${asOf.toISOString()}` : ''}`);
    if (target.type !== 'Tool' && target.type !== 'Dataset') {
      throw badUserInput(`whoCanReach takes a Tool or a Dataset; ${id} is a ${target.type}`, [{ path: 'target', message: `a ${target.type}` }]);
    }
    const agents = new Map(reaches.map((reach) => [reach.agent.id, reach.agent]));
    const nearest = new Map<string, (typeof reaches)[number]>();
    for (const reach of reaches) {
      const kept = nearest.get(reach.agent.id);
      if (!kept || reach.chain.length < kept.chain.length) nearest.set(reach.agent.id, reach);
    }
    return [...nearest.values()]
      .sort((a, b) => a.chain.length - b.chain.length || (a.agent.name < b.agent.name ? -1 : a.agent.name > b.agent.name ? 1 : a.agent.id < b.agent.id ? -1 : 1))
      .map((reach) => ({
        agent: reach.agent,
        models: reach.models,
        chain: reach.chain.map((agentId) => agents.get(agentId)!),
        grant: reach.grant,
        scopes: grantScopes({ type: reach.grant, scopes: reach.scopes, target }),
      }));
  }

  private async agentReach(id: string, asOf: Date | null): Promise<{ root: EntityRow; graph: AgentGraph }> {
    const { root, graph } = await agentRepository.reachOf(this.db, id, asOf);
    if (!root) throw notFound(`Record ${id}${asOf ? ` at ${asOf.toISOString()}` : ''}`);
    if (root.type !== 'Agent') throw badUserInput(`agentPrivileges takes an Agent; ${id} is a ${root.type}`, [{ path: 'id', message: `a ${root.type}` }]);
    return { root, graph };
  }

  private findingResult(graph: AgentGraph, finding: Finding): FindingResult {
    const record = (id: string) => (id === finding.target.id ? finding.target : graph.get(id)?.agent ?? this.targetOf(graph, id));
    return {
      ...finding,
      path: finding.path.map(record),
      cut: finding.cut.map((cut) => ({ type: cut.type, from: graph.get(cut.fromId)!.agent, to: record(cut.toId) })),
    };
  }

  private targetOf(graph: AgentGraph, id: string): EntityRow {
    for (const node of graph.values()) for (const grant of node.grants) if (grant.target.id === id) return grant.target;
    throw new Error(`no record ${id} in the agent graph`);
  }
}
