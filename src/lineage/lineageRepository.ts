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

/** An answer as of an instant: the root's state then, null when it did not exist then. */
export type AsOfRow<Row extends { root: EntityRow }> = Omit<Row, 'root'> & { root: EntityRow | null };

/**
 * What findWindowSubgraph.cypher ships: the records reached at some moment of a window, each in its
 * latest state, and the relationships among them, `[type, fromId, toId, validFrom, validTo]`.
 */
export interface WindowSubgraphRow {
  root: EntityRow;
  truncated: boolean;
  records: EntityRow[];
  relationships: Array<[RelationshipType, string, string, string, string | null]>;
}

/** A compromise window as an incident's INVOLVES records it (markCompromised, clearCompromised). */
export interface CompromiseWindowRow {
  incident: EntityRow;
  asset: EntityRow;
  since: string;
  until: string | null;
  reason: string | null;
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

/**
 * The lineage queries, typed; each is one round trip. With an instant (`asOf`), each runs its
 * `...AsOf` text, which walks the graph as it stood then; without, the text for now, untouched by
 * history, so that questions about now cost what they did before the graph remembered.
 */
export const lineageRepository = {
  async reachable(tx: Tx, root: RootRef, shipped: ReachableParams, params: TraversalParams): Promise<ReachableRow | undefined> {
    const [row] = await tx.run<ReachableRow>('lineage/findReachable', { ...root, ...shipped, ...traversal(params) });
    return row;
  },
  /** Always the whole answer (every record, paths by PARENT or none): `whole` and `windows` are not read. */
  async reachableAsOf(tx: Tx, root: RootRef, shipped: ReachableParams, params: TraversalParams, asOf: Date): Promise<AsOfRow<ReachableRow> | undefined> {
    const [row] = await tx.run<AsOfRow<ReachableRow>>('lineage/findReachableAsOf', { ...root, ...shipped, ...traversal(params), asOf });
    return row;
  },
  async lineage(tx: Tx, root: RootRef, shipped: LineageParams, params: TraversalParams, asOf: Date | null): Promise<AsOfRow<LineageRow> | undefined> {
    const [row] = await tx.run<AsOfRow<LineageRow>>(asOf ? 'lineage/findLineageAsOf' : 'lineage/findLineage', { ...root, ...shipped, ...traversal(params), asOf });
    return row;
  },
  compromisedUpstream(tx: Tx, ids: string[], params: TraversalParams, asOf: Date | null) {
    return tx.run<{ id: string; sources: ReachedRow[] }>(asOf ? 'lineage/findCompromisedUpstreamAsOf' : 'lineage/findCompromisedUpstream', { ids, ...traversal(params), asOf });
  },
  vendorConcentration(tx: Tx, params: TraversalParams, asOf: Date | null) {
    return tx.run<{ source: EntityRow; decisions: EntityRow[] }>(asOf ? 'lineage/findVendorConcentrationAsOf' : 'lineage/findVendorConcentration', { ...traversal(params), asOf });
  },
  decisionsOnPersonalData(tx: Tx, params: TraversalParams, asOf: Date | null) {
    return tx.run<ExposureRow>(asOf ? 'lineage/findDecisionsOnPersonalDataAsOf' : 'lineage/findDecisionsOnPersonalData', { ...traversal(params), asOf });
  },
  /** `gates`: the gate each stage requires and the outcomes that pass one (src/gates/gateRule.ts). */
  decisionsOnUngatedModels(tx: Tx, params: TraversalParams, gates: { requiredGate: Readonly<Record<string, string>>; passingOutcomes: readonly string[] }, asOf: Date | null) {
    return tx.run<ExposureRow>(asOf ? 'lineage/findDecisionsOnUngatedModelsAsOf' : 'lineage/findDecisionsOnUngatedModels', { ...traversal(params), ...gates, asOf });
  },
  /** What depended on the root at some moment of [from, to], for the sweep (window.ts). */
  async windowSubgraph(tx: Tx, root: RootRef, params: TraversalParams, window: { from: Date; to: Date }, limit: number): Promise<WindowSubgraphRow | undefined> {
    const [row] = await tx.run<WindowSubgraphRow>('lineage/findWindowSubgraph', { ...root, ...traversal(params), ...window, limit });
    return row;
  },
  compromiseWindowsOfIncidents(tx: Tx, incidentIds: readonly string[]) {
    return tx.run<CompromiseWindowRow>('lineage/findCompromiseWindowsOfIncidents', { incidentIds });
  },
  compromiseWindowsOfAsset(tx: Tx, assetId: string) {
    return tx.run<CompromiseWindowRow>('lineage/findCompromiseWindowsOfAsset', { assetId });
  },
};
