/**
 * What the explorer draws, decided from an API answer without a DOM: which records are drawn and
 * which are grouped by type past the node budget, which edges join them, which records are
 * compromised or downstream of a compromise, and which path explains an impact. Unit-tested in
 * test/unit/explorerModel.test.ts; graph.ts only hands the result to Cytoscape.
 */
import { ENTITY_TYPES, LINEAGE_TYPES, RELATIONSHIPS } from '../src/estate/model';
import type { EntityType, RelationshipType } from '../src/estate/model';

export { ENTITY_TYPES, LINEAGE_TYPES };
export type { EntityType, RelationshipType };
export const RELATIONSHIP_TYPES = Object.keys(RELATIONSHIPS) as RelationshipType[];

export type Direction = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

export interface RecordSummary {
  id: string;
  __typename: EntityType;
  name: string;
  source: string;
  externalId: string;
  status?: string | null;
}

export interface LineageNode {
  entity: RecordSummary;
  distance: number;
  direction: Direction;
}

export interface LineageEdge {
  type: RelationshipType;
  fromId: string;
  toId: string;
}

export interface LineageAnswer {
  root: { id: string; compromisedUpstream?: Array<{ source: { id: string } }> };
  nodes: LineageNode[];
  edges: LineageEdge[];
  truncated: boolean;
  nodeLimit: number;
}

export interface PathStep {
  type: RelationshipType;
  from: { id: string };
  to: { id: string };
}

export interface DrawnNode {
  id: string;
  type: EntityType;
  label: string;
  /** Records a cluster stands for; absent for a record drawn on its own. */
  members?: LineageNode[];
  node?: LineageNode;
  root: boolean;
  compromised: boolean;
  tainted: boolean;
}

export interface DrawnEdge {
  id: string;
  /** Layout runs along the flow (what a record rests on comes first), whatever way it is stored. */
  source: string;
  target: string;
  label: string;
  /** True when the stored relationship points from `target` to `source`: the arrow is drawn at the source end. */
  storedBackwards: boolean;
  /** Relationships merged into this edge when it joins clusters. */
  count: number;
}

export interface Drawing {
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** Records drawn inside clusters rather than on their own. */
  hidden: number;
}

/**
 * Records drawn on their own before the rest are grouped by type. Chosen by time: a drawing of this
 * size is on screen in well under 2 s on a 2-core machine, where a whole 1,000-record impact takes
 * several (bench/README.md); the page offers to draw every record. The records past it are the
 * farthest from the root (then by name): the nearest are the ones a reader follows first, and the
 * root is always drawn.
 */
export const DEFAULT_NODE_BUDGET = 150;

export const clusterId = (type: EntityType) => `cluster:${type}`;

/**
 * Stored relationships point from the dependent to what it rests on, except INFORMS, which points
 * from the model or agent to the decision it informs (schema/lineage.graphql). Data flows the other
 * way, and the layered layout puts what flows in on the left.
 */
export function flowOf(edge: LineageEdge): { source: string; target: string; storedBackwards: boolean } {
  return edge.type === 'INFORMS'
    ? { source: edge.fromId, target: edge.toId, storedBackwards: false }
    : { source: edge.toId, target: edge.fromId, storedBackwards: true };
}

/**
 * COMPROMISED records, and every record downstream of one along lineage relationships in this
 * answer; when the root itself rests on a compromised record (compromisedUpstream), everything
 * downstream of the root as well. Governance relationships (OWNED_BY, THREATENS, ...) carry no taint.
 */
export function taintedIds(answer: Pick<LineageAnswer, 'root' | 'nodes' | 'edges'>): { compromised: Set<string>; tainted: Set<string> } {
  const compromised = new Set(answer.nodes.filter((node) => node.entity.status === 'COMPROMISED').map((node) => node.entity.id));
  const downstream = new Map<string, string[]>();
  for (const edge of answer.edges) {
    if (!LINEAGE_TYPES.includes(edge.type)) continue;
    const { source, target } = flowOf(edge);
    downstream.set(source, [...(downstream.get(source) ?? []), target]);
  }
  const start = [...compromised];
  if ((answer.root.compromisedUpstream ?? []).length > 0) start.push(answer.root.id);
  const tainted = new Set<string>();
  while (start.length > 0) {
    const id = start.pop()!;
    if (tainted.has(id)) continue;
    tainted.add(id);
    start.push(...(downstream.get(id) ?? []));
  }
  return { compromised, tainted };
}

const byNearest = (a: LineageNode, b: LineageNode) => a.distance - b.distance || a.entity.name.localeCompare(b.entity.name) || a.entity.id.localeCompare(b.entity.id);

/** The drawing of an answer: at most `budget` records on their own, the rest in one cluster per type. */
export function planDrawing(answer: LineageAnswer, budget: number = DEFAULT_NODE_BUDGET): Drawing {
  const { compromised, tainted } = taintedIds(answer);
  const ordered = [...answer.nodes].sort((a, b) => (a.entity.id === answer.root.id ? -1 : b.entity.id === answer.root.id ? 1 : byNearest(a, b)));
  const shown = ordered.slice(0, Math.max(1, budget));
  const clustered = ordered.slice(shown.length);
  const placeOf = new Map<string, string>();
  const nodes: DrawnNode[] = shown.map((node) => {
    placeOf.set(node.entity.id, node.entity.id);
    return {
      id: node.entity.id,
      type: node.entity.__typename,
      label: node.entity.name,
      node,
      root: node.entity.id === answer.root.id,
      compromised: compromised.has(node.entity.id),
      tainted: tainted.has(node.entity.id),
    };
  });
  const clusters = new Map<EntityType, LineageNode[]>();
  for (const node of clustered) {
    placeOf.set(node.entity.id, clusterId(node.entity.__typename));
    clusters.set(node.entity.__typename, [...(clusters.get(node.entity.__typename) ?? []), node]);
  }
  for (const [type, members] of clusters) {
    nodes.push({
      id: clusterId(type),
      type,
      label: `${members.length} more ${type} records`,
      members,
      root: false,
      compromised: members.some((member) => compromised.has(member.entity.id)),
      tainted: members.some((member) => tainted.has(member.entity.id)),
    });
  }
  const edges = new Map<string, DrawnEdge>();
  for (const edge of answer.edges) {
    const flow = flowOf(edge);
    const source = placeOf.get(flow.source);
    const target = placeOf.get(flow.target);
    if (!source || !target || source === target) continue;
    const merged = source.startsWith('cluster:') || target.startsWith('cluster:');
    const id = merged ? `${source}|${edge.type}|${target}` : `${edge.fromId}|${edge.type}|${edge.toId}`;
    const existing = edges.get(id);
    if (existing) existing.count += 1;
    else edges.set(id, { id, source, target, label: edge.type, storedBackwards: flow.storedBackwards, count: 1 });
  }
  for (const edge of edges.values()) if (edge.count > 1) edge.label = `${edge.label} ×${edge.count}`;
  return { nodes, edges: [...edges.values()], hidden: clustered.length };
}

/** Adds a neighbourhood (an expansion) to an answer, keeping what was there: its distances stay the root's. */
export function mergeAnswers(base: LineageAnswer, extra: Pick<LineageAnswer, 'nodes' | 'edges'>): LineageAnswer {
  const known = new Set(base.nodes.map((node) => node.entity.id));
  const edgeKey = (edge: LineageEdge) => `${edge.fromId}|${edge.type}|${edge.toId}`;
  const knownEdges = new Set(base.edges.map(edgeKey));
  return {
    ...base,
    nodes: [...base.nodes, ...extra.nodes.filter((node) => !known.has(node.entity.id))],
    edges: [...base.edges, ...extra.edges.filter((edge) => !knownEdges.has(edgeKey(edge)))],
  };
}

/** The record ids and relationship ids a path passes through, to light them up in the drawing. */
export function pathElements(steps: PathStep[]): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const step of steps) {
    nodes.add(step.from.id);
    nodes.add(step.to.id);
    edges.add(`${step.from.id}|${step.type}|${step.to.id}`);
  }
  return { nodes, edges };
}
