import DataLoader from 'dataloader';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, notFound } from '../errors';
import { entityKey, GATED_STAGES, LINEAGE_TYPES, RelationshipType, relationshipOwnProperties } from '../estate/model';
import { lineageRepository as repo, ReachedRow, RootRef, TraversalParams } from './lineageRepository';
import type { EntityKeyInput } from '../generated/graphql';
import { ImpactReport, pageArgs, pageOf, Path, ReachedItem, readRecord, readReport, ShippedAs, toPath } from './radius';
import { LineageShape, ReachShape, wholeLineageShape, wholeShape } from './reachShape';

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

/** A compromised source; its path is built when a caller first reads it. */
function reachedItem(row: ReachedRow): ReachedItem {
  let path: Path | undefined;
  return {
    entity: row.entity,
    distance: row.distance,
    get path() {
      return (path ??= toPath(row.nodes, row.steps));
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
      const byId = new Map(rows.map((row) => [row.id, row.sources.map(reachedItem)]));
      return ids.map((id) => byId.get(id) ?? []);
    });
  }

  compromisedUpstream(id: string): Promise<ReachedItem[]> {
    return this.compromisedLoader.load(id);
  }

  /** `shape`: what the caller's selection reads of the report (see reachShape); all of it when not given. */
  impact(root: RootInput, maxDepth: number | null | undefined, shape: ReachShape = wholeShape()): Promise<ImpactReport> {
    return this.reachable(root, 'DOWNSTREAM', maxDepth, shape);
  }

  dependencies(root: RootInput, maxDepth: number | null | undefined, shape: ReachShape = wholeShape()): Promise<ImpactReport> {
    return this.reachable(root, 'UPSTREAM', maxDepth, shape);
  }

  /** The page of one of a report's lists that the field's `first` and `after` ask for. */
  page<T extends { position: number }>(items: T[], first: number | null | undefined, after: string | null | undefined): T[] {
    return pageOf(items, pageArgs(first, after, this.config.limits.maxPageSize));
  }

  /** `shape`: what the caller's selection reads of the subgraph (see lineageShape); all of it when not given. */
  async lineage(root: RootInput, direction: LineageDirection, maxDepth: number | null | undefined, relationshipTypes: RelationshipType[] | null | undefined, shape: LineageShape = wholeLineageShape()) {
    const params = this.traversal(maxDepth, relationshipTypes);
    const limit = this.config.limits.traversalNodeLimit;
    const ref = rootRef(root);
    const record = shape.record.toParam();
    const shipped = { upstream: direction !== 'DOWNSTREAM', downstream: direction !== 'UPSTREAM', probe: limit + 1, record, edges: shape.edges, edgeProperties: shape.edgeProperties };
    const row = await this.db.readTx((tx) => repo.lineage(tx, ref, shipped, params));
    if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
    const node = (direction: 'UPSTREAM' | 'DOWNSTREAM') => (values: unknown[]) => ({ entity: readRecord(values, record, 1), distance: values[0] as number, direction });
    const reached = [...row.upstream.map(node('UPSTREAM')), ...row.downstream.map(node('DOWNSTREAM'))];
    const truncated = row.upstream.length > limit || row.downstream.length > limit || reached.length > limit;
    const kept = reached.slice(0, limit);
    const keptIds = new Set([row.root.id, ...kept.map((item) => item.entity.id)]);
    return {
      root: row.root,
      nodes: [{ entity: row.root, distance: 0, direction: 'BOTH' as const }, ...kept],
      edges: row.edges
        .filter(([, fromId, toId]) => keptIds.has(fromId) && keptIds.has(toId))
        // Properties are shipped only when selected; an edge read without them is never asked for them.
        .map(([type, fromId, toId, properties]) => ({ type, fromId, toId, properties: properties ? relationshipOwnProperties(properties) : {} })),
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
        rows.map((row) => ({ decision: row.decision, sources: row.sources }));
      return {
        vendorConcentration: vendors.map((row) => ({
          vendor: row.source,
          decisionCount: row.decisions.length,
          decisions: row.decisions,
        })),
        personalData: entries(personalData),
        ungatedModels: entries(ungated),
      };
    });
  }

  private async reachable(root: RootInput, direction: 'UPSTREAM' | 'DOWNSTREAM', maxDepth: number | null | undefined, shape: ReachShape): Promise<ImpactReport> {
    const params = this.traversal(maxDepth);
    const { traversalNodeLimit: limit, maxPageSize } = this.config.limits;
    const ref = rootRef(root);
    const windows = (shape.windows ?? []).map((window) => ({ type: window.type, ...pageArgs(window.first, window.after, maxPageSize) }));
    const whole = shape.windows === null || windows.some((window) => window.type === null && window.first === null && window.after === null);
    const shipped: ShippedAs = {
      whole,
      paths: !shape.paths ? 'NONE' : whole ? 'PARENT' : 'PATH',
      record: shape.record.toParam(),
      owners: shape.owners?.toParam() ?? null,
      vendors: shape.vendors?.toParam() ?? null,
    };
    const cypherWindows = whole ? [] : windows.map((window) => ({ type: window.type, after: window.after ?? -1, first: window.first ?? limit }));
    const row = await this.db.readTx((tx) => repo.reachable(tx, ref, { downstream: direction === 'DOWNSTREAM', limit, windows: cypherWindows, ...shipped }, params));
    if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
    return readReport(row, shipped, direction, params.maxDepth, limit);
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
