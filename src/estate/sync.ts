import { badUserInput, failOnProblems, InputProblem } from '../errors';
import type { AssetBatchInput, EntityRefInput, RelationshipInput, SyncInventoryInput } from '../generated/graphql';
import { AuditLog, deletionChanges, planEntityChange } from './audit';
import { AS_SENT, EndpointRow, EntityWriteRow, RelationshipRef, RelationshipWriteRow, StaleRelationshipRow, StoredRelationship } from './estateRepository';
import { BATCH_FIELDS, ENTITY_TYPES, EntityRow, EntityType, entityKey } from './model';
import { sameValue } from './values';
import { checkEndpoints, checkEntityInput, checkRelationshipProperties, checkSource } from './validation';

/**
 * What a sync call decides, as pure functions over the payload and what is stored: which records
 * and relationships to create, update, withdraw and delete, with the report and the audit. The
 * service reads the stored state, asks these, checks access on the outcome, and writes the plan.
 */

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

/** A record of the payload with where it came from, before it is compared with what is stored. */
export interface PlannedEntity {
  path: string;
  type: EntityType;
  key: string;
  externalId: string;
  desired: Record<string, unknown>;
}

export interface SyncPayload {
  source: string;
  mode: 'UPSERT' | 'REPLACE';
  dryRun: boolean;
  /** When the changes took effect (ISO), for a dated call; null: when written. */
  at: string | null;
  records: PlannedEntity[];
  /** Types the payload writes records of: the caller must be allowed to write each. */
  recordTypes: EntityType[];
  /** Keys of records refused above, so that relationships to them are not reported twice. */
  rejectedKeys: Set<string>;
  relationships: RelationshipInput[];
  problems: InputProblem[];
}

/** A relationship resolved to stored (or planned) ends, with the type of the record it starts from. */
export type PlannedRelationship = RelationshipWriteRow & { fromType: EntityType };

/** What the first half of planning needs the database to say next. */
export interface SyncDraft {
  payload: SyncPayload;
  report: SyncReport;
  audit: AuditLog;
  createdRecords: EntityWriteRow[];
  /** Records sent again after their deletion: the same ids come back (see planEntityChange). */
  revivedRecords: EntityWriteRow[];
  updatedRecords: EntityWriteRow[];
  relationships: PlannedRelationship[];
  /** The id of each of the payload's records (its key's), stored or new. */
  recordIds: Map<string, string>;
  /** Relationships whose ends both existed before the call, from a record some relationship starts from: only these can already be stored. */
  mayExist: PlannedRelationship[];
  /** Where each relationship starts: writing it is writing that record. */
  relationshipOwners: Array<{ type: EntityType; source: string }>;
}

export interface SyncPlan extends SyncDraft {
  newRelationships: PlannedRelationship[];
  changedRelationships: PlannedRelationship[];
  withdrawn: Array<RelationshipRef & { source: string }>;
  deletedIds: string[];
  /** What a REPLACE removes, by the type of the record written (a relationship's start record). */
  removals: Map<EntityType, number>;
}

/** A dated call only appends to history: what it changes must not have changed after its instant. */
function changedAfter(at: string | null, instant: unknown): boolean {
  return at !== null && instant !== null && instant !== undefined && Date.parse(String(instant)) > Date.parse(at);
}

const zeroCounts = (): ChangeCounts => ({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
export const relationshipKey = (ref: RelationshipRef) => `${ref.fromId}|${ref.type}|${ref.toId}`;

/** Checks a call's source, size and every record; record problems are collected, not thrown. */
export function readSyncPayload(input: SyncInventoryInput, maxSyncBatch: number): SyncPayload {
  const sourceProblems: InputProblem[] = [];
  checkSource(input.source, 'source', sourceProblems);
  failOnProblems(sourceProblems, 'source');
  const source = input.source.trim();
  const relationships = input.relationships ?? [];
  const batches = ENTITY_TYPES.map((type) => ({ type, field: BATCH_FIELDS[type] as keyof AssetBatchInput, items: (input.assets?.[BATCH_FIELDS[type] as keyof AssetBatchInput] ?? []) as Array<Record<string, unknown>> }));
  const itemCount = batches.reduce((total, batch) => total + batch.items.length, 0) + relationships.length;
  if (itemCount > maxSyncBatch) {
    throw badUserInput(`A sync call takes at most ${maxSyncBatch} records and relationships; this one has ${itemCount}. Split it into several calls.`, [
      { path: 'assets', message: `batch of ${itemCount} exceeds MAX_SYNC_BATCH=${maxSyncBatch}` },
    ]);
  }

  const at = input.at ? new Date(input.at).toISOString() : null;
  if (at !== null && Date.parse(at) > Date.now()) throw badUserInput(`at (${at}) is in the future: a sync records what happened, not what will`, [{ path: 'at', message: 'must not be in the future' }]);

  const problems: InputProblem[] = [];
  const records: PlannedEntity[] = [];
  const rejectedKeys = new Set<string>();
  const seen = new Map<string, string>();
  for (const { type, field, items } of batches) {
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
      records.push({ path, type, key, externalId, desired });
    });
  }
  return {
    source,
    mode: input.mode ?? 'UPSERT',
    dryRun: input.dryRun ?? false,
    at,
    records,
    recordTypes: batches.filter((batch) => batch.items.length > 0).map((batch) => batch.type),
    rejectedKeys,
    relationships,
    problems,
  };
}

function refKey(ref: EntityRefInput, source: string): string | null {
  if (!ref.type || !ref.externalId) return null;
  return entityKey(ref.type, ref.source ?? source, ref.externalId);
}

/** The stored records a payload names: its own records' keys, and what its relationships point at. */
export function referencedRecords(payload: SyncPayload): { recordKeys: string[]; endpointKeys: string[]; endpointIds: string[] } {
  const recordKeys = payload.records.map((item) => item.key);
  const planned = new Set(recordKeys);
  const refs = payload.relationships.flatMap((rel) => [rel.from, rel.to]);
  const endpointKeys = refs.filter((ref) => !ref.id).map((ref) => refKey(ref, payload.source)).filter((key): key is string => key !== null && !planned.has(key));
  const endpointIds = refs.map((ref) => ref.id).filter((id): id is string => !!id);
  return { recordKeys, endpointKeys: [...new Set(endpointKeys)], endpointIds: [...new Set(endpointIds)] };
}

/**
 * Compares the payload's records with the stored ones and resolves every relationship's ends.
 * `stored.asSent`: the ids, by key, of records found stored exactly as sent (compareByKeys).
 */
export function draftSync(payload: SyncPayload, stored: { records: EntityRow[]; asSent: Map<string, string>; endpoints: EndpointRow[] }, audit: AuditLog): SyncDraft {
  const { source, problems } = payload;
  const report: SyncReport = { source, mode: payload.mode, dryRun: payload.dryRun, ok: true, assets: zeroCounts(), relationships: zeroCounts(), errors: problems };
  const storedByKey = new Map(stored.records.map((row) => [row.key, row]));
  const endpointByKey = new Map(stored.endpoints.map((row) => [row.key, row]));
  const endpointById = new Map(stored.endpoints.map((row) => [row.id, row]));
  const asSentIds = stored.asSent;

  const createdRecords: EntityWriteRow[] = [];
  const revivedRecords: EntityWriteRow[] = [];
  const updatedRecords: EntityWriteRow[] = [];
  const plannedEnds = new Map<string, EndpointRow>();
  for (const item of payload.records) {
    const unchangedId = asSentIds.get(item.key);
    if (unchangedId !== undefined) {
      plannedEnds.set(item.key, { key: item.key, id: unchangedId, type: item.type, source });
      report.assets.unchanged += 1;
      continue;
    }
    const stored = storedByKey.get(item.key);
    const change = planEntityChange(item.type, source, item.externalId, item.desired, stored);
    plannedEnds.set(item.key, { key: item.key, id: change.row.id, type: item.type, source });
    report.assets[change.outcome] += 1;
    if (change.outcome === 'unchanged') continue;
    if (stored && changedAfter(payload.at, stored.retired ? stored.retiredAt : stored.updatedAt)) {
      problems.push({ path: item.path, message: `changed at ${String(stored.retired ? stored.retiredAt : stored.updatedAt)}, after at: history is only appended` });
    }
    (change.outcome === 'updated' ? updatedRecords : stored?.retired ? revivedRecords : createdRecords).push(change.row);
    audit.entity(change.outcome === 'created' ? 'CREATE' : 'UPDATE', change.row.id, item.type, change.changes);
  }

  const resolve = (ref: EntityRefInput, path: string): EndpointRow | null => {
    if (ref.id) {
      const row = endpointById.get(ref.id);
      if (!row) problems.push({ path, message: `no record with id ${ref.id}` });
      return row ?? null;
    }
    const key = refKey(ref, source);
    if (key === null) {
      problems.push({ path, message: 'give either id, or type and externalId (and source when another source wrote it)' });
      return null;
    }
    const found = plannedEnds.get(key) ?? endpointByKey.get(key);
    // A reference to a record rejected above is already reported there.
    if (!found && !payload.rejectedKeys.has(key)) problems.push({ path, message: `no ${ref.type} with externalId "${ref.externalId}" in source "${ref.source ?? source}", in this payload or stored` });
    return found ?? null;
  };

  const relationships: PlannedRelationship[] = [];
  const relationshipOwners: SyncDraft['relationshipOwners'] = [];
  const seen = new Set<string>();
  payload.relationships.forEach((rel, index) => {
    const path = `relationships[${index}]`;
    const from = resolve(rel.from, `${path}.from`);
    const to = resolve(rel.to, `${path}.to`);
    const properties = checkRelationshipProperties(rel.properties, `${path}.properties`, problems);
    if (!from || !to || !properties) return;
    if (!checkEndpoints(rel.type, from.type, to.type, path, problems)) return;
    relationshipOwners.push({ type: from.type, source: from.source });
    const ref = { fromId: from.id, type: rel.type, toId: to.id };
    if (seen.has(relationshipKey(ref))) {
      problems.push({ path, message: `duplicates an earlier ${rel.type} between the same records` });
      return;
    }
    seen.add(relationshipKey(ref));
    relationships.push({ ...ref, source, properties, fromType: from.type });
  });

  // A record created (or revived) by this call has no relationships yet, and none can start from a
  // record from which none starts: only the others need a look-up.
  const createdIds = new Set([...createdRecords, ...revivedRecords].map((row) => row.id));
  const startsNone = new Set(stored.endpoints.filter((row) => row.startsRelationships === false).map((row) => row.id));
  const mayExist = relationships.filter((write) => !createdIds.has(write.fromId) && !createdIds.has(write.toId) && !startsNone.has(write.fromId));
  const recordIds = new Map(payload.records.map((item) => [item.key, plannedEnds.get(item.key)!.id]));
  return { payload, report, audit, createdRecords, revivedRecords, updatedRecords, recordIds, relationships, mayExist, relationshipOwners };
}

/**
 * Completes the plan with the relationships found stored (by index into `draft.mayExist`; AS_SENT
 * for one stored as it is sent) and, for a REPLACE, what the source wrote before and no longer sends.
 */
export function completeSync(
  draft: SyncDraft,
  storedRelationships: Map<number, StoredRelationship>,
  stale: { entities: EntityRow[]; relationships: StaleRelationshipRow[] } | null,
  /** For a dated call: when each of `draft.relationships` last ended (by index), if it ever did. */
  lastEnded: Map<number, string> | null = null,
): SyncPlan {
  const { report, audit, payload } = draft;
  const storedByWrite = new Map<PlannedRelationship, StoredRelationship | undefined>(draft.mayExist.map((write, index) => [write, storedRelationships.get(index)]));
  const newRelationships: PlannedRelationship[] = [];
  const changedRelationships: PlannedRelationship[] = [];
  draft.relationships.forEach((write, index) => {
    if (changedAfter(payload.at, lastEnded?.get(index))) {
      payload.problems.push({ path: 'relationships', message: `${write.type} ${write.fromId} -> ${write.toId} ended after at: history is only appended` });
    }
  });
  for (const write of draft.relationships) {
    const existing = storedByWrite.get(write);
    if (!existing) {
      report.relationships.created += 1;
      audit.link('LINK', write, write.fromType, write.properties);
      newRelationships.push(write);
      continue;
    }
    if (existing === AS_SENT) {
      report.relationships.unchanged += 1;
      continue;
    }
    const sources = (existing.sources as string[] | undefined) ?? [];
    const differs = !sources.includes(payload.source) || Object.entries(write.properties).some(([name, value]) => !sameValue(existing[name], value));
    report.relationships[differs ? 'updated' : 'unchanged'] += 1;
    if (differs) changedRelationships.push(write);
    if (differs && changedAfter(payload.at, existing.validFrom ?? existing.createdAt)) {
      payload.problems.push({ path: 'relationships', message: `${write.type} ${write.fromId} -> ${write.toId} changed after at: history is only appended` });
    }
  }

  const removals = new Map<EntityType, number>();
  const count = (type: EntityType) => removals.set(type, (removals.get(type) ?? 0) + 1);
  let withdrawn: SyncPlan['withdrawn'] = [];
  let deletedIds: string[] = [];
  if (stale) {
    withdrawn = stale.relationships.map((rel) => ({ fromId: rel.fromId, type: rel.type, toId: rel.toId, source: payload.source }));
    for (const rel of stale.relationships) {
      count(rel.fromType);
      // Another source still asserting it keeps it alive: only the last assertion unlinks.
      if (rel.sources.length === 1) audit.link('UNLINK', rel, rel.fromType, {});
    }
    for (const rel of stale.relationships) {
      if (changedAfter(payload.at, rel.validFrom)) payload.problems.push({ path: 'mode', message: `withdrawing ${rel.type} ${rel.fromId} -> ${rel.toId}, which changed after at: history is only appended` });
    }
    for (const row of stale.entities) {
      if (changedAfter(payload.at, row.updatedAt)) payload.problems.push({ path: 'mode', message: `deleting ${row.type} "${row.name}", which changed after at: history is only appended` });
    }
    deletedIds = stale.entities.map((row) => row.id);
    for (const row of stale.entities) {
      count(row.type);
      audit.entity('DELETE', row.id, row.type, deletionChanges(row));
    }
    report.assets.deleted = stale.entities.length;
    report.relationships.deleted = stale.relationships.length;
  }
  report.ok = payload.problems.length === 0;
  return { ...draft, newRelationships, changedRelationships, withdrawn, deletedIds, removals };
}
