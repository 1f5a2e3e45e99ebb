import type { Tx } from '../db/gateway';
import { propertiesFromPairs, PropertyPairs } from '../db/neo4jValues';
import type { QueryName } from '../generated/queries';
import { concurrentChange } from '../errors';
import type { EntityRow, EntityType, RelationshipType } from './model';
import { storableProperties } from './values';

export interface EntityWriteRow {
  id: string;
  key: string;
  type: EntityType;
  source: string;
  externalId: string;
  properties: Record<string, unknown>;
}

export interface RelationshipRef {
  fromId: string;
  type: RelationshipType;
  toId: string;
}

export interface RelationshipWriteRow extends RelationshipRef {
  source: string;
  properties: Record<string, unknown>;
}

/** A sync's relationship found stored exactly as it is sent: nothing of it needs reading. */
export const AS_SENT: unique symbol = Symbol('stored as sent');
export type StoredRelationship = Record<string, unknown> | typeof AS_SENT;

export interface EndpointRow {
  key: string;
  id: string;
  type: EntityType;
  source: string;
  /** Whether any relationship starts from it, when that was read (findEndpoints). */
  startsRelationships?: boolean;
}

export interface StaleRelationshipRow extends RelationshipRef {
  fromType: EntityType;
  sources: string[];
  /** Since when it holds as it is (ISO). */
  validFrom: string;
}

export interface AuditEventRow {
  id: string;
  seq: number;
  at: string;
  actor: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE' | 'LINK' | 'UNLINK';
  entityId: string;
  entityType: EntityType;
  relationshipType?: RelationshipType;
  relatedEntityId?: string;
  source?: string;
  /** JSON of [{ field, before, after }]: Neo4j properties cannot hold nested maps. */
  changes: string;
  reason?: string;
  /** When the graph learned it, when earlier than `at` (a dated sync). */
  recordedAt?: string;
}

/** A list's filters; a null one is off. `anyOf`: property name to the values it may hold. */
export interface ListFilterParams {
  source: string | null;
  tag: string | null;
  text: string | null;
  anyOf: Record<string, unknown[]>;
  ownerId: string | null;
  vendorId: string | null;
}

export interface ListPageParams extends ListFilterParams {
  /** The (name, id) of the last record of the previous page. */
  afterName: string | null;
  afterId: string | null;
  limit: number;
}

export interface ListPage {
  page: EntityRow[];
  hasNextPage: boolean;
}

export interface RelationshipRow {
  type: RelationshipType;
  fromId: string;
  toId: string;
  other: EntityRow;
  direction: 'OUTGOING' | 'INCOMING';
  properties: Record<string, unknown>;
}


/** A record read as property pairs; a retired one says so (see findEntitiesByKeys.cypher). */
const entityFromPairs = (pairs: PropertyPairs, retired: boolean): EntityRow => {
  const row = propertiesFromPairs(pairs) as EntityRow;
  return retired ? { ...row, retired: true } : row;
};
/** The types a batch names, for queries that read only those (see cypherCatalog's `get`). */
const typesOf = (rows: ReadonlyArray<{ type: string }>) => [...new Set(rows.map((row) => row.type))];

/**
 * Runs a relationship write and checks that every row found its ends: a record deleted by a
 * concurrent call in the meantime would otherwise make the write a silent no-op.
 */
async function writeEvery(tx: Tx, query: QueryName, rows: RelationshipWriteRow[], now: string): Promise<void> {
  if (rows.length === 0) return;
  const [{ written }] = await tx.run<{ written: number }>(query, { rows, relationshipTypes: typesOf(rows), now: new Date(now) });
  if (written !== rows.length) throw concurrentChange();
}

/** The estate's named queries, typed; callers choose the transaction. */
export const estateRepository = {
  /** Serialises the transaction with every other write to the source's inventory. */
  async lockSource(tx: Tx, source: string, now: string): Promise<void> {
    await tx.run('estate/lockSource', { source, now: new Date(now) });
  },
  /** A record read under its write lock (see lockEntity.cypher), or undefined. */
  async lockEntity(tx: Tx, id: string): Promise<EntityRow | undefined> {
    const [row] = await tx.run<{ entity: EntityRow }>('estate/lockEntity', { id });
    return row?.entity;
  },
  async findByIds(tx: Tx, ids: string[]): Promise<EntityRow[]> {
    const rows = await tx.run<{ entity: EntityRow }>('estate/findEntitiesByIds', { ids });
    return rows.map((row) => row.entity);
  },
  /** Current records by key; with `retired`, also the retired records of keys no current one holds (writers revive them). */
  async findByKeys(tx: Tx, keys: string[], { retired = false } = {}): Promise<EntityRow[]> {
    if (keys.length === 0) return [];
    const rows = await tx.run<{ pairs: PropertyPairs; retired: boolean }>('estate/findEntitiesByKeys', { keys });
    return rows.flatMap(({ pairs, retired: isRetired }) => (isRetired && !retired ? [] : [entityFromPairs(pairs, isRetired)]));
  },
  /**
   * A sync's records found stored, compared with what it sends (see compareEntities.cypher):
   * `asSent` maps the key of each live record stored exactly as sent to its id; `records` holds
   * every other one found, retired ones included, whole. A row without `desired` is always whole.
   */
  async compareByKeys(tx: Tx, rows: Array<{ key: string; desired: Record<string, unknown> | null }>): Promise<{ records: EntityRow[]; asSent: Map<string, string> }> {
    const records: EntityRow[] = [];
    const asSent = new Map<string, string>();
    if (rows.length === 0) return { records, asSent };
    const [found] = await tx.run<{ asSent: Array<[string, string]>; changed: Array<[boolean, PropertyPairs]> }>('estate/compareEntities', {
      rows: rows.map(({ key, desired }) => ({ key, desired: desired && storableProperties(desired) })),
    });
    for (const [key, id] of found.asSent) asSent.set(key, id);
    for (const [retired, pairs] of found.changed) records.push(entityFromPairs(pairs, retired));
    return { records, asSent };
  },
  async findEndpoints(tx: Tx, keys: string[], ids: string[]): Promise<EndpointRow[]> {
    if (keys.length === 0 && ids.length === 0) return [];
    const [{ endpoints }] = await tx.run<{ endpoints: Array<[string, string, EntityType, string, boolean]> }>('estate/findEndpoints', { keys, ids });
    return endpoints.map(([key, id, type, source, startsRelationships]) => ({ key, id, type, source, startsRelationships }));
  },
  async list(tx: Tx, type: EntityType | null, params: ListPageParams): Promise<ListPage> {
    // Each case is in order on its own index, and a plan is made once per text: one text for
    // both would have to walk one index for both.
    const rows = type === null
      ? await tx.run<{ entity: EntityRow }>('estate/listEntities', { ...params })
      : await tx.run<{ entity: EntityRow }>('estate/listEntitiesOfType', { ...params, type });
    return { page: rows.slice(0, params.limit).map((row) => row.entity), hasNextPage: rows.length > params.limit };
  },
  async count(tx: Tx, types: readonly EntityType[], filter: ListFilterParams): Promise<number> {
    const [row] = await tx.run<{ totalCount: number }>('estate/countEntities', { ...filter, types });
    return row.totalCount;
  },
  async neighbours(tx: Tx, requests: Array<{ index: number; id: string; type: RelationshipType; direction: 'OUT' | 'IN' }>) {
    return tx.run<{ index: number; neighbours: EntityRow[] }>('estate/findNeighbours', { requests, relationshipTypes: typesOf(requests) });
  },
  async relationships(tx: Tx, requests: Array<{ index: number; id: string; types: RelationshipType[] | null; direction: string }>) {
    return tx.run<{ index: number; relationships: RelationshipRow[] }>('estate/findRelationships', { requests });
  },
  async relationshipsBetween(tx: Tx, refs: RelationshipRef[]): Promise<Map<number, Record<string, unknown>>> {
    if (refs.length === 0) return new Map();
    const rows = await tx.run<{ index: number; pairs: PropertyPairs }>('estate/findRelationshipsBetween', {
      rows: refs.map((ref, index) => ({ ...ref, index })),
      relationshipTypes: typesOf(refs),
    });
    return new Map(rows.map((row) => [row.index, propertiesFromPairs(row.pairs)]));
  },
  /**
   * A sync's planned relationships found stored, by index into `writes`: AS_SENT for one stored as
   * sent, else its stored properties for the planner to compare (see compareRelationships.cypher).
   * `call`: the call's relationships, whose types the statement's text names rather than those of
   * the few rows compared, so that calls alike share one plan.
   */
  async storedRelationships(tx: Tx, writes: RelationshipWriteRow[], call: ReadonlyArray<{ type: string }> = writes): Promise<Map<number, StoredRelationship>> {
    if (writes.length === 0) return new Map();
    const [{ asSent, changed }] = await tx.run<{ asSent: number[]; changed: Array<[number, PropertyPairs]> }>('estate/compareRelationships', {
      rows: writes.map(({ fromId, type, toId, source, properties }, index) => ({ fromId, type, toId, source, properties: storableProperties(properties), index })),
      relationshipTypes: typesOf(call),
    });
    const stored = new Map<number, StoredRelationship>(asSent.map((index) => [index, AS_SENT]));
    for (const [index, pairs] of changed) stored.set(index, propertiesFromPairs(pairs));
    return stored;
  },
  /** When each relationship last ended (ISO), by index into `refs`; absent when it never did. */
  async lastEnded(tx: Tx, refs: RelationshipRef[]): Promise<Map<number, string>> {
    if (refs.length === 0) return new Map();
    const rows = await tx.run<{ index: number; endedAt: string }>('estate/findLastEnded', { rows: refs.map((ref, index) => ({ ...ref, index })) });
    return new Map(rows.map((row) => [row.index, row.endedAt]));
  },
  async staleEntities(tx: Tx, source: string, keys: string[]): Promise<EntityRow[]> {
    const rows = await tx.run<{ entity: EntityRow }>('estate/findStaleEntities', { source, keys });
    return rows.map((row) => row.entity);
  },
  staleRelationships(tx: Tx, source: string, keep: string[]): Promise<StaleRelationshipRow[]> {
    return tx.run<StaleRelationshipRow>('estate/findStaleRelationships', { source, keep });
  },
  /**
   * Records found in this transaction. A row not written names a record deleted meanwhile, or one
   * changed after `now` (a dated write behind a newer change): the call fails rather than skip it.
   */
  async updateEntities(tx: Tx, rows: EntityWriteRow[], now: string): Promise<void> {
    if (rows.length === 0) return;
    const [{ written }] = await tx.run<{ written: number }>('estate/updateEntities', { rows, now: new Date(now) });
    if (written !== rows.length) throw concurrentChange();
  },
  /** Retired records sent again (found retired in this transaction): the same nodes and ids come back. */
  async reviveEntities(tx: Tx, rows: EntityWriteRow[], now: string): Promise<void> {
    if (rows.length === 0) return;
    const [{ written }] = await tx.run<{ written: number }>('estate/reviveEntities', { rows, now: new Date(now) });
    if (written !== rows.length) throw concurrentChange();
  },
  /** Records known to be new (looked up in the same transaction): CREATE spares MERGE's look-up. */
  async createEntities(tx: Tx, rows: EntityWriteRow[], now: string): Promise<void> {
    if (rows.length > 0) await tx.run('estate/createEntities', { rows, now: new Date(now) });
  },
  /** Relationships known not to exist yet, e.g. those touching a record this call creates. */
  createRelationships(tx: Tx, rows: RelationshipWriteRow[], now: string): Promise<void> {
    return writeEvery(tx, 'estate/createRelationships', rows, now);
  },
  /** Relationships known to exist (looked up in the same transaction). */
  updateRelationships(tx: Tx, rows: RelationshipWriteRow[], now: string): Promise<void> {
    return writeEvery(tx, 'estate/updateRelationships', rows, now);
  },
  async withdrawRelationships(tx: Tx, rows: Array<RelationshipRef & { source: string }>, now: string): Promise<number> {
    if (rows.length === 0) return 0;
    const [row] = await tx.run<{ deleted: number }>('estate/withdrawRelationships', { rows, relationshipTypes: typesOf(rows), now: new Date(now) });
    return row.deleted;
  },
  async deleteRelationship(tx: Tx, ref: RelationshipRef, now: string): Promise<boolean> {
    const [row] = await tx.run<{ deleted: number }>('estate/deleteRelationship', { ...ref, relationshipTypes: [ref.type], now: new Date(now) });
    return row.deleted > 0;
  },
  /** Retires records and ends their relationships (see deleteEntities.cypher): nothing is erased. */
  async deleteEntities(tx: Tx, ids: string[], now: string): Promise<void> {
    if (ids.length > 0) await tx.run('estate/deleteEntities', { ids, now: new Date(now) });
  },
  /** A unit of work's events, stored as one change set (see recordChangeSet.cypher). */
  async recordAuditEvents(tx: Tx, events: AuditEventRow[]): Promise<void> {
    if (events.length === 0) return;
    const [first] = events;
    const touched = new Set(events.flatMap((event) => (event.relatedEntityId ? [event.entityId, event.relatedEntityId] : [event.entityId])));
    const changeSet = {
      id: first.id,
      at: new Date(first.at),
      actor: first.actor,
      source: first.source ?? '',
      ...(first.reason ? { reason: first.reason } : {}),
      ...(first.recordedAt ? { recordedAt: new Date(first.recordedAt) } : {}),
      entityIndex: [...touched].join(' '),
      actions: events.map((event) => event.action),
      entityIds: events.map((event) => event.entityId),
      entityTypes: events.map((event) => event.entityType),
      relationshipTypes: events.map((event) => event.relationshipType ?? ''),
      relatedIds: events.map((event) => event.relatedEntityId ?? ''),
      changes: events.map((event) => event.changes),
    };
    await tx.run('estate/recordChangeSet', { changeSet });
  },
  /** A record's history, newest first; ids are UUIDs, so anything else has none (and never reaches the index query). */
  async auditEvents(tx: Tx, id: string, limit: number, until?: string): Promise<AuditEventRow[]> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return [];
    return tx.run<AuditEventRow>('estate/findHistory', { id, term: `"${id}"`, limit, until: until === undefined ? null : new Date(until) });
  },
};
