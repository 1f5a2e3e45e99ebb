import type { RelationshipType } from '../estate/model';

/** A relationship as findWindowSubgraph.cypher ships it: stored direction, its interval in ms (validTo null: it still holds). */
export interface DatedEdge {
  type: RelationshipType;
  fromId: string;
  toId: string;
  validFrom: number;
  validTo: number | null;
}

/** A hop of a path: one relationship between two records, whatever its intervals. */
export type Hop = Pick<DatedEdge, 'type' | 'fromId' | 'toId'>;

/** One shortest path to a record, and the stretch during which it was the one (to: exclusive; null: the window's end). */
export interface DatedRoute {
  from: number;
  to: number | null;
  /** From the root to the record, in walking order. */
  hops: Hop[];
}

/** A stretch of the window during which a record depended on the root without a break. */
export interface Dependence {
  from: number;
  to: number | null;
  distance: number;
  routes: DatedRoute[];
}

/**
 * Who depended on the root at each moment of the window [from, to] (both included), walking as
 * impact does (findReachable.cypher): against the stored direction of flow relationships, then at
 * most one INFORMS along its own, the last hop, within maxDepth hops. The relationships that hold
 * change only at the instants where one starts or ends, so the window is cut there and each piece
 * walked breadth-first once; a record keeps its previous path while that path is still a shortest
 * one, so that a new path means a real change (a relationship whose properties changed, a WAS then a
live one between the same records, is the same hop). Exact, and linear in pieces × relationships.
 */
export function sweepWindow(rootId: string, edges: DatedEdge[], window: { from: number; to: number }, maxDepth: number): Map<string, Dependence[]> {
  // A fixed order, so that ties between equally short paths break the same way in every piece.
  const ordered = [...edges].sort((a, b) => a.type.localeCompare(b.type) || a.fromId.localeCompare(b.fromId) || a.toId.localeCompare(b.toId) || a.validFrom - b.validFrom);
  const hopKey = (edge: Hop) => `${edge.type}|${edge.fromId}|${edge.toId}`;
  const steps = new Map<string, Array<{ edge: DatedEdge; to: string }>>();
  for (const edge of ordered) {
    const [at, to] = edge.type === 'INFORMS' ? [edge.fromId, edge.toId] : [edge.toId, edge.fromId];
    if (!steps.has(at)) steps.set(at, []);
    steps.get(at)!.push({ edge, to });
  }
  const starts = [
    window.from,
    ...[...new Set(edges.flatMap((edge) => [edge.validFrom, edge.validTo ?? Number.NaN]))].filter((instant) => instant > window.from && instant <= window.to).sort((a, b) => a - b),
  ];

  const dependences = new Map<string, Dependence[]>();
  let parents = new Map<string, string>();
  let routes = new Map<string, { key: string; hops: Hop[] }>();
  for (const start of starts) {
    const holds = (edge: DatedEdge) => edge.validFrom <= start && (edge.validTo === null || start < edge.validTo);
    const lastHops = new Map<string, DatedEdge>();
    const nextRoutes = new Map<string, { key: string; hops: Hop[] }>([[rootId, { key: '', hops: [] }]]);
    let level = [rootId];
    for (let distance = 1; distance <= maxDepth && level.length > 0; distance += 1) {
      const candidates = new Map<string, DatedEdge[]>();
      for (const at of level) {
        // INFORMS is the walk's last hop: a decision leads nowhere further.
        if (lastHops.get(at)?.type === 'INFORMS') continue;
        for (const { edge, to } of steps.get(at) ?? []) {
          if (nextRoutes.has(to) || !holds(edge)) continue;
          if (!candidates.has(to)) candidates.set(to, []);
          candidates.get(to)!.push(edge);
        }
      }
      for (const [id, found] of candidates) {
        const previous = parents.get(id);
        const parent = found.find((edge) => hopKey(edge) === previous) ?? found[0];
        const before = nextRoutes.get(parent.type === 'INFORMS' ? parent.fromId : parent.toId)!;
        const hop = { type: parent.type, fromId: parent.fromId, toId: parent.toId };
        lastHops.set(id, parent);
        nextRoutes.set(id, { key: `${before.key}/${hopKey(hop)}`, hops: [...before.hops, hop] });
      }
      level = [...candidates.keys()];
    }
    for (const [id, route] of nextRoutes) {
      if (id === rootId) continue;
      const list = dependences.get(id) ?? [];
      const open = list[list.length - 1];
      const distance = route.hops.length;
      if (!open || open.to !== null) {
        list.push({ from: start, to: null, distance, routes: [{ from: start, to: null, hops: route.hops }] });
        dependences.set(id, list);
      } else if (routes.get(id)!.key !== route.key) {
        open.routes[open.routes.length - 1].to = start;
        open.routes.push({ from: start, to: null, hops: route.hops });
        open.distance = Math.min(open.distance, distance);
      }
    }
    for (const [id, list] of dependences) {
      const open = list[list.length - 1];
      if (open.to === null && !nextRoutes.has(id)) {
        open.to = start;
        open.routes[open.routes.length - 1].to = start;
      }
    }
    parents = new Map([...lastHops].map(([id, edge]) => [id, hopKey(edge)]));
    routes = nextRoutes;
  }
  return dependences;
}
