import DataLoader from 'dataloader';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, notFound } from '../errors';
import type { Rating } from '../generated/graphql';
import { ENTITY_TYPES, entityKey, EntityRow, EntityType, GATED_STAGES, LINEAGE_TYPES, RelationshipType, relationshipOwnProperties, withListDefaults } from '../estate/model';
import { lineageRepository as repo, PathRow, ReachedRow, RootRef, TraversalParams } from './lineageRepository';
import type { EntityKeyInput } from '../generated/graphql';
import type { RecordProjection } from '../estate/projection';

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

export interface Path {
  nodes: EntityRow[];
  steps: Array<{ type: RelationshipType; from: EntityRow; to: EntityRow }>;
  text: string;
}

export interface ReachedItem {
  entity: EntityRow;
  distance: number;
  path: Path;
}

export interface ImpactReport {
  root: EntityRow;
  direction: LineageDirection;
  maxDepth: number;
  count: number;
  groups: Array<{ type: EntityType; count: number; items: ReachedItem[] }>;
  items: ReachedItem[];
  decisions: Array<{ decision: EntityRow; distance: number; impactLevel: Rating | null; humanInTheLoop: boolean | null; path: Path }>;
  vendors: EntityRow[];
  owners: EntityRow[];
  truncated: boolean;
  nodeLimit: number;
}

/** Turns a path as Cypher returns it (records already read, steps by id) into steps and text. */
function toPath(nodes: EntityRow[], steps: PathRow['steps']): Path {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  let text = nodes[0]?.name ?? '';
  steps.forEach((step, index) => {
    const forward = step.fromId === nodes[index].id;
    text += forward ? ` -${step.type}-> ` : ` <-${step.type}- `;
    text += nodes[index + 1].name;
  });
  return { nodes, steps: steps.map((step) => ({ type: step.type, from: byId.get(step.fromId)!, to: byId.get(step.toId)! })), text };
}

/** A reached record; its path is built when a caller first reads it, as most screens select only some. */
function reachedItem(entity: EntityRow, distance: number, buildPath: () => Path): ReachedItem {
  let path: Path | undefined;
  return {
    entity,
    distance,
    get path() {
      return (path ??= buildPath());
    },
  };
}

/** Where a traversal starts: exactly one of a global id or a key. */
export interface RootInput {
  id?: string | null;
  key?: EntityKeyInput | null;
}

function rootRef({ id, key }: RootInput): RootRef {
  if ((id ? 1 : 0) + (key ? 1 : 0) !== 1) throw badUserInput('Give the record either by id or by key', [{ path: 'id', message: 'exactly one of id and key' }]);
  return { id: id ?? null, key: key ? entityKey(key.type, key.source, key.externalId) : null };
}

const toItem = (row: ReachedRow): ReachedItem => reachedItem(withListDefaults(row.entity), row.distance, () => toPath(row.nodes.map(withListDefaults), row.steps));

/**
 * Lineage, impact and exposure: each answer is one Cypher traversal, bounded by a depth ceiling
 * and a node limit that is reported when reached.
 */
export class LineageService {
  private readonly compromisedLoader: DataLoader<string, ReachedItem[]>;

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
  ) {
    this.compromisedLoader = new DataLoader(async (ids) => {
      const rows = await db.readTx((tx) => repo.compromisedUpstream(tx, [...ids], this.traversal(undefined)));
      const byId = new Map(rows.map((row) => [row.id, row.sources.map(toItem)]));
      return ids.map((id) => byId.get(id) ?? []);
    });
  }

  compromisedUpstream(id: string): Promise<ReachedItem[]> {
    return this.compromisedLoader.load(id);
  }

  /** `projection`: how much of each reached record the caller's selection needs (see recordProjection). */
  impact(root: RootInput, maxDepth: number | null | undefined, projection: RecordProjection = 'ALL'): Promise<ImpactReport> {
    return this.reachable(root, 'DOWNSTREAM', maxDepth, projection);
  }

  dependencies(root: RootInput, maxDepth: number | null | undefined, projection: RecordProjection = 'ALL'): Promise<ImpactReport> {
    return this.reachable(root, 'UPSTREAM', maxDepth, projection);
  }

  async lineage(root: RootInput, direction: LineageDirection, maxDepth: number | null | undefined, relationshipTypes: RelationshipType[] | null | undefined, projection: RecordProjection = 'ALL') {
    const params = this.traversal(maxDepth, relationshipTypes);
    const limit = this.config.limits.traversalNodeLimit;
    const ref = rootRef(root);
    const row = await this.db.readTx((tx) => repo.lineage(tx, ref, direction !== 'DOWNSTREAM', direction !== 'UPSTREAM', params, limit + 1, projection));
    if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
    const reached = [...row.upstream, ...row.downstream];
    const truncated = row.upstream.length > limit || row.downstream.length > limit || reached.length > limit;
    const kept = reached.slice(0, limit);
    const keptIds = new Set([row.root.id, ...kept.map((node) => node.entity.id)]);
    return {
      root: withListDefaults(row.root),
      nodes: [{ entity: withListDefaults(row.root), distance: 0, direction: 'BOTH' as const }, ...kept.map((node) => ({ ...node, entity: withListDefaults(node.entity) }))],
      edges: row.edges.filter((edge) => keptIds.has(edge.fromId) && keptIds.has(edge.toId)).map((edge) => ({ ...edge, properties: relationshipOwnProperties(edge.properties) })),
      truncated,
      nodeLimit: limit,
    };
  }

  async exposure(maxDepth: number | null | undefined) {
    const params = this.traversal(maxDepth);
    return this.db.readTx(async (tx) => {
      const vendors = await repo.vendorConcentration(tx, params);
      const personalData = await repo.decisionsOnPersonalData(tx, params);
      const ungated = await repo.decisionsOnUngatedModels(tx, params, GATED_STAGES);
      const entries = (rows: typeof personalData) =>
        rows.map((row) => ({ decision: withListDefaults(row.decision), sources: row.sources.map(withListDefaults) }));
      return {
        vendorConcentration: vendors.map((row) => ({
          vendor: withListDefaults(row.source),
          decisionCount: row.decisions.length,
          decisions: row.decisions.map(withListDefaults),
        })),
        personalData: entries(personalData),
        ungatedModels: entries(ungated),
      };
    });
  }

  private async reachable(root: RootInput, direction: 'UPSTREAM' | 'DOWNSTREAM', maxDepth: number | null | undefined, projection: RecordProjection): Promise<ImpactReport> {
    const params = this.traversal(maxDepth);
    const limit = this.config.limits.traversalNodeLimit;
    const ref = rootRef(root);
    const row = await this.db.readTx((tx) => repo.reachable(tx, ref, direction === 'DOWNSTREAM', params, limit + 1, projection));
    if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
    const rootEntity = withListDefaults(row.root);
    const known = new Map([rootEntity, ...row.reached.map((item) => withListDefaults(item.entity))].map((entity) => [entity.id, entity]));
    // Downstream, flow relationships are walked against their stored direction and INFORMS along it; upstream the other way round.
    const storedForward = (type: RelationshipType) => (type === 'INFORMS') === (direction === 'DOWNSTREAM');
    const items = row.reached.slice(0, limit).map((item) =>
      reachedItem(known.get(item.entity.id)!, item.distance, () => {
        const steps = item.stepTypes.map((type, index) => {
          const [near, far] = [item.nodeIds[index], item.nodeIds[index + 1]];
          return storedForward(type) ? { type, fromId: near, toId: far } : { type, fromId: far, toId: near };
        });
        return toPath(item.nodeIds.map((id) => known.get(id)!), steps);
      }),
    );
    const groups = ENTITY_TYPES.map((type) => {
      const ofType = items.filter((item) => item.entity.type === type);
      return { type, count: ofType.length, items: ofType };
    }).filter((group) => group.count > 0);
    return {
      root: rootEntity,
      direction,
      maxDepth: params.maxDepth,
      count: items.length,
      groups,
      items,
      decisions: items
        .filter((item) => item.entity.type === 'Decision')
        .map((item) => ({ decision: item.entity, distance: item.distance, impactLevel: (item.entity.impactLevel as Rating | undefined) ?? null,
          humanInTheLoop: (item.entity.humanInTheLoop as boolean | undefined) ?? null, path: item.path })),
      vendors: row.vendors.map(withListDefaults),
      owners: row.owners.map(withListDefaults),
      truncated: row.reached.length > limit,
      nodeLimit: limit,
    };
  }

  private traversal(maxDepth: number | null | undefined, relationshipTypes?: RelationshipType[] | null): TraversalParams {
    const { defaultTraversalDepth, maxTraversalDepth } = this.config.limits;
    const depth = maxDepth ?? defaultTraversalDepth;
    if (!Number.isInteger(depth) || depth < 1 || depth > maxTraversalDepth) {
      throw badUserInput(`maxDepth must be from 1 to ${maxTraversalDepth} (the configured ceiling), got ${depth}`, [{ path: 'maxDepth', message: `got ${depth}` }]);
    }
    return { maxDepth: depth, types: relationshipTypes && relationshipTypes.length > 0 ? relationshipTypes : LINEAGE_TYPES };
  }
}
