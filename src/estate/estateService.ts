import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { GraphQLInputObjectType, GraphQLSchema, coerceInputValue } from 'graphql';
import type { Access } from '../auth/access';
import type { Config } from '../config';
import type { RequestGateway, Tx } from '../db/gateway';
import { badUserInput, codedError, conflict, failOnProblems, InputProblem, notFound } from '../errors';
import type { AssetBatchInput, CompromiseIncidentInput, EntityFilter, EntityPatchInput, EntityRefInput, SyncInventoryInput } from '../generated/graphql';
import {
  ASSET_TYPES,
  BATCH_FIELDS,
  ENTITY_TYPES,
  EntityRow,
  EntityType,
  Hop,
  RelationshipType,
  SYSTEM_FIELDS,
  entityKey,
  withListDefaults,
} from './model';
import { AuditEventRow, EntityWriteRow, estateRepository as repo, RelationshipRef, RelationshipRow, RelationshipWriteRow } from './estateRepository';
import { comparable, sameValue, storableProperties } from './values';
import { checkEndpoints, checkEntityInput, checkRelationshipProperties, checkSource } from './validation';
import { checkName, checkText } from '../inputLimits';

export interface ChangeCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface SyncReport {
  source: string;
  mode: 'UPSERT' | 'REPLACE';
  dryRun: boolean;
  ok: boolean;
  assets: ChangeCounts;
  relationships: ChangeCounts;
  errors: InputProblem[];
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
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

/** A record of the payload with where it came from, before it is compared with what is stored. */
interface PlannedEntity {
  path: string;
  type: EntityType;
  key: string;
  externalId: string;
  desired: Record<string, unknown>;
}

interface ResolvedEndpoint {
  id: string;
  type: EntityType;
  source: string;
}

const zeroCounts = (): ChangeCounts => ({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
const relationshipKey = (ref: RelationshipRef) => `${ref.fromId}|${ref.type}|${ref.toId}`;

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
 * The rules of the estate graph: validation, change detection, sync semantics, audit. Built per
 * request, so its DataLoaders cache for one request only.
 */
export class EstateService {
  readonly byId: DataLoader<string, EntityRow | null>;
  private readonly neighbourLoader: DataLoader<NeighbourKey, EntityRow[], string>;
  private readonly relationshipLoader: DataLoader<RelationshipsKey, RelationshipRow[], string>;

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly schema: GraphQLSchema,
    private readonly access: Access,
  ) {
    this.byId = new DataLoader(async (ids) => {
      const rows = await db.readTx((tx) => repo.findByIds(tx, [...ids]));
      const found = new Map(rows.map((row) => [row.id, withListDefaults(row)]));
      return ids.map((id) => found.get(id) ?? null);
    });
    this.neighbourLoader = new DataLoader(
      async (keys) => {
        const rows = await db.readTx((tx) => repo.neighbours(tx, keys.map((key, index) => ({ index, ...key }))));
        const byIndex = new Map(rows.map((row) => [row.index, row.neighbours.map(withListDefaults)]));
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

  async byKey(type: EntityType, source: string, externalId: string): Promise<EntityRow | null> {
    const [row] = await this.db.readTx((tx) => repo.findByKeys(tx, [entityKey(type, source, externalId)]));
    return row ? withListDefaults(row) : null;
  }

  async neighbours(id: string, hop: Hop, onlyType?: EntityType): Promise<EntityRow[]> {
    const rows = await this.neighbourLoader.load({ id, type: hop.type, direction: hop.direction });
    return onlyType ? rows.filter((row) => row.type === onlyType) : rows;
  }

  relationships(id: string, types: RelationshipType[] | null | undefined, direction: RelationshipsKey['direction']): Promise<RelationshipRow[]> {
    return this.relationshipLoader.load({ id, types: types && types.length > 0 ? [...types].sort() : null, direction });
  }

  async list(type: EntityType | null, filter: EntityFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<Page<EntityRow>> {
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
    const result = await this.db.readTx((tx) =>
      repo.list(tx, {
        type,
        source: filter?.source ?? null,
        tag: filter?.tag ?? null,
        text: filter?.text ? filter.text.toLowerCase() : null,
        anyOf,
        ownerId: filter?.ownerId ?? null,
        vendorId: filter?.vendorId ?? null,
        afterName,
        afterId,
        limit,
      }),
    );
    const nodes = result.page.map(withListDefaults);
    const edges = nodes.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, nodes, totalCount: result.totalCount, pageInfo: { hasNextPage: result.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  async history(id: string, first: number | null | undefined) {
    const limit = Math.min(Math.max(first ?? 50, 0), this.config.limits.maxPageSize);
    const events = await this.db.readTx((tx) => repo.auditEvents(tx, id, limit));
    return events.map((event) => ({ ...event, changes: JSON.parse(event.changes) as unknown[] }));
  }

  // ---- Sync ------------------------------------------------------------------------------------

  async sync(input: SyncInventoryInput): Promise<SyncReport> {
    const mode = input.mode ?? 'UPSERT';
    const dryRun = input.dryRun ?? false;
    const sourceProblems: InputProblem[] = [];
    checkSource(input.source, 'source', sourceProblems);
    failOnProblems(sourceProblems, 'source');
    const source = input.source.trim();
    this.access.requireSourceWrite(source);
    const relationships = input.relationships ?? [];
    const itemCount = countAssets(input.assets) + relationships.length;
    if (itemCount > this.config.limits.maxSyncBatch) {
      throw badUserInput(`A sync call takes at most ${this.config.limits.maxSyncBatch} records and relationships; this one has ${itemCount}. Split it into several calls.`, [
        { path: 'assets', message: `batch of ${itemCount} exceeds MAX_SYNC_BATCH=${this.config.limits.maxSyncBatch}` },
      ]);
    }

    for (const type of ENTITY_TYPES) {
      if (((input.assets?.[BATCH_FIELDS[type] as keyof AssetBatchInput] as unknown[] | null | undefined)?.length ?? 0) > 0) this.access.requireRecordWrite(type, source);
    }
    const problems: InputProblem[] = [];
    const { planned, rejectedKeys } = this.planBatch(source, input.assets, problems);
    const work = async (tx: Tx): Promise<SyncReport> => {
      const report: SyncReport = { source, mode, dryRun, ok: true, assets: zeroCounts(), relationships: zeroCounts(), errors: problems };
      const now = new Date().toISOString();
      // First, so that everything read below is still true when it is written (dry runs write nothing).
      if (!dryRun) await repo.lockSource(tx, source, now);
      const events = new AuditLog(this.access.actor, now, source);

      const storedByKey = new Map((await repo.findByKeys(tx, planned.map((item) => item.key))).map((row) => [row.key, row]));
      const plannedKeys = new Set(planned.map((item) => item.key));
      const refKeys = relationships.flatMap((rel) => [rel.from, rel.to]).filter((ref) => !ref.id).map((ref) => refKey(ref, source)).filter((key): key is string => key !== null && !plannedKeys.has(key));
      const refIds = relationships.flatMap((rel) => [rel.from.id, rel.to.id]).filter((id): id is string => !!id);
      const storedEndpoints = await repo.findEndpoints(tx, [...new Set(refKeys)], [...new Set(refIds)]);
      const endpointByKey = new Map(storedEndpoints.map((row) => [row.key, row]));
      const endpointById = new Map(storedEndpoints.map((row) => [row.id, row]));

      const entityWrites: EntityWriteRow[] = [];
      const endpoints = new Map<string, ResolvedEndpoint>();
      for (const item of planned) {
        const existing = storedByKey.get(item.key);
        const change = planEntityChange(item.type, source, item.externalId, item.desired, existing);
        endpoints.set(item.key, { id: change.row.id, type: item.type, source });
        if (change.outcome === 'unchanged') {
          report.assets.unchanged += 1;
          continue;
        }
        report.assets[change.outcome] += 1;
        entityWrites.push(change.row);
        events.entity(change.outcome === 'created' ? 'CREATE' : 'UPDATE', change.row.id, item.type, change.changes);
      }

      const resolve = (ref: EntityRefInput, path: string): ResolvedEndpoint | null => {
        if (ref.id) {
          const row = endpointById.get(ref.id);
          if (!row) problems.push({ path, message: `no record with id ${ref.id}` });
          return row ? { id: row.id, type: row.type, source: row.source } : null;
        }
        const key = refKey(ref, source);
        if (key === null) {
          problems.push({ path, message: 'give either id, or type and externalId (and source when another source wrote it)' });
          return null;
        }
        const stored = endpointByKey.get(key);
        const found = endpoints.get(key) ?? (stored ? { id: stored.id, type: stored.type, source: stored.source } : undefined);
        // A reference to a record rejected above is already reported there.
        if (!found && !rejectedKeys.has(key)) problems.push({ path, message: `no ${ref.type} with externalId "${ref.externalId}" in source "${ref.source ?? source}", in this payload or stored` });
        return found ?? null;
      };

      const relationshipWrites: Array<RelationshipWriteRow & { fromType: EntityType }> = [];
      const seen = new Set<string>();
      relationships.forEach((rel, index) => {
        const path = `relationships[${index}]`;
        const from = resolve(rel.from, `${path}.from`);
        const to = resolve(rel.to, `${path}.to`);
        const properties = checkRelationshipProperties(rel.properties, `${path}.properties`, problems);
        if (!from || !to || !properties) return;
        if (!checkEndpoints(rel.type, from.type, to.type, path, problems)) return;
        // A relationship belongs to the record it starts from: writing it is writing that record.
        this.access.requireRecordWrite(from.type, from.source);
        const ref = { fromId: from.id, type: rel.type, toId: to.id };
        if (seen.has(relationshipKey(ref))) {
          problems.push({ path, message: `duplicates an earlier ${rel.type} between the same records` });
          return;
        }
        seen.add(relationshipKey(ref));
        relationshipWrites.push({ ...ref, source, properties, fromType: from.type });
      });

      // A record created by this call has no relationships yet: only the others need a look-up.
      const createdIds = new Set(entityWrites.filter((row) => !storedByKey.has(row.key)).map((row) => row.id));
      const mayExist = relationshipWrites.filter((write) => !createdIds.has(write.fromId) && !createdIds.has(write.toId));
      const storedByIndex = await repo.relationshipsBetween(tx, mayExist);
      const storedRelationships = new Map(mayExist.map((write, index) => [write, storedByIndex.get(index)]));
      const newRelationships: typeof relationshipWrites = [];
      const changedRelationships = relationshipWrites.filter((write) => {
        const existing = storedRelationships.get(write);
        if (!existing) {
          report.relationships.created += 1;
          events.link('LINK', write, write.fromType, write.properties);
          newRelationships.push(write);
          return false;
        }
        const sources = (existing.sources as string[] | undefined) ?? [];
        const differs = !sources.includes(source) || Object.entries(write.properties).some(([name, value]) => !sameValue(existing[name], value));
        report.relationships[differs ? 'updated' : 'unchanged'] += 1;
        return differs;
      });

      let staleEntityIds: string[] = [];
      let withdrawn: Array<RelationshipRef & { source: string }> = [];
      if (mode === 'REPLACE') {
        const keep = relationshipWrites.map(relationshipKey);
        const staleRelationships = await repo.staleRelationships(tx, source, keep);
        const staleEntities = await repo.staleEntities(tx, source, planned.map((item) => item.key));
        const removals = new Map<EntityType, number>();
        for (const { type } of [...staleEntities, ...staleRelationships.map((rel) => ({ type: rel.fromType }))]) removals.set(type, (removals.get(type) ?? 0) + 1);
        this.access.requireRemovals(removals, source);
        withdrawn = staleRelationships.map((rel) => ({ fromId: rel.fromId, type: rel.type, toId: rel.toId, source }));
        for (const rel of staleRelationships) {
          if (rel.sources.length === 1) events.link('UNLINK', rel, rel.fromType, {});
        }
        staleEntityIds = staleEntities.map((row) => row.id);
        for (const row of staleEntities) events.entity('DELETE', row.id, row.type, deletionChanges(row));
        report.assets.deleted = staleEntities.length;
        report.relationships.deleted = staleRelationships.length;
      }

      report.ok = problems.length === 0;
      if (!report.ok) {
        if (dryRun) return report;
        failOnProblems(problems, 'sync payload');
      }
      if (dryRun) return report;

      const storedRelationship = ({ fromType: _fromType, ...row }: (typeof relationshipWrites)[number]) => ({ ...row, properties: storableProperties(row.properties) });
      await repo.createEntities(tx, entityWrites.filter((row) => createdIds.has(row.id)).map((row) => ({ ...row, properties: storableProperties(row.properties) })), now);
      await repo.upsertEntities(tx, entityWrites.filter((row) => !createdIds.has(row.id)).map((row) => ({ ...row, properties: storableProperties(row.properties) })), now);
      await repo.createRelationships(tx, newRelationships.map(storedRelationship), now);
      await repo.updateRelationships(tx, changedRelationships.map(storedRelationship), now);
      await repo.withdrawRelationships(tx, withdrawn);
      await repo.deleteEntities(tx, staleEntityIds);
      await repo.recordAuditEvents(tx, events.rows);
      return report;
    };
    return dryRun ? this.db.readTx(work) : this.db.writeTx(work);
  }

  /** Validates every record of a payload and gives each its key; problems are collected, not thrown. */
  private planBatch(source: string, assets: AssetBatchInput | null | undefined, problems: InputProblem[]) {
    const planned: PlannedEntity[] = [];
    const rejectedKeys = new Set<string>();
    const seen = new Map<string, string>();
    for (const type of ENTITY_TYPES) {
      const field = BATCH_FIELDS[type] as keyof AssetBatchInput;
      const items = (assets?.[field] ?? []) as Array<Record<string, unknown>>;
      items.forEach((item, index) => {
        const path = `assets.${field}[${index}]`;
        const desired = checkEntityInput(type, item, path, problems);
        const externalId = typeof item.externalId === 'string' ? item.externalId.trim() : '';
        const key = entityKey(type, source, externalId);
        if (!desired) {
          rejectedKeys.add(key);
          return;
        }
        if (seen.has(key)) {
          problems.push({ path: `${path}.externalId`, message: `"${externalId}" is already used by ${seen.get(key)}` });
          return;
        }
        seen.set(key, path);
        planned.push({ path, type, key, externalId, desired });
      });
    }
    return { planned, rejectedKeys };
  }

  // ---- Editing by hand -------------------------------------------------------------------------

  async create(type: EntityType, input: Record<string, unknown>, source: string): Promise<EntityRow> {
    const problems: InputProblem[] = [];
    checkSource(source, 'source', problems);
    failOnProblems(problems, 'source');
    this.access.requireRecordWrite(type, source);
    const desired = checkEntityInput(type, input, 'input', problems);
    failOnProblems(problems, `${type}`);
    const externalId = String(input.externalId).trim();
    const key = entityKey(type, source, externalId);
    const id = await this.db.writeTx(async (tx) => {
      const [existing] = await repo.findByKeys(tx, [key]);
      if (existing) throw conflict(`A ${type} with externalId "${externalId}" already exists in source "${source}"`, { id: existing.id });
      const change = planEntityChange(type, source, externalId, desired!, undefined);
      const now = new Date().toISOString();
      const events = new AuditLog(this.access.actor, now, source);
      events.entity('CREATE', change.row.id, type, change.changes);
      await repo.upsertEntities(tx, [{ ...change.row, properties: storableProperties(change.row.properties) }], now);
      await repo.recordAuditEvents(tx, events.rows);
      return change.row.id;
    });
    return this.reload(id);
  }

  update(id: string, patch: EntityPatchInput, expectedVersion: number | null | undefined): Promise<EntityRow> {
    return this.applyPatch(id, patch, expectedVersion, (existing) => this.access.requireRecordWrite(existing.type, existing.source));
  }

  /** `admit` decides, on the locked record, whether this caller may make this change. */
  private async applyPatch(id: string, patch: EntityPatchInput, expectedVersion: number | null | undefined, admit: (existing: EntityRow) => void, reason?: string): Promise<EntityRow> {
    await this.db.writeTx(async (tx) => {
      const existing = await this.lockedForChange(tx, id, expectedVersion);
      admit(existing);
      const inputType = this.schema.getType(`${existing.type}Input`) as GraphQLInputObjectType;
      const fields = { ...(patch.fields ?? {}) };
      for (const name of ['name', 'description', 'tags'] as const) {
        if (patch[name] !== undefined) fields[name] = patch[name];
      }
      const problems: InputProblem[] = [];
      for (const name of Object.keys(fields)) {
        if (!(name in inputType.getFields()) || name === 'externalId') problems.push({ path: `patch.fields.${name}`, message: `${existing.type} has no field "${name}" that can be changed` });
      }
      failOnProblems(problems, 'patch');
      // Coercing through the type's own input object gives the same checks (enums, scalars) as a create.
      const coerced = coerceInputValue({ externalId: existing.externalId, name: existing.name, ...fields }, inputType, (path, _value, error) => {
        problems.push({ path: ['patch.fields', ...path.slice(0)].join('.'), message: error.message });
      }) as Record<string, unknown>;
      failOnProblems(problems, 'patch');
      const desired = checkEntityInput(existing.type, coerced, 'patch.fields', problems, Object.keys(fields));
      failOnProblems(problems, 'patch');
      const change = planEntityChange(existing.type, existing.source, existing.externalId, desired!, existing);
      if (change.outcome === 'unchanged') return;
      const now = new Date().toISOString();
      const events = new AuditLog(this.access.actor, now, existing.source, reason);
      events.entity('UPDATE', id, existing.type, change.changes);
      await repo.upsertEntities(tx, [{ ...change.row, properties: storableProperties(change.row.properties) }], now);
      await repo.recordAuditEvents(tx, events.rows);
    });
    return this.reload(id);
  }

  async delete(id: string, cascade: boolean, expectedVersion: number | null | undefined): Promise<{ id: string; relationshipsRemoved: number }> {
    return this.db.writeTx(async (tx) => {
      const existing = await this.lockedForChange(tx, id, expectedVersion);
      this.access.requireRecordWrite(existing.type, existing.source);
      const [{ relationships } = { relationships: [] as RelationshipRow[] }] = await repo.relationships(tx, [{ index: 0, id, types: null, direction: 'BOTH' }]);
      if (relationships.length > 0 && !cascade) {
        throw conflict(`${existing.type} "${existing.name}" still has ${relationships.length} relationship(s); unlink them first or delete with cascade: true`, {
          relationships: relationships.length,
        });
      }
      const now = new Date().toISOString();
      const events = new AuditLog(this.access.actor, now, existing.source);
      for (const rel of relationships) {
        events.link('UNLINK', { fromId: rel.fromId, type: rel.type, toId: rel.toId }, rel.direction === 'OUTGOING' ? existing.type : rel.other.type, {});
      }
      events.entity('DELETE', id, existing.type, deletionChanges(existing));
      await repo.deleteEntities(tx, [id]);
      await repo.recordAuditEvents(tx, events.rows);
      return { id, relationshipsRemoved: relationships.length };
    });
  }

  async link(type: RelationshipType, fromId: string, toId: string, properties: Record<string, unknown> | null | undefined) {
    const problems: InputProblem[] = [];
    const checked = checkRelationshipProperties(properties, 'properties', problems);
    failOnProblems(problems, 'relationship');
    const created = await this.db.writeTx(async (tx) => {
      const rows = await repo.findByIds(tx, [fromId, toId]);
      const from = rows.find((row) => row.id === fromId);
      const to = rows.find((row) => row.id === toId);
      if (!from) throw notFound(`Record ${fromId}`);
      if (!to) throw notFound(`Record ${toId}`);
      this.access.requireRecordWrite(from.type, from.source);
      checkEndpoints(type, from.type, to.type, 'type', problems);
      failOnProblems(problems, 'relationship');
      const ref = { fromId, type, toId };
      const existing = (await repo.relationshipsBetween(tx, [ref])).get(0);
      const now = new Date().toISOString();
      const row = { ...ref, source: 'manual', properties: storableProperties(checked!) };
      await (existing ? repo.updateRelationships(tx, [row], now) : repo.createRelationships(tx, [row], now));
      if (!existing) {
        const events = new AuditLog(this.access.actor, now, 'manual');
        events.link('LINK', ref, from.type, checked!);
        await repo.recordAuditEvents(tx, events.rows);
      }
      return !existing;
    });
    const all = await this.relationships(fromId, [type], 'OUTGOING');
    return { created, relationship: all.find((rel) => rel.toId === toId)! };
  }

  async unlink(type: RelationshipType, fromId: string, toId: string): Promise<{ removed: boolean }> {
    return this.db.writeTx(async (tx) => {
      const ref = { fromId, type, toId };
      const [from] = await repo.findByIds(tx, [fromId]);
      if (from) this.access.requireRecordWrite(from.type, from.source);
      const removed = from !== undefined && (await repo.deleteRelationship(tx, ref));
      if (removed) {
        const events = new AuditLog(this.access.actor, new Date().toISOString(), 'manual');
        events.link('UNLINK', ref, from.type, {});
        await repo.recordAuditEvents(tx, events.rows);
      }
      return { removed };
    });
  }

  /**
   * Marks an asset COMPROMISED and records the incident that involves it, in one transaction:
   * the status change, the new or linked incident, the INVOLVES relationship and their audit.
   */
  async markCompromised(id: string, reason: string, incident: CompromiseIncidentInput | null | undefined): Promise<{ entity: EntityRow; incident: EntityRow }> {
    this.access.requireCompliance('Marking an asset compromised');
    const problems: InputProblem[] = [];
    checkText(reason, 'reason', problems, { required: true });
    if (incident?.name != null) checkName(incident.name, 'incident.name', problems);
    if (incident?.playbook != null) checkText(incident.playbook, 'incident.playbook', problems);
    failOnProblems(problems, 'compromise');
    const incidentId = await this.db.writeTx(async (tx) => {
      const asset = await this.lockedForChange(tx, id, undefined);
      if (!ASSET_TYPES.includes(asset.type)) {
        throw badUserInput(`Only assets (${ASSET_TYPES.join(', ')}) can be compromised, not a ${asset.type}`, [{ path: 'id', message: asset.type }]);
      }
      const now = new Date().toISOString();
      const events = new AuditLog(this.access.actor, now, 'manual', reason.trim());
      const writes: EntityWriteRow[] = [];
      const statusChange = planEntityChange(asset.type, asset.source, asset.externalId, { status: 'COMPROMISED' }, asset);
      if (statusChange.outcome === 'updated') {
        writes.push(statusChange.row);
        events.entity('UPDATE', asset.id, asset.type, statusChange.changes);
      }
      let linked: string;
      if (incident?.id) {
        const [existing] = await repo.findByIds(tx, [incident.id]);
        if (!existing || existing.type !== 'Incident') throw notFound(`Incident ${incident.id}`);
        linked = existing.id;
      } else {
        const opened = planEntityChange('Incident', 'manual', `compromise-${asset.id}-${Date.parse(now)}`, {
          name: incident?.name?.trim() || `Compromise of ${asset.name}`,
          description: reason.trim(),
          severity: incident?.severity ?? 'HIGH',
          status: 'OPEN',
          detectedAt: now,
          ...(incident?.playbook ? { playbook: incident.playbook } : {}),
        }, undefined);
        writes.push(opened.row);
        events.entity('CREATE', opened.row.id, 'Incident', opened.changes);
        linked = opened.row.id;
      }
      await repo.upsertEntities(tx, writes.map((row) => ({ ...row, properties: storableProperties(row.properties) })), now);
      const involves = { fromId: linked, type: 'INVOLVES' as const, toId: asset.id };
      const alreadyInvolved = (await repo.relationshipsBetween(tx, [involves])).has(0);
      const involvesRow = { ...involves, source: 'manual', properties: { reason: reason.trim() } };
      if (alreadyInvolved) await repo.updateRelationships(tx, [involvesRow], now);
      else {
        events.link('LINK', involves, 'Incident', { reason: reason.trim() });
        await repo.createRelationships(tx, [involvesRow], now);
      }
      await repo.recordAuditEvents(tx, events.rows);
      return linked;
    });
    this.byId.clearAll();
    return { entity: await this.reload(id), incident: await this.reload(incidentId) };
  }

  /**
   * Ends a compromise on one asset; what reads compromisedUpstream stops reporting it at once. The
   * reason is kept on the audit event of the status change.
   */
  async clearCompromised(id: string, status: string, reason: string | null | undefined): Promise<EntityRow> {
    this.access.requireCompliance('Clearing a compromise');
    const problems: InputProblem[] = [];
    if (status === 'COMPROMISED') problems.push({ path: 'status', message: 'must be something other than COMPROMISED' });
    if (reason != null) checkText(reason, 'reason', problems);
    failOnProblems(problems, 'clearCompromised');
    // Compromise handling is a security function: it may change the status of any source's asset.
    return this.applyPatch(id, { fields: { status } }, undefined, (current) => {
      if (current.status !== 'COMPROMISED') throw badUserInput(`${current.type} "${current.name}" is not COMPROMISED`, [{ path: 'id', message: String(current.status) }]);
    }, reason?.trim() || undefined);
  }

  /** The record under its write lock, so that the version compared is the version overwritten. */
  private async lockedForChange(tx: Tx, id: string, expectedVersion: number | null | undefined): Promise<EntityRow> {
    const existing = await repo.lockEntity(tx, id);
    if (!existing) throw notFound(`Record ${id}`);
    if (expectedVersion !== null && expectedVersion !== undefined && existing.version !== expectedVersion) {
      throw conflict(`${existing.type} "${existing.name}" is at version ${existing.version}, not ${expectedVersion}: it changed since you read it`, {
        currentVersion: existing.version,
      });
    }
    return existing;
  }

  private async reload(id: string): Promise<EntityRow> {
    this.byId.clear(id);
    const row = await this.byId.load(id);
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', 'A record vanished right after it was written');
    return row;
  }
}

/** Audit rows for one unit of work, ordered by `seq` when they share a timestamp. */
class AuditLog {
  readonly rows: AuditEventRow[] = [];
  constructor(
    private readonly actor: string,
    private readonly at: string,
    private readonly source: string,
    /** Why the caller made the change, when the operation asks (compromise handling). */
    private readonly reason?: string,
  ) {}

  entity(action: 'CREATE' | 'UPDATE' | 'DELETE', entityId: string, entityType: EntityType, changes: FieldChange[]): void {
    this.rows.push({
      id: randomUUID(),
      seq: this.rows.length,
      at: this.at,
      actor: this.actor,
      action,
      entityId,
      entityType,
      source: this.source,
      changes: JSON.stringify(changes),
      ...(this.reason ? { reason: this.reason } : {}),
    });
  }

  link(action: 'LINK' | 'UNLINK', ref: RelationshipRef, fromType: EntityType, properties: Record<string, unknown>): void {
    const changes: FieldChange[] = Object.entries(properties).map(([field, after]) => ({ field, before: null, after }));
    this.rows.push({
      id: randomUUID(),
      seq: this.rows.length,
      at: this.at,
      actor: this.actor,
      action,
      entityId: ref.fromId,
      entityType: fromType,
      relationshipType: ref.type,
      relatedEntityId: ref.toId,
      source: this.source,
      changes: JSON.stringify(changes),
      ...(this.reason ? { reason: this.reason } : {}),
    });
  }
}

interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function countAssets(assets: AssetBatchInput | null | undefined): number {
  return ENTITY_TYPES.reduce((total, type) => total + ((assets?.[BATCH_FIELDS[type] as keyof AssetBatchInput] as unknown[] | null | undefined)?.length ?? 0), 0);
}

function refKey(ref: EntityRefInput, source: string): string | null {
  if (!ref.type || !ref.externalId) return null;
  return entityKey(ref.type, ref.source ?? source, ref.externalId);
}

function planEntityChange(type: EntityType, source: string, externalId: string, desired: Record<string, unknown>, existing: EntityRow | undefined) {
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(desired)) {
    const before = existing ? comparable(existing[field]) : null;
    if (existing ? !sameValue(before, after) : after !== null && !(Array.isArray(after) && after.length === 0)) {
      changes.push({ field, before, after });
    }
  }
  const outcome: 'created' | 'updated' | 'unchanged' = !existing ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
  const properties = existing ? Object.fromEntries(changes.map((change) => [change.field, change.after])) : desired;
  const row: EntityWriteRow = { id: existing?.id ?? randomUUID(), key: entityKey(type, source, externalId), type, source, externalId, properties };
  return { outcome, changes, row };
}

function deletionChanges(row: EntityRow): FieldChange[] {
  return Object.entries(row)
    .filter(([field]) => !SYSTEM_FIELDS.has(field) || field === 'externalId')
    .map(([field, before]) => ({ field, before, after: null }));
}
