import type { DemoComplianceFile } from '../compliance/catalogueService';
import { BATCH_FIELDS, ENTITY_TYPES, EntityType, entityKey } from '../estate/model';
import type { EntityRefInput, RelationshipInput, SyncInventoryInput } from '../generated/graphql';

/**
 * The demo's history (seed/demo-history.json) as the dated syncs that load it, decided without a
 * database: each state is today's (seed/demo-estate.json) with the later events undone.
 */

type Item = Record<string, unknown> & { externalId: string };
type Batches = Partial<Record<string, Item[]>>;
type Claim = DemoComplianceFile['satisfies'][number];
type ClaimRef = Pick<Claim, 'control' | 'framework' | 'identifier'>;

export interface DemoEvent {
  at: string;
  what: string;
  created?: Partial<Record<string, string[]>>;
  deleted?: Batches;
  changed?: Partial<Record<string, Array<{ externalId: string; before: Record<string, unknown> }>>>;
  linked?: RelationshipInput[];
  unlinked?: RelationshipInput[];
  claims?: { added?: ClaimRef[]; changed?: Array<ClaimRef & { before: Pick<Claim, 'coverage' | 'rationale'> }> };
}

export interface DemoCompromise {
  type: EntityType;
  externalId: string;
  since: string;
  incident: string;
  reason: string;
}

export interface DemoHistoryFile {
  source: string;
  since: string;
  what: string;
  events: DemoEvent[];
  compromised: DemoCompromise[];
}

export interface DemoRound {
  at: string;
  what: string;
  /** A REPLACE sync of the whole state, dated `at`. */
  input: Omit<SyncInventoryInput, 'at'> & { at: string };
  /** The claims as they stood from `at`, when they differ from the round before's. */
  claims: DemoComplianceFile | null;
}

const TYPE_OF_BATCH = new Map(ENTITY_TYPES.map((type) => [BATCH_FIELDS[type], type]));
const recordKey = (type: string, externalId: string) => `${type}|${externalId}`;
const refKey = (ref: EntityRefInput) => recordKey(String(ref.type), String(ref.externalId));
const relationshipKey = (rel: RelationshipInput) => `${refKey(rel.from)}|${rel.type}|${refKey(rel.to)}`;
const claimKey = (claim: ClaimRef) => `${claim.control}|${claim.framework}|${claim.identifier}`;

/** One state of the demo: records by type and external id, relationships and claims by key, in file order. */
interface State {
  records: Map<string, { batch: string; item: Item }>;
  relationships: Map<string, RelationshipInput>;
  claims: Map<string, Claim>;
}

const copy = (state: State): State => ({
  records: new Map([...state.records].map(([key, { batch, item }]) => [key, { batch, item: { ...item } }])),
  relationships: new Map(state.relationships),
  claims: new Map([...state.claims].map(([key, claim]) => [key, { ...claim }])),
});

function typeOf(batch: string): string {
  const type = TYPE_OF_BATCH.get(batch);
  if (!type) throw new Error(`demo history: no record type for "${batch}"`);
  return type;
}

/** Undoes one event on `state` (in place), checking that the event describes a change that happened. */
function undo(state: State, event: DemoEvent): void {
  const fail = (message: string): never => {
    throw new Error(`demo history, event of ${event.at}: ${message}`);
  };
  for (const rel of event.linked ?? []) if (!state.relationships.delete(relationshipKey(rel))) fail(`linked ${relationshipKey(rel)} is not there after it`);
  for (const rel of event.unlinked ?? []) {
    if (state.relationships.has(relationshipKey(rel))) fail(`unlinked ${relationshipKey(rel)} is still there after it`);
    state.relationships.set(relationshipKey(rel), rel);
  }
  for (const [batch, ids] of Object.entries(event.created ?? {})) {
    for (const externalId of ids ?? []) {
      const key = recordKey(typeOf(batch), externalId);
      if (!state.records.delete(key)) fail(`created ${key} is not there after it`);
      // A record's relationships cannot outlive it: they appeared with it.
      for (const [relKey, rel] of state.relationships) if (refKey(rel.from) === key || refKey(rel.to) === key) state.relationships.delete(relKey);
    }
  }
  for (const [batch, items] of Object.entries(event.deleted ?? {})) {
    for (const item of items ?? []) {
      const key = recordKey(typeOf(batch), item.externalId);
      if (state.records.has(key)) fail(`deleted ${key} is still there after it`);
      state.records.set(key, { batch, item: { ...item } });
    }
  }
  for (const [batch, changes] of Object.entries(event.changed ?? {})) {
    for (const { externalId, before } of changes ?? []) {
      const record = state.records.get(recordKey(typeOf(batch), externalId)) ?? fail(`changed ${batch} ${externalId} is not there after it`);
      for (const [field, value] of Object.entries(before)) {
        // A field dropped by a sync would need an explicit null in the later payload; none is.
        if (!(field in record.item)) fail(`${externalId}.${field} is not set after it`);
        if (value === null) delete record.item[field];
        else record.item[field] = value;
      }
    }
  }
  for (const claim of event.claims?.added ?? []) if (!state.claims.delete(claimKey(claim))) fail(`claim ${claimKey(claim)} is not there after it`);
  for (const { before, ...claim } of event.claims?.changed ?? []) {
    const current = state.claims.get(claimKey(claim)) ?? fail(`claim ${claimKey(claim)} is not there after it`);
    Object.assign(current, before);
  }
}

function checkState(state: State, at: string): void {
  for (const [key, rel] of state.relationships) {
    for (const end of [rel.from, rel.to]) if (!state.records.has(refKey(end))) throw new Error(`demo history at ${at}: ${key} names a record missing then`);
  }
  for (const claim of state.claims.values()) {
    if (!state.records.has(recordKey('Control', claim.control))) throw new Error(`demo history at ${at}: a claim of ${claim.control}, missing then`);
  }
}

function payload(state: State, source: string, at: string): DemoRound['input'] {
  const assets: Record<string, Item[]> = {};
  for (const { batch, item } of state.records.values()) (assets[batch] ??= []).push(item);
  return { source, mode: 'REPLACE', at, assets, relationships: [...state.relationships.values()] };
}

/** What one round changes among today's records: the loader reads progress from their last change. */
function changedRecords(before: State | undefined, after: State, today: State): string[] {
  return [...after.records]
    .filter(([key, { item }]) => today.records.has(key) && JSON.stringify(before?.records.get(key)?.item) !== JSON.stringify(item))
    .map(([key]) => key);
}

/**
 * The rounds that load the demo, oldest first: the first state at `since`, then one per event.
 * Throws when the history does not lead to today's files, or when a round changes none of today's
 * records (the loader could not tell whether it was applied).
 */
export function planDemoRounds(today: SyncInventoryInput, compliance: DemoComplianceFile, history: DemoHistoryFile): DemoRound[] {
  if (today.source !== history.source || compliance.estateSource !== history.source) throw new Error('demo history: the estate, its claims and its history name different sources');
  const instants = [history.since, ...history.events.map((event) => event.at)];
  instants.forEach((at, index) => {
    if (Number.isNaN(Date.parse(at)) || (index > 0 && Date.parse(at) <= Date.parse(instants[index - 1]))) throw new Error(`demo history: ${at} is not after the instant before it`);
  });

  const final: State = { records: new Map(), relationships: new Map(), claims: new Map() };
  for (const [batch, items] of Object.entries(today.assets ?? {})) {
    for (const item of (items ?? []) as Item[]) final.records.set(recordKey(typeOf(batch), item.externalId), { batch, item: { ...item } });
  }
  for (const rel of today.relationships ?? []) final.relationships.set(relationshipKey(rel), rel);
  for (const claim of compliance.satisfies) final.claims.set(claimKey(claim), { ...claim });

  const states = [final];
  for (const event of [...history.events].reverse()) {
    const earlier = copy(states[0]);
    undo(earlier, event);
    states.unshift(earlier);
  }

  const claimsOf = (state: State) => JSON.stringify([...state.claims.values()]);
  return states.map((state, index) => {
    const at = instants[index];
    checkState(state, at);
    if (changedRecords(states[index - 1], state, final).length === 0) throw new Error(`demo history: the round of ${at} changes none of today's records`);
    const claimsChanged = index === 0 || claimsOf(state) !== claimsOf(states[index - 1]);
    return {
      at,
      what: index === 0 ? history.what : history.events[index - 1].what,
      input: payload(state, history.source, at),
      claims: claimsChanged ? { ...compliance, satisfies: [...state.claims.values()] } : null,
    };
  });
}

/** The keys of today's demo records, whose latest change says how far the history was loaded. */
export const demoRecordKeys = (round: DemoRound): string[] =>
  Object.entries(round.input.assets ?? {}).flatMap(([batch, items]) => ((items ?? []) as Item[]).map((item) => entityKey(typeOf(batch) as EntityType, round.input.source, item.externalId)));
