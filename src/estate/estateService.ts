import DataLoader from 'dataloader';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput } from '../errors';
import { checkAsOf } from '../history/asOf';
import { historyRepository } from '../history/historyRepository';
import { HistoryEvent, readHistoryEvent } from './audit';
import type { EntityFilter } from '../generated/graphql';
import { ENTITY_TYPES, EntityRow, EntityType, Hop, RelationshipType, entityKey } from './model';
import { estateRepository as repo, ListFilterParams, RelationshipRow } from './estateRepository';

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /**
   * NaN unless the caller asked for it: counting reads every match. GraphQL's Int refuses NaN, so
   * a total the operation selected without the resolver asking for it fails loudly, never reads 0.
   */
  totalCount: number;
}

interface NeighbourKey {
  id: string;
  type: RelationshipType;
  direction: 'OUT' | 'IN';
}

interface RelationshipsKey {
  id: string;
  types: RelationshipType[] | null;
  direction: 'OUTGOING' | 'INCOMING' | 'BOTH';
}

/** Statuses live under one property name per type, so the `status` filter maps onto it. */
const STATUS_PROPERTY: Partial<Record<EntityType, string>> = { Control: 'implementationStatus' };

const encodeCursor = (row: EntityRow) => Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) return value as [string, string];
  } catch {
    // fall through to the coded error: a cursor is opaque, and a mangled one is the caller's mistake
  }
  throw badUserInput('`after` is not a cursor this API returned');
}

/**
 * Reading the estate graph: records by id or key, lists, neighbours, relationships and history.
 * Built per request, so its DataLoaders cache for one request only; writes live in EditService and
 * SyncService.
 */
export class EstateService {
  readonly byId: DataLoader<string, EntityRow | null>;
  private readonly neighbourLoader: DataLoader<NeighbourKey, EntityRow[], string>;
  private readonly relationshipLoader: DataLoader<RelationshipsKey, RelationshipRow[], string>;

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
  ) {
    this.byId = new DataLoader(async (ids) => {
      const rows = await db.readTx((tx) => repo.findByIds(tx, [...ids]));
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    });
    this.neighbourLoader = new DataLoader(
      async (keys) => {
        const rows = await db.readTx((tx) => repo.neighbours(tx, keys.map((key, index) => ({ index, ...key }))));
        const byIndex = new Map(rows.map((row) => [row.index, row.neighbours]));
        return keys.map((_, index) => byIndex.get(index) ?? []);
      },
      { cacheKeyFn: (key) => `${key.id}|${key.type}|${key.direction}` },
    );
    this.relationshipLoader = new DataLoader(
      async (keys) => {
        const rows = await db.readTx((tx) => repo.relationships(tx, keys.map((key, index) => ({ index, ...key }))));
        const byIndex = new Map(rows.map((row) => [row.index, row.relationships]));
        return keys.map((_, index) => byIndex.get(index) ?? []);
      },
      { cacheKeyFn: (key) => `${key.id}|${key.types?.join(',') ?? '*'}|${key.direction}` },
    );
  }

  // ---- Reading ---------------------------------------------------------------------------------

  /** Records by key (`entityKey`), in one query; keys with no record are left out. */
  byKeys(keys: string[]): Promise<EntityRow[]> {
    return this.db.readTx((tx) => repo.findByKeys(tx, keys));
  }

  async byKey(type: EntityType, source: string, externalId: string): Promise<EntityRow | null> {
    const [row] = await this.db.readTx((tx) => repo.findByKeys(tx, [entityKey(type, source, externalId)]));
    return row ?? null;
  }

  async neighbours(id: string, hop: Hop, onlyType?: EntityType): Promise<EntityRow[]> {
    const rows = await this.neighbourLoader.load({ id, type: hop.type, direction: hop.direction });
    return onlyType ? rows.filter((row) => row.type === onlyType) : rows;
  }

  relationships(id: string, types: RelationshipType[] | null | undefined, direction: RelationshipsKey['direction']): Promise<RelationshipRow[]> {
    return this.relationshipLoader.load({ id, types: types && types.length > 0 ? [...types].sort() : null, direction });
  }

  /**
   * `countTotal`: whether the caller reads totalCount (GraphQL: whether the operation selects it).
   * `asOf`: the list as it was at that instant, read by the history's own queries.
   */
  async list(
    type: EntityType | null,
    filter: EntityFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    countTotal: boolean,
    asOf?: Date | string | null,
  ): Promise<Page<EntityRow>> {
    const limit = first ?? 50;
    if (limit < 0 || limit > this.config.limits.maxPageSize) {
      throw badUserInput(`first must be from 0 to ${this.config.limits.maxPageSize}`, [{ path: 'first', message: `got ${limit}` }]);
    }
    const [afterName, afterId] = after ? decodeCursor(after) : [null, null];
    const anyOf: Record<string, unknown[]> = {};
    if (filter?.status?.length) anyOf[(type && STATUS_PROPERTY[type]) ?? 'status'] = filter.status;
    if (filter?.riskTier?.length) anyOf.riskTier = filter.riskTier;
    if (filter?.lifecycleStage?.length) anyOf.lifecycleStage = filter.lifecycleStage;
    if (filter?.category?.length) anyOf.category = filter.category;
    if (filter?.severity?.length) anyOf.severity = filter.severity;
    const filters: ListFilterParams = {
      source: filter?.source ?? null,
      tag: filter?.tag ?? null,
      text: filter?.text ? filter.text.toLowerCase() : null,
      anyOf,
      ownerId: filter?.ownerId ?? null,
      vendorId: filter?.vendorId ?? null,
    };
    const at = await checkAsOf(this.db, asOf);
    const types = type ? [type] : ENTITY_TYPES;
    const { page, hasNextPage, totalCount } = await this.db.readTx(async (tx) => {
      const pageParams = { ...filters, afterName, afterId, limit };
      const found = at ? await historyRepository.list(tx, types, pageParams, at) : await repo.list(tx, type, pageParams);
      if (!countTotal) return { ...found, totalCount: Number.NaN };
      // A first page that holds every match has counted them already.
      if (!after && !found.hasNextPage) return { ...found, totalCount: found.page.length };
      return { ...found, totalCount: at ? await historyRepository.count(tx, types, filters, at) : await repo.count(tx, types, filters) };
    });
    const nodes = page;
    const edges = nodes.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, nodes, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** A record's audit, newest first; with `until`, only what had happened by then. */
  async history(id: string, first: number | null | undefined, until?: string): Promise<HistoryEvent[]> {
    const limit = Math.min(Math.max(first ?? 50, 0), this.config.limits.maxPageSize);
    const events = await this.db.readTx((tx) => repo.auditEvents(tx, id, limit, until));
    return events.map(readHistoryEvent);
  }
}
