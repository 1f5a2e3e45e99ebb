import type { EntityRow } from '../estate/model';

/**
 * The pure decisions behind agentPrivileges, overPrivilegedAgents and whoCanReach: given the agents,
 * their invocations, grants and approvals as plain data (read at one instant), what each agent can
 * reach, what exceeds its approval, and which single relationship to cut. Unit-tested without Neo4j.
 */

export type GrantType = 'CAN_USE' | 'RETRIEVES_FROM';

/** A grant or approval as stored: its relationship's scopes (null when unset) and its target. */
export interface GrantEdge {
  type: GrantType | 'APPROVED_USE';
  scopes: string[] | null;
  target: EntityRow;
}

export interface AgentNode {
  agent: EntityRow;
  /** Ids of the agents it may invoke (CAN_INVOKE). */
  invokes: string[];
  grants: GrantEdge[];
}

/** Every agent of the question, by id; invocations to an agent not in the map are not followed. */
export type AgentGraph = Map<string, AgentNode>;

export interface Privilege {
  target: EntityRow;
  scopes: string[];
  grant: GrantType;
  /** Agent ids from the agent asked about to the one holding the grant. */
  chain: string[];
  direct: boolean;
}

export type FindingKind = 'EXCEEDS_APPROVAL' | 'PERSONAL_DATA_THROUGH_INVOCATION' | 'SENSITIVE_TOOL_THROUGH_INVOCATION' | 'UNUSED_GRANT';

/**
 * Tool use seen by monitoring (TOOL_USE signals), by agent id: the tools it used in the window. An
 * agent absent from the map has no tool use monitored at all, so nothing can be said about it.
 */
export type ToolUsage = ReadonlyMap<string, ReadonlySet<string>>;

export interface Cut {
  type: GrantType | 'CAN_INVOKE';
  fromId: string;
  toId: string;
}

export interface Finding {
  kind: FindingKind;
  target: EntityRow;
  scopes: string[];
  /** Agent ids then the target's id. */
  path: string[];
  cut: Cut[];
  collateral: number;
}

const ALL = '*';
/** Code-point order, as Cypher's ORDER BY sorts strings (and much cheaper than localeCompare). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const SENSITIVE = new Set(['HIGH', 'CRITICAL']);

/**
 * The scopes a grant gives: its own; unset, every scope of the tool (or `*` when the tool lists
 * none), and read for a dataset retrieval, which is what RETRIEVES_FROM meant before scopes.
 */
export function grantScopes(edge: GrantEdge): string[] {
  if (edge.scopes && edge.scopes.length > 0) return [...new Set(edge.scopes)].sort();
  if (edge.type === 'RETRIEVES_FROM') return ['read'];
  if (edge.type === 'APPROVED_USE') return [ALL];
  const offered = Array.isArray(edge.target.scopes) ? (edge.target.scopes as string[]) : [];
  return offered.length > 0 ? [...new Set(offered)].sort() : [ALL];
}

/** A grant's scopes, worked out once per edge: the findings ask for them once per candidate cut. */
const scopesOfEdge = new WeakMap<GrantEdge, string[]>();
function scopesOf(edge: GrantEdge): string[] {
  let scopes = scopesOfEdge.get(edge);
  if (!scopes) {
    scopes = grantScopes(edge);
    scopesOfEdge.set(edge, scopes);
  }
  return scopes;
}

/** Breadth-first over invocations: each reachable agent's shortest chain (parent ids), cycles end. */
function reach(graph: AgentGraph, rootId: string, skip?: Cut): Map<string, string[]> {
  const chains = new Map<string, string[]>([[rootId, [rootId]]]);
  const queue = [rootId];
  for (let i = 0; i < queue.length; i += 1) {
    const from = queue[i];
    for (const to of graph.get(from)?.invokes ?? []) {
      if (chains.has(to) || !graph.has(to)) continue;
      if (skip && skip.type === 'CAN_INVOKE' && skip.fromId === from && skip.toId === to) continue;
      chains.set(to, [...chains.get(from)!, to]);
      queue.push(to);
    }
  }
  return chains;
}

/** Every grant reachable from the agent, one per target and holding agent, nearest first, then by target, then by the holding agent's name. */
export function effectivePrivileges(graph: AgentGraph, rootId: string, skip?: Cut, sorted = true): Privilege[] {
  const privileges: Privilege[] = [];
  for (const [agentId, chain] of reach(graph, rootId, skip)) {
    for (const edge of graph.get(agentId)!.grants) {
      if (edge.type === 'APPROVED_USE') continue;
      if (skip && skip.type === edge.type && skip.fromId === agentId && skip.toId === edge.target.id) continue;
      privileges.push({ target: edge.target, scopes: scopesOf(edge), grant: edge.type, chain, direct: chain.length === 1 });
    }
  }
  if (!sorted) return privileges;
  const holder = (p: Privilege) => graph.get(p.chain.at(-1)!)!.agent;
  return privileges.sort(
    (a, b) =>
      a.chain.length - b.chain.length ||
      compare(a.target.name, b.target.name) ||
      compare(a.target.id, b.target.id) ||
      compare(holder(a).name, holder(b).name) ||
      compare(holder(a).id, holder(b).id),
  );
}

/** The agents it can invoke, directly or through others, nearest first. */
export function invokedAgents(graph: AgentGraph, rootId: string): string[] {
  return [...reach(graph, rootId).keys()].filter((id) => id !== rootId);
}

const pairs = (privileges: Privilege[]) => new Set(privileges.flatMap((p) => p.scopes.map((scope) => `${p.target.id}|${scope}`)));

/** How many (target, scope) pairs of `before`, other than the target's own, are not kept. */
function lost(before: Set<string>, kept: Set<string>, targetId: string): number {
  const own = `${targetId}|`;
  let count = 0;
  for (const pair of before) if (!kept.has(pair) && !pair.startsWith(own)) count += 1;
  return count;
}

/** An agent's privileges without one relationship, and the (target, scope) pairs it keeps: asked once per cut. */
type Without = (cut: Cut) => { privileges: Privilege[]; kept: Set<string> };

/** Scopes of `scopes` not covered by the agent's approvals of the target. */
function unapproved(approved: Map<string, Set<string>>, target: string, scopes: string[]): string[] {
  const allowed = approved.get(target);
  if (allowed?.has(ALL)) return [];
  return scopes.filter((scope) => !allowed?.has(scope));
}

/**
 * One finding of a kind on one target: the routes that make it (privileges), a path that explains
 * it, and the cheapest single relationship whose removal leaves no such route; with none, every
 * offending grant.
 */
function finding(
  graph: AgentGraph,
  rootId: string,
  kind: FindingKind,
  routes: Privilege[],
  scopes: string[],
  stillOffends: (privileges: Privilege[]) => boolean,
  before: Set<string>,
  without: Without,
): Finding {
  const [explaining] = routes;
  const target = explaining.target;
  const grantCut = (p: Privilege): Cut => ({ type: p.grant, fromId: p.chain.at(-1)!, toId: p.target.id });
  // A single cut must lie on every route, so on the first one: its grant, then its invocations nearest the grant first.
  const candidates: Cut[] = [grantCut(explaining)];
  for (let i = explaining.chain.length - 1; i > 0; i -= 1) candidates.push({ type: 'CAN_INVOKE', fromId: explaining.chain[i - 1], toId: explaining.chain[i] });
  let best: { cut: Cut; collateral: number } | null = null;
  for (const cut of candidates) {
    const { privileges: after, kept } = without(cut);
    if (stillOffends(after)) continue;
    const collateral = lost(before, kept, target.id);
    if (!best || collateral < best.collateral) best = { cut, collateral };
  }
  if (best) return { kind, target, scopes, path: [...explaining.chain, target.id], cut: [best.cut], collateral: best.collateral };
  const cuts = [...new Map(routes.map((p) => [`${p.grant}|${p.chain.at(-1)}`, grantCut(p)])).values()];
  let after = effectivePrivileges(graph, rootId, undefined, false);
  for (const cut of cuts) after = after.filter((p) => !(p.grant === cut.type && p.chain.at(-1) === cut.fromId && p.target.id === cut.toId));
  const collateral = lost(before, pairs(after), target.id);
  return { kind, target, scopes, path: [...explaining.chain, target.id], cut: cuts, collateral };
}

/**
 * What is wrong with an agent's reach: privileges beyond its owner's approvals (APPROVED_USE on the
 * agent itself), personal-data datasets or HIGH/CRITICAL tools it holds only through others, and,
 * given `usage`, tools it holds itself (CAN_USE) and never used in the window while its tool use is
 * monitored. One finding per kind and target, ordered by kind then target name.
 */
export function privilegeFindings(graph: AgentGraph, rootId: string, usage?: ToolUsage): Finding[] {
  // Unsorted: each finding is explained by its nearest route, which the breadth-first walk lists first.
  const privileges = effectivePrivileges(graph, rootId, undefined, false);
  const before = pairs(privileges);
  const cuts = new Map<string, ReturnType<Without>>();
  const without: Without = (cut) => {
    const key = `${cut.type}|${cut.fromId}|${cut.toId}`;
    let result = cuts.get(key);
    if (!result) {
      const after = effectivePrivileges(graph, rootId, cut, false);
      result = { privileges: after, kept: pairs(after) };
      cuts.set(key, result);
    }
    return result;
  };
  const approved = new Map<string, Set<string>>();
  for (const edge of graph.get(rootId)?.grants ?? []) {
    if (edge.type !== 'APPROVED_USE') continue;
    const scopes = approved.get(edge.target.id) ?? new Set<string>();
    for (const scope of scopesOf(edge)) scopes.add(scope);
    approved.set(edge.target.id, scopes);
  }
  const byTarget = new Map<string, Privilege[]>();
  for (const p of privileges) byTarget.set(p.target.id, [...(byTarget.get(p.target.id) ?? []), p]);

  const findings: Finding[] = [];
  for (const [targetId, routes] of byTarget) {
    const excess = [...new Set(routes.flatMap((p) => unapproved(approved, targetId, p.scopes)))].sort();
    if (excess.length > 0) {
      const offending = routes.filter((p) => unapproved(approved, targetId, p.scopes).length > 0);
      const offends = (after: Privilege[]) => after.some((p) => p.target.id === targetId && unapproved(approved, targetId, p.scopes).length > 0);
      findings.push(finding(graph, rootId, 'EXCEEDS_APPROVAL', offending, excess, offends, before, without));
    }
    const target = routes[0].target;
    const kind: FindingKind | null =
      target.type === 'Dataset' && target.containsPersonalData === true
        ? 'PERSONAL_DATA_THROUGH_INVOCATION'
        : target.type === 'Tool' && SENSITIVE.has(String(target.sensitivity))
          ? 'SENSITIVE_TOOL_THROUGH_INVOCATION'
          : null;
    if (kind && !routes.some((p) => p.direct)) {
      const offends = (after: Privilege[]) => after.some((p) => p.target.id === targetId);
      findings.push(finding(graph, rootId, kind, routes, [...new Set(routes.flatMap((p) => p.scopes))].sort(), offends, before, without));
    }
  }
  const used = usage?.get(rootId);
  for (const edge of used ? (graph.get(rootId)?.grants ?? []) : []) {
    if (edge.type !== 'CAN_USE' || used!.has(edge.target.id)) continue;
    // Its own grant, so the grant is the cut; through others it may still reach the tool, which the collateral leaves out.
    const cut: Cut = { type: 'CAN_USE', fromId: rootId, toId: edge.target.id };
    findings.push({ kind: 'UNUSED_GRANT', target: edge.target, scopes: grantScopes(edge), path: [rootId, edge.target.id], cut: [cut], collateral: lost(before, without(cut).kept, edge.target.id) });
  }
  const order: FindingKind[] = ['EXCEEDS_APPROVAL', 'PERSONAL_DATA_THROUGH_INVOCATION', 'SENSITIVE_TOOL_THROUGH_INVOCATION', 'UNUSED_GRANT'];
  return findings.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || compare(a.target.name, b.target.name) || compare(a.target.id, b.target.id));
}
