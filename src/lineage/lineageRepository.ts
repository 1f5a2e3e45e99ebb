import type { Tx } from '../db/gateway';
import type { EntityRow, RelationshipType } from '../estate/model';
import type { RecordProjection } from '../estate/projection';

export interface PathRow {
  nodes: EntityRow[];
  steps: Array<{ type: RelationshipType; fromId: string; toId: string }>;
}

export interface ReachedRow extends PathRow {
  entity: EntityRow;
  distance: number;
}

/**
 * A reached record whose path names its records by id (all of them are the root or reached too)
 * and its relationships by type: their direction follows from the walk (see findReachable.cypher).
 */
export interface ReachedByIdRow {
  entity: EntityRow;
  distance: number;
  nodeIds: string[];
  stepTypes: RelationshipType[];
}

export interface ReachableRow {
  root: EntityRow;
  reached: ReachedByIdRow[];
  owners: EntityRow[];
  vendors: EntityRow[];
}

export interface LineageRow {
  root: EntityRow;
  upstream: Array<{ entity: EntityRow; distance: number; direction: 'UPSTREAM' }>;
  downstream: Array<{ entity: EntityRow; distance: number; direction: 'DOWNSTREAM' }>;
  edges: Array<{ type: RelationshipType; fromId: string; toId: string; properties: Record<string, unknown> }>;
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
  async reachable(tx: Tx, root: RootRef, downstream: boolean, params: TraversalParams, probe: number, projection: RecordProjection): Promise<ReachableRow | undefined> {
    const [row] = await tx.run<ReachableRow>('lineage/findReachable', { ...root, downstream, probe, summary: projection === 'SUMMARY', ...traversal(params) });
    return row;
  },
  async lineage(tx: Tx, root: RootRef, upstream: boolean, downstream: boolean, params: TraversalParams, probe: number, projection: RecordProjection): Promise<LineageRow | undefined> {
    const [row] = await tx.run<LineageRow>('lineage/findLineage', { ...root, upstream, downstream, probe, summary: projection === 'SUMMARY', ...traversal(params) });
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
