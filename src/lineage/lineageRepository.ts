import type { Tx } from '../db/gateway';
import type { EntityRow, EntityType, RelationshipType } from '../estate/model';
import type { PathMode, ShippedFields } from './radius';

export interface PathRow {
  nodes: EntityRow[];
  steps: Array<{ type: RelationshipType; fromId: string; toId: string }>;
}

export interface ReachedRow extends PathRow {
  entity: EntityRow;
  distance: number;
}

/**
 * An impact or dependencies answer as findReachable.cypher ships it: counts for the whole answer,
 * and the records the selection reads, each `[distance, ...how it is reached, ...values]`, led by
 * its position unless every record is shipped.
 */
export interface ReachableRow {
  root: EntityRow;
  truncated: boolean;
  counts: Array<[EntityType, number]>;
  rows: unknown[][];
  /** PATH: the inner records of the shipped paths that are not shipped rows themselves. */
  pathRecords: unknown[];
  owners: unknown[];
  vendors: unknown[];
}

/** What findReachable.cypher ships (see that file); `windows` is ignored when `whole`. */
export interface ReachableParams {
  downstream: boolean;
  limit: number;
  whole: boolean;
  windows: Array<{ type: EntityType | null; after: number; first: number }>;
  paths: PathMode;
  record: ShippedFields;
  owners: ShippedFields | null;
  vendors: ShippedFields | null;
}

/** The subgraph as findLineage.cypher ships it: each record `[distance, ...values]`, each edge `[type, fromId, toId, properties?]`. */
export interface LineageRow {
  root: EntityRow;
  upstream: unknown[][];
  downstream: unknown[][];
  edges: Array<[RelationshipType, string, string, Record<string, unknown>?]>;
}

/** What findLineage.cypher ships (see that file). */
export interface LineageParams {
  upstream: boolean;
  downstream: boolean;
  probe: number;
  record: ShippedFields;
  edges: boolean;
  edgeProperties: boolean;
}

export interface ExposureRow {
  decision: EntityRow;
  sources: EntityRow[];
}

/** A traversal's starting record: by global id or by stable key, the other null. */
export interface RootRef {
  id: string | null;
  key: string | null;
}

export interface TraversalParams {
  types: readonly RelationshipType[];
  maxDepth: number;
}

/** INFORMS is walked as its own hop (see findReachable.cypher); the rest are flow relationships. */
const traversal = ({ types, maxDepth }: TraversalParams) => ({
  flowTypes: types.filter((type) => type !== 'INFORMS'),
  followInforms: types.includes('INFORMS'),
  maxDepth,
});

/** The lineage queries, typed; each is one round trip. */
export const lineageRepository = {
  async reachable(tx: Tx, root: RootRef, shipped: ReachableParams, params: TraversalParams): Promise<ReachableRow | undefined> {
    const [row] = await tx.run<ReachableRow>('lineage/findReachable', { ...root, ...shipped, ...traversal(params) });
    return row;
  },
  async lineage(tx: Tx, root: RootRef, shipped: LineageParams, params: TraversalParams): Promise<LineageRow | undefined> {
    const [row] = await tx.run<LineageRow>('lineage/findLineage', { ...root, ...shipped, ...traversal(params) });
    return row;
  },
  compromisedUpstream(tx: Tx, ids: string[], params: TraversalParams) {
    return tx.run<{ id: string; sources: ReachedRow[] }>('lineage/findCompromisedUpstream', { ids, ...traversal(params) });
  },
  vendorConcentration(tx: Tx, params: TraversalParams) {
    return tx.run<{ source: EntityRow; decisions: EntityRow[] }>('lineage/findVendorConcentration', traversal(params));
  },
  decisionsOnPersonalData(tx: Tx, params: TraversalParams) {
    return tx.run<ExposureRow>('lineage/findDecisionsOnPersonalData', traversal(params));
  },
  decisionsOnUngatedModels(tx: Tx, params: TraversalParams, gatedStages: string[]) {
    return tx.run<ExposureRow>('lineage/findDecisionsOnUngatedModels', { ...traversal(params), gatedStages });
  },
};
