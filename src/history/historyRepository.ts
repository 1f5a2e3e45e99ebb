import type { Tx } from '../db/gateway';
import type { ListFilterParams, ListPage, ListPageParams, RelationshipRow } from '../estate/estateRepository';
import type { EntityRow, EntityType, RelationshipType } from '../estate/model';

/** A record asked for at an instant, by id or by key (`entityKey`). */
export interface RecordAtRequest {
  index: number;
  id: string | null;
  key: string | null;
  at: Date;
}

/** A state as Cypher returns it: a node's or a version's properties, the history's own included. */
export type StateRow = Record<string, unknown> & { id: string };

export interface RecordChangeRow {
  id: string;
  before: StateRow | null;
  after: StateRow | null;
}

export interface RelationshipChangeRow {
  key: string;
  fromId: string;
  type: RelationshipType;
  toId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface ChangeWindowParams {
  from: Date;
  to: Date;
  source: string | null;
  types: EntityType[] | null;
  limit: number;
}

/**
 * Properties a version or a retired node carries for the history itself (see cypher/README.md,
 * "History"), which are no field of the record.
 */
export const HISTORY_PROPERTIES = ['entityId', 'validFrom', 'validTo', 'retiredAt', 'retired'] as const;
/** Properties a WAS copy carries for the history itself. */
export const HISTORY_RELATIONSHIP_PROPERTIES = ['was', 'validFrom', 'validTo'] as const;

/** A state read at `at` as the API hands records on: the history's properties off, the instant on. */
export function recordAt(state: Record<string, unknown>, at: Date): EntityRow {
  const row: Record<string, unknown> = { ...state };
  for (const property of HISTORY_PROPERTIES) delete row[property];
  row.id = state.entityId ?? state.id;
  row.asOf = at.toISOString();
  // Evidence.expired reads the instant a row carries it for (see estate/resolvers.ts).
  if (row.type === 'Evidence') row.expired = typeof row.expiresAt === 'string' && Date.parse(row.expiresAt) < at.getTime();
  return row as EntityRow;
}

/** A relationship's stored properties at an instant, without the WAS bookkeeping. */
export function relationshipPropertiesAt(properties: Record<string, unknown>): Record<string, unknown> {
  const own = { ...properties };
  for (const property of HISTORY_RELATIONSHIP_PROPERTIES) delete own[property];
  return own;
}

/**
 * Reads of the past (see cypher/README.md, "History"): records, lists, neighbours and relationships
 * as they were at an instant, and what differs between two. Every query here is its own file under
 * cypher/history, so that current-time reads keep their plans.
 */
export const historyRepository = {
  async findAt(tx: Tx, requests: RecordAtRequest[]): Promise<Map<number, EntityRow>> {
    if (requests.length === 0) return new Map();
    const rows = await tx.run<{ index: number; entity: Record<string, unknown> }>('history/findEntitiesAt', { requests });
    const at = new Map(requests.map((request) => [request.index, request.at]));
    return new Map(rows.map((row) => [row.index, recordAt(row.entity, at.get(row.index)!)]));
  },
  async list(tx: Tx, types: readonly EntityType[], params: ListPageParams, at: Date): Promise<ListPage> {
    const rows = await tx.run<{ entity: Record<string, unknown> }>('history/listEntitiesAt', { ...params, types, at });
    return { page: rows.slice(0, params.limit).map((row) => recordAt(row.entity, at)), hasNextPage: rows.length > params.limit };
  },
  async count(tx: Tx, types: readonly EntityType[], filter: ListFilterParams, at: Date): Promise<number> {
    const [row] = await tx.run<{ totalCount: number }>('history/countEntitiesAt', { ...filter, types, at });
    return row.totalCount;
  },
  async neighbours(tx: Tx, requests: Array<{ index: number; id: string; type: RelationshipType; direction: 'OUT' | 'IN'; at: Date }>): Promise<Map<number, EntityRow[]>> {
    const rows = await tx.run<{ index: number; neighbours: Array<Record<string, unknown>> }>('history/findNeighboursAt', { requests });
    const at = new Map(requests.map((request) => [request.index, request.at]));
    return new Map(rows.map((row) => [row.index, row.neighbours.map((state) => recordAt(state, at.get(row.index)!))]));
  },
  async relationships(
    tx: Tx,
    requests: Array<{ index: number; id: string; types: RelationshipType[] | null; direction: string; at: Date }>,
    estateTypes: readonly RelationshipType[],
  ): Promise<Map<number, RelationshipRow[]>> {
    const rows = await tx.run<{ index: number; relationships: Array<RelationshipRow & { other: Record<string, unknown> }> }>('history/findRelationshipsAt', {
      requests,
      estateTypes,
    });
    const at = new Map(requests.map((request) => [request.index, request.at]));
    return new Map(
      rows.map((row) => [
        row.index,
        row.relationships.map((rel) => ({ ...rel, other: recordAt(rel.other, at.get(row.index)!), properties: relationshipPropertiesAt(rel.properties) })),
      ]),
    );
  },
  /** `ignored`: properties that are no field of the record (bookkeeping), left out of the comparison. */
  recordChanges(tx: Tx, window: ChangeWindowParams, afterId: string | null, ignored: readonly string[]): Promise<RecordChangeRow[]> {
    return tx.run<RecordChangeRow>('history/findRecordChanges', { ...window, afterId, ignored });
  },
  relationshipChanges(
    tx: Tx,
    window: ChangeWindowParams,
    afterKey: string | null,
    ignored: readonly string[],
    relationshipTypes: readonly RelationshipType[],
  ): Promise<RelationshipChangeRow[]> {
    return tx.run<RelationshipChangeRow>('history/findRelationshipChanges', { ...window, afterKey, ignored, relationshipTypes });
  },
};
