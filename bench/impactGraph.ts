import { Ref, refKey, RelationshipInput } from './estate';

/** The lineage relationships impact walks against their direction; INFORMS is the last hop only. */
const FLOW_TYPES = new Set(['DERIVED_FROM', 'TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON', 'BASED_ON', 'PROVIDED_BY', 'USES_MODEL', 'RETRIEVES_FROM', 'CAN_INVOKE']);

/**
 * Impact as the API defines it (cypher/lineage/findReachable.cypher): flow relationships walked
 * against their direction, then at most one INFORMS hop to a decision, within `depth` hops. Used to
 * design the hot dataset and to check the API's answer.
 */
export class ImpactGraph {
  private readonly dependents = new Map<string, Ref[]>();
  private readonly dependencies = new Map<string, Ref[]>();
  private readonly informs = new Map<string, Ref[]>();
  private readonly informedBy = new Map<string, Ref[]>();

  constructor(relationships: RelationshipInput[]) {
    for (const rel of relationships) this.add(rel);
  }

  add(rel: RelationshipInput): void {
    const push = (map: Map<string, Ref[]>, at: Ref, value: Ref) => {
      const list = map.get(refKey(at));
      if (list) list.push(value);
      else map.set(refKey(at), [value]);
    };
    if (FLOW_TYPES.has(rel.type)) {
      push(this.dependents, rel.to, rel.from);
      push(this.dependencies, rel.from, rel.to);
    } else if (rel.type === 'INFORMS') {
      push(this.informs, rel.from, rel.to);
      push(this.informedBy, rel.to, rel.from);
    }
  }

  /** Records downstream of `root` within `depth` hops. */
  radius(root: Ref, depth: number): number {
    return this.walk(root, depth, this.dependents, this.informs, false);
  }

  /** Records upstream of `root` within `depth` hops (an INFORMS hop first, then flows). */
  upstreamRadius(root: Ref, depth: number): number {
    return this.walk(root, depth, this.dependencies, this.informedBy, true);
  }

  private walk(root: Ref, depth: number, flow: Map<string, Ref[]>, informs: Map<string, Ref[]>, informsFirst: boolean): number {
    const reached = new Map<string, number>([[refKey(root), 0]]);
    if (informsFirst) {
      // Upstream of a decision: the records that inform it (distance 1), then flows from both.
      const informers = (informs.get(refKey(root)) ?? []).filter((ref) => !reached.has(refKey(ref)));
      for (const ref of informers) reached.set(refKey(ref), 1);
      return this.bfs(reached, [[root], informers], depth, flow) - 1;
    }
    this.bfs(reached, [[root]], depth, flow);
    // Decisions: one INFORMS hop from any flow-reached record within depth - 1.
    const decisions = new Set<string>();
    for (const [at, distance] of reached) {
      if (distance >= depth) continue;
      for (const decision of informs.get(at) ?? []) if (!reached.has(refKey(decision))) decisions.add(refKey(decision));
    }
    return reached.size - 1 + decisions.size;
  }

  /** Breadth-first over `flow`; `starts[i]` are the records at distance i. Returns records seen. */
  private bfs(seen: Map<string, number>, starts: Ref[][], depth: number, flow: Map<string, Ref[]>): number {
    let frontier: Ref[] = [];
    for (let distance = 0; distance < depth; distance += 1) {
      frontier = [...frontier, ...(starts[distance] ?? [])];
      const next: Ref[] = [];
      for (const at of frontier) {
        for (const ref of flow.get(refKey(at)) ?? []) {
          if (seen.has(refKey(ref))) continue;
          seen.set(refKey(ref), distance + 1);
          next.push(ref);
        }
      }
      frontier = next;
    }
    return seen.size;
  }
}
