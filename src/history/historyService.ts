import DataLoader from 'dataloader';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput } from '../errors';
import type { RelationshipRow } from '../estate/estateRepository';
import type { Page } from '../estate/estateService';
import { EntityRow, EntityType, entityKey, Hop, RELATIONSHIPS, RelationshipType } from '../estate/model';
import { checkAsOf, checkWindow } from './asOf';
import {
  ChangeModel,
  cursorOf,
  decodeChangeCursor,
  encodeChangeCursor,
  fieldChanges,
  IGNORED_RECORD_PROPERTIES,
  IGNORED_RELATIONSHIP_PROPERTIES,
  kindOf,
  RecordChangeModel,
  RelationshipChangeModel,
} from './changes';
import { ChangeWindowParams, historyRepository as repo, recordAt, relationshipPropertiesAt, RelationshipChangeRow } from './historyRepository';

const ESTATE_RELATIONSHIP_TYPES = Object.keys(RELATIONSHIPS) as RelationshipType[];

/** A record at an instant (ISO), by id or by key. */
type RecordKey = { id: string; key?: undefined; at: string } | { id?: undefined; key: string; at: string };

interface NeighbourKey {
  id: string;
  type: RelationshipType;
  direction: 'OUT' | 'IN';
  at: string;
}

interface RelationshipsKey {
  id: string;
  types: RelationshipType[] | null;
  direction: 'OUTGOING' | 'INCOMING' | 'BOTH';
  at: string;
}

export interface ChangesArgs {
  from: Date | string;
  to: Date | string;
  source?: string | null;
  types?: EntityType[] | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The graph as it was (see cypher/README.md, "History"): records, their neighbours and
 * relationships at an instant, and what differs between two instants. A record read at an instant
 * carries it (`asOf`), and the resolvers read what it leads to at the same instant through the
 * methods taking `at`, whose instant was checked where the question was asked. Built per request,
 * so its DataLoaders cache for one request only.
 */
export class HistoryService {
  private readonly records: DataLoader<RecordKey, EntityRow | null, string>;
  private readonly neighbourLoader: DataLoader<NeighbourKey, EntityRow[], string>;
  private readonly relationshipLoader: DataLoader<RelationshipsKey, RelationshipRow[], string>;

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
  ) {
    this.records = new DataLoader(
      async (keys) => {
        const found = await db.readTx((tx) => repo.findAt(tx, keys.map((key, index) => ({ index, id: key.id ?? null, key: key.key ?? null, at: new Date(key.at) }))));
        return keys.map((_, index) => found.get(index) ?? null);
      },
      { cacheKeyFn: (key) => `${key.id ?? ''}|${key.key ?? ''}|${key.at}` },
    );
    this.neighbourLoader = new DataLoader(
      async (keys) => {
        const found = await db.readTx((tx) => repo.neighbours(tx, keys.map((key, index) => ({ index, ...key, at: new Date(key.at) }))));
        return keys.map((_, index) => found.get(index) ?? []);
      },
      { cacheKeyFn: (key) => `${key.id}|${key.type}|${key.direction}|${key.at}` },
    );
    this.relationshipLoader = new DataLoader(
      async (keys) => {
        const found = await db.readTx((tx) => repo.relationships(tx, keys.map((key, index) => ({ index, ...key, at: new Date(key.at) })), ESTATE_RELATIONSHIP_TYPES));
        return keys.map((_, index) => found.get(index) ?? []);
      },
      { cacheKeyFn: (key) => `${key.id}|${key.types?.join(',') ?? '*'}|${key.direction}|${key.at}` },
    );
  }

  /** node(id, asOf): the record as it was then, or null when it did not exist then. */
  async node(id: string, asOf: Date | string): Promise<EntityRow | null> {
    const at = (await checkAsOf(this.db, asOf))!;
    return this.records.load({ id, at: at.toISOString() });
  }

  /** entityByKey(..., asOf): keys never change, so the record that has the key now (or had it, retired) is the one. */
  async byKey(type: EntityType, source: string, externalId: string, asOf: Date | string): Promise<EntityRow | null> {
    const at = (await checkAsOf(this.db, asOf))!;
    return this.records.load({ key: entityKey(type, source, externalId), at: at.toISOString() });
  }

  /** A record at an instant already checked (`at`, ISO): what a record read then leads to. */
  recordAt(id: string, at: string): Promise<EntityRow | null> {
    return this.records.load({ id, at });
  }

  async neighbours(id: string, hop: Hop, onlyType: EntityType | undefined, at: string): Promise<EntityRow[]> {
    const rows = await this.neighbourLoader.load({ id, type: hop.type, direction: hop.direction, at });
    return onlyType ? rows.filter((row) => row.type === onlyType) : rows;
  }

  relationships(id: string, types: RelationshipType[] | null | undefined, direction: RelationshipsKey['direction'], at: string): Promise<RelationshipRow[]> {
    return this.relationshipLoader.load({ id, types: types && types.length > 0 ? [...types].sort() : null, direction, at });
  }

  /**
   * The net difference between the graph at `from` and at `to`: records first (by id), then
   * relationships (by start id, type, end id), each with its state at both instants. A page asks
   * the relationships only once the records are exhausted.
   */
  async changes(args: ChangesArgs): Promise<Omit<Page<ChangeModel>, 'totalCount'>> {
    const limit = args.first ?? 50;
    if (limit < 0 || limit > this.config.limits.maxPageSize) {
      throw badUserInput(`first must be from 0 to ${this.config.limits.maxPageSize}`, [{ path: 'first', message: `got ${limit}` }]);
    }
    const cursor = args.after ? decodeChangeCursor(args.after) : null;
    const { from, to } = await checkWindow(this.db, args.from, args.to);
    const window: ChangeWindowParams = { from, to, source: args.source ?? null, types: args.types && args.types.length > 0 ? args.types : null, limit };
    const { records, relationships, hasNextPage } = await this.db.readTx(async (tx) => {
      const recordRows = cursor?.part === 'relationship' ? [] : await repo.recordChanges(tx, window, cursor?.id ?? null, IGNORED_RECORD_PROPERTIES);
      if (recordRows.length > limit) return { records: recordRows.slice(0, limit), relationships: [], hasNextPage: true };
      const remaining = limit - recordRows.length;
      const afterKey = cursor?.part === 'relationship' ? cursor.key : null;
      const relationshipRows = await repo.relationshipChanges(tx, { ...window, limit: remaining }, afterKey, IGNORED_RELATIONSHIP_PROPERTIES, ESTATE_RELATIONSHIP_TYPES);
      return { records: recordRows, relationships: relationshipRows.slice(0, remaining), hasNextPage: relationshipRows.length > remaining };
    });
    const nodes: ChangeModel[] = [
      ...records.map((row): RecordChangeModel => {
        const before = row.before && recordAt(row.before, from);
        const after = row.after && recordAt(row.after, to);
        // Fields from the stored states: a row read at an instant also carries what is computed for it (Evidence.expired).
        return { kind: kindOf(before, after), id: row.id, entityType: (after ?? before)!.type, before, after, fields: fieldChanges(row.before, row.after, IGNORED_RECORD_PROPERTIES) };
      }),
      ...(await Promise.all(relationships.map((row) => this.relationshipChange(row, from, to)))),
    ];
    const edges = nodes.map((node) => ({ cursor: encodeChangeCursor(cursorOf(node)), node }));
    return { edges, nodes, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** A relationship's change, each side seen from its start with the end as it was then. */
  private async relationshipChange(row: RelationshipChangeRow, from: Date, to: Date): Promise<RelationshipChangeModel> {
    const side = async (properties: Record<string, unknown> | null, at: Date): Promise<RelationshipRow | null> => {
      if (properties === null) return null;
      const other = await this.records.load({ id: row.toId, at: at.toISOString() });
      // A relationship holds only between records that exist: a missing end is a broken history.
      if (other === null) throw new Error(`history: ${row.key} held at ${at.toISOString()} without its end record`);
      return { type: row.type, fromId: row.fromId, toId: row.toId, other, direction: 'OUTGOING', properties: relationshipPropertiesAt(properties) };
    };
    const [before, after] = await Promise.all([side(row.before, from), side(row.after, to)]);
    return {
      kind: kindOf(before, after),
      relationshipType: row.type,
      fromId: row.fromId,
      toId: row.toId,
      before,
      after,
      fields: fieldChanges(row.before, row.after, IGNORED_RELATIONSHIP_PROPERTIES),
    };
  }
}
