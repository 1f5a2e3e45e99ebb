import { LINEAGE_TYPES, RELATIONSHIPS } from '../../src/estate/model';
import type { EntityType, RelationshipType } from '../../src/estate/model';

/**
 * The estate as the API should remember it, kept in memory by the model-based history test
 * (model.test.ts): the operations it draws, what each does to the graph, and the answers lineage,
 * impact, coverage and changes should give on a snapshot. Pure: no Neo4j, no clock.
 */

/** mulberry32: a tiny seeded generator, so that a failing seed replays the same steps. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }
  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, count);
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [value, weight] of entries) {
      at -= weight;
      if (at < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
}

// ---- State ---------------------------------------------------------------------------------------

/** A record's fields as the test sets them: name, description, tags and a few of its type's own. */
export type Fields = Record<string, unknown>;

export interface RecordState {
  id: string;
  type: EntityType;
  source: string;
  externalId: string;
  fields: Fields;
}

export interface RelationshipState {
  type: RelationshipType;
  fromId: string;
  toId: string;
  /** Who asserts it: sync sources and `manual` for link; it goes when the last one withdraws. */
  sources: string[];
  /** Its own properties (a sent null removes one). */
  properties: Fields;
}

/** The graph at one instant: live records and relationships, satisfaction claims, declarations. */
export interface Snapshot {
  records: Map<string, RecordState>;
  relationships: Map<string, RelationshipState>;
  /** `controlId|requirementKey` → FULL or PARTIAL. */
  claims: Map<string, 'FULL' | 'PARTIAL'>;
  /** Requirement keys with an active not-applicable declaration. */
  notApplicable: Set<string>;
}

export const relKey = (type: string, fromId: string, toId: string) => `${fromId}|${type}|${toId}`;
export const recordKey = (type: EntityType, source: string, externalId: string) => `${type}|${source}|${externalId}`;
const claimKey = (controlId: string, requirementKey: string) => `${controlId}|${requirementKey}`;

export function cloneSnapshot(snapshot: Snapshot): Snapshot {
  return {
    records: new Map([...snapshot.records].map(([id, record]) => [id, { ...record, fields: { ...record.fields } }])),
    relationships: new Map([...snapshot.relationships].map(([key, rel]) => [key, { ...rel, sources: [...rel.sources], properties: { ...rel.properties } }])),
    claims: new Map(snapshot.claims),
    notApplicable: new Set(snapshot.notApplicable),
  };
}

// ---- Fields the test writes ----------------------------------------------------------------------

const ENUMS = {
  lifecycleStage: ['DESIGN', 'TRAINING', 'VALIDATION', 'APPROVED', 'DEPLOYED'],
  riskTier: ['HIGH', 'LIMITED', 'MINIMAL'],
  classification: ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED'],
  rating: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'],
  autonomyLevel: ['ASSISTIVE', 'SEMI_AUTONOMOUS', 'AUTONOMOUS'],
  implementationStatus: ['PLANNED', 'IN_PROGRESS', 'IMPLEMENTED', 'IMPLEMENTED', 'NOT_IMPLEMENTED'],
  controlType: ['PREVENTIVE', 'DETECTIVE', 'CORRECTIVE'],
  evidenceKind: ['DOCUMENT', 'TEST_RESULT', 'AUDIT_REPORT', 'LOG'],
  riskStatus: ['IDENTIFIED', 'ASSESSED', 'TREATING', 'CLOSED'],
};

/**
 * Each type's fields the test sets besides name, description and tags, with a draw of a value
 * (null: cleared). `now` is when the run started: evidence expiries fall around the run, so that
 * evidence expires between steps and coverage as of a step depends on that step's instant.
 */
type FieldDraw = (rng: Rng, now: number) => unknown;
const orNull = (draw: FieldDraw, p = 0.15): FieldDraw => (rng, now) => (rng.chance(p) ? null : draw(rng, now));
const oneOf = (values: readonly string[]): FieldDraw => (rng) => rng.pick(values);

const TYPE_FIELDS: Record<EntityType, Record<string, FieldDraw>> = {
  AIModel: { lifecycleStage: orNull(oneOf(ENUMS.lifecycleStage)), riskTier: orNull(oneOf(ENUMS.riskTier)), modelVersion: orNull((rng) => `${1 + rng.int(4)}.${rng.int(10)}`) },
  Dataset: { classification: orNull(oneOf(ENUMS.classification)), containsPersonalData: orNull((rng) => rng.chance(0.5)), recordCount: orNull((rng) => rng.int(100_000)) },
  Vendor: { riskRating: orNull(oneOf(ENUMS.rating)) },
  Agent: { autonomyLevel: orNull(oneOf(ENUMS.autonomyLevel)) },
  Decision: { impactLevel: orNull(oneOf(ENUMS.rating)), humanInTheLoop: orNull((rng) => rng.chance(0.5)) },
  Owner: { email: orNull((rng) => `owner${rng.int(50)}@example.com`) },
  Risk: { status: orNull(oneOf(ENUMS.riskStatus)) },
  Incident: { severity: orNull(oneOf(ENUMS.rating)) },
  Control: { implementationStatus: orNull(oneOf(ENUMS.implementationStatus), 0.1), controlType: orNull(oneOf(ENUMS.controlType)) },
  Evidence: {
    kind: orNull(oneOf(ENUMS.evidenceKind)),
    expiresAt: (rng, now) =>
      rng.weighted<() => string | null>([
        [() => null, 2],
        [() => '2020-06-01T00:00:00.000Z', 1],
        [() => '2099-06-01T00:00:00.000Z', 1],
        // Within the run: expires between two steps.
        [() => new Date(now + 500 + rng.int(40_000)).toISOString(), 4],
      ])(),
  },
  Tool: { sensitivity: orNull(oneOf(ENUMS.rating)) },
  // Classified through classifyAISystem only (schema/systems.graphql): not drawn here.
  AISystem: {},
  // The programme's records (schema/incidents, shadowAi, policies.graphql): not drawn here.
  Playbook: {},
  Policy: {},
  DiscoveredAsset: {},
  DiscoverySource: {},
  // Monitoring rules (schema/signals.graphql): not drawn here.
  SignalRule: {},
  // Written with their rules' relationships only (schema/vendors.graphql, gates.graphql): not drawn here.
  VendorAssessment: {},
  GateApproval: {},
};

/** Every field the test compares, per type, in a fixed order. */
export const COMPARED_FIELDS: Record<EntityType, string[]> = Object.fromEntries(
  Object.entries(TYPE_FIELDS).map(([type, fields]) => [type, ['name', 'description', 'tags', ...Object.keys(fields)]]),
) as Record<EntityType, string[]>;

/** Temporal fields: compared as instants, whatever format the API writes them in. */
const DATETIME_FIELDS = new Set(['expiresAt']);

const NAMES = ['Atlas', 'Beacon', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Garnet', 'Harbor', 'Iris', 'Juniper'];

function drawName(rng: Rng, type: EntityType): string {
  return `${type} ${rng.pick(NAMES)}`;
}

function drawTags(rng: Rng): string[] {
  return rng.sample(['pii', 'prod', 'eu', 'batch', 'llm', 'core'], 1 + rng.int(2)).sort();
}

/** All of a record's compared fields, for a new or revived record. */
function drawAllFields(rng: Rng, type: EntityType, now: number): Fields {
  const fields: Fields = { name: drawName(rng, type), description: rng.chance(0.3) ? null : `About ${rng.pick(NAMES)}`, tags: drawTags(rng) };
  for (const [field, draw] of Object.entries(TYPE_FIELDS[type])) fields[field] = draw(rng, now);
  return fields;
}

/** Some of a record's fields, each with a fresh value: what an edit or a partial sync sends (a sync adds the name it requires). */
function drawSomeFields(rng: Rng, type: EntityType, now: number): Fields {
  const all = COMPARED_FIELDS[type];
  const chosen = rng.sample(all, 1 + rng.int(Math.min(3, all.length)));
  const fresh = drawAllFields(rng, type, now);
  return Object.fromEntries(chosen.map((field) => [field, fresh[field]]));
}

/** Normalises a field's value for comparison: absent and null alike, instants by their time. */
export function comparableValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (DATETIME_FIELDS.has(field) && typeof value === 'string') return new Date(value).toISOString();
  if (Array.isArray(value) && value.length === 0 && field === 'tags') return null;
  return value;
}

const sameField = (field: string, a: unknown, b: unknown) => JSON.stringify(comparableValue(field, a)) === JSON.stringify(comparableValue(field, b));

// ---- Operations ----------------------------------------------------------------------------------

export interface RecordRef {
  type: EntityType;
  source: string;
  externalId: string;
}

export interface SyncRecord extends RecordRef {
  fields: Fields;
}

export interface SyncRelationship {
  type: RelationshipType;
  from: RecordRef;
  to: RecordRef;
  properties?: Fields;
}

export type Operation =
  /** `dated`: sent with `at`, an instant between the previous step and the call. */
  | { kind: 'sync'; source: string; mode: 'UPSERT' | 'REPLACE'; dated: boolean; records: SyncRecord[]; relationships: SyncRelationship[] }
  /** create<Type>: a new record, or a deleted one revived under its id. */
  | { kind: 'create'; record: SyncRecord }
  | { kind: 'update'; id: string; patch: Fields }
  | { kind: 'link'; type: RelationshipType; fromId: string; toId: string; properties?: Fields }
  | { kind: 'unlink'; type: RelationshipType; fromId: string; toId: string }
  | { kind: 'delete'; id: string }
  | { kind: 'satisfy'; controlId: string; requirement: string; coverage: 'FULL' | 'PARTIAL' }
  | { kind: 'unsatisfy'; controlId: string; requirement: string }
  | { kind: 'declareNotApplicable'; requirement: string }
  | { kind: 'withdrawNotApplicable'; requirement: string };

/** A one-line description of an operation, for failure reports (ids shortened to their records' keys). */
export function describe(op: Operation, model: EstateModel): string {
  const name = (id: string) => model.label(id);
  switch (op.kind) {
    case 'sync':
      return `sync ${op.mode}${op.dated ? ' dated' : ''} ${op.source}: records [${op.records.map((r) => `${r.type}:${r.externalId}${JSON.stringify(r.fields)}`).join(', ')}] relationships [${op.relationships.map((r) => `${r.from.externalId}-${r.type}->${r.to.externalId}${r.properties ? JSON.stringify(r.properties) : ''}`).join(', ')}]`;
    case 'create':
      return `create${op.record.type} ${op.record.source} ${op.record.externalId} ${JSON.stringify(op.record.fields)}`;
    case 'update':
      return `updateEntity ${name(op.id)} ${JSON.stringify(op.patch)}`;
    case 'link':
      return `link ${name(op.fromId)}-${op.type}->${name(op.toId)}${op.properties ? ` ${JSON.stringify(op.properties)}` : ''}`;
    case 'unlink':
      return `unlink ${name(op.fromId)}-${op.type}->${name(op.toId)}`;
    case 'delete':
      return `deleteEntity ${name(op.id)} cascade`;
    case 'satisfy':
      return `satisfy ${name(op.controlId)} ${op.requirement} ${op.coverage}`;
    case 'unsatisfy':
      return `unsatisfy ${name(op.controlId)} ${op.requirement}`;
    default:
      return `${op.kind} ${op.requirement}`;
  }
}

/** How often each relationship type is drawn: flow relationships most, so lineage has depth. */
const RELATIONSHIP_WEIGHTS: ReadonlyArray<readonly [RelationshipType, number]> = [
  ['DERIVED_FROM', 5],
  ['TRAINED_ON', 4],
  ['FINE_TUNED_ON', 1],
  ['EVALUATED_ON', 1],
  ['BASED_ON', 3],
  ['PROVIDED_BY', 2],
  ['USES_MODEL', 3],
  ['RETRIEVES_FROM', 2],
  ['CAN_INVOKE', 2],
  ['INFORMS', 5],
  ['OWNED_BY', 2],
  ['THREATENS', 1],
  ['MITIGATED_BY', 1],
  ['APPLIES_TO', 3],
  ['INVOLVES', 1],
  ['SUPPORTS', 4],
];

/** How many records of each type the estate starts with (the first two steps sync them). */
const INITIAL_COUNTS: ReadonlyArray<readonly [EntityType, number]> = [
  ['Dataset', 7],
  ['AIModel', 6],
  ['Agent', 4],
  ['Decision', 4],
  ['Vendor', 2],
  ['Owner', 2],
  ['Control', 3],
  ['Evidence', 3],
  ['Risk', 1],
  ['Incident', 1],
];

export interface ModelOptions {
  /** The two sync sources the test owns. */
  sources: [string, string];
  /** Requirement identifiers of the test's own framework (all assessable). */
  requirements: string[];
  frameworkKey: string;
  /** When the run started (ms): evidence expiries are drawn around it. */
  startedAt: number;
}

/**
 * The expected estate: current state, the records deleted (by key, to revive them with the same
 * id), and the operations that change it. A new record's id is the API's, which `apply` is given.
 */
export class EstateModel {
  readonly state: Snapshot = { records: new Map(), relationships: new Map(), claims: new Map(), notApplicable: new Set() };
  /** Deleted records by key: their id and last fields. */
  readonly retired = new Map<string, RecordState>();
  /** Ids by key, for live records. */
  private readonly idByKey = new Map<string, string>();
  /** Labels of every record ever seen (for failure reports). */
  private readonly labels = new Map<string, string>();
  private counter = 0;

  constructor(readonly options: ModelOptions) {}

  label(id: string): string {
    return this.labels.get(id) ?? id;
  }

  requirementKey(identifier: string): string {
    return `${this.options.frameworkKey}|${identifier}`;
  }

  liveRecords(types?: readonly EntityType[]): RecordState[] {
    return [...this.state.records.values()].filter((record) => !types || types.includes(record.type));
  }

  idOf(ref: RecordRef): string | undefined {
    return this.idByKey.get(recordKey(ref.type, ref.source, ref.externalId));
  }

  // ---- Drawing the next operation ----

  /** The first steps: each source syncs its initial records and relationships (UPSERT). */
  initialSync(rng: Rng, sourceIndex: 0 | 1): Operation {
    const source = this.options.sources[sourceIndex];
    const records: SyncRecord[] = [];
    for (const [type, count] of INITIAL_COUNTS) {
      const share = sourceIndex === 0 ? Math.ceil(count * 0.65) : count - Math.ceil(count * 0.65);
      for (let i = 0; i < share; i += 1) records.push(this.newRecord(rng, type, source));
    }
    // The second source's relationships may point at the first source's records, which are live.
    const planned = dedupe([...this.liveRecords(), ...records]);
    const relationships = this.drawRelationships(rng, planned, sourceIndex === 0 ? 22 : 14, source);
    return { kind: 'sync', source, mode: 'UPSERT', dated: false, records, relationships };
  }

  /** A random operation on the current state, keeping the estate between about 25 and 40 records. */
  nextOperation(rng: Rng): Operation {
    const live = this.state.records.size;
    const grow = live < 25 ? 3 : 1;
    const shrink = live > 40 ? 3 : 1;
    for (;;) {
      const kind = rng.weighted<string>([
        ['upsert', 16 * grow],
        ['replace', 7],
        ['recreate', 7 * grow],
        ['update', 18],
        ['link', 16],
        ['unlink', 10],
        ['delete', 7 * shrink],
        ['claim', 8],
        ['declare', 3],
      ]);
      const op = this.draw(rng, kind);
      if (op) return op;
    }
  }

  private draw(rng: Rng, kind: string): Operation | null {
    const source = rng.pick(this.options.sources);
    const live = this.liveRecords();
    switch (kind) {
      case 'upsert': {
        const records: SyncRecord[] = [];
        const mine = live.filter((record) => record.source === source);
        for (const record of rng.sample(mine, rng.int(3))) records.push({ ...toRef(record), fields: { name: record.fields.name, ...drawSomeFields(rng, record.type, this.options.startedAt) } });
        for (let i = rng.int(3); i > 0; i -= 1) records.push(this.newRecord(rng, rng.weighted(INITIAL_COUNTS), source));
        const planned = dedupe([...live.map(toRef), ...records]);
        const relationships = this.drawRelationships(rng, planned, rng.int(4), source);
        if (records.length + relationships.length === 0) return null;
        return { kind: 'sync', source, mode: 'UPSERT', dated: rng.chance(0.4), records, relationships };
      }
      case 'recreate': {
        const retired = [...this.retired.values()].filter((record) => record.source === source);
        if (retired.length === 0) return null;
        // A revived record takes the state it is sent with, whole: what the deleted one held and
        // is not sent stays in the past.
        const revive = (record: RecordState) => ({ ...toRef(record), fields: withoutNulls(drawAllFields(rng, record.type, this.options.startedAt)) });
        if (rng.chance(0.3)) return { kind: 'create', record: revive(rng.pick(retired)) };
        const records = rng.sample(retired, 1 + rng.int(2)).map(revive);
        const planned = dedupe([...live.map(toRef), ...records]);
        const relationships = this.drawRelationships(rng, planned, rng.int(3), source, records);
        return { kind: 'sync', source, mode: 'UPSERT', dated: rng.chance(0.4), records, relationships };
      }
      case 'replace': {
        // Everything the source keeps, some of it edited, minus a dropped record or two (deleted)
        // and a withdrawn relationship or two; maybe a new record and relationships.
        const mine = live.filter((record) => record.source === source);
        const dropped = new Set(rng.sample(mine, rng.int(3) === 0 ? 0 : 1 + rng.int(2)).map((record) => record.id));
        const records: SyncRecord[] = mine
          .filter((record) => !dropped.has(record.id))
          .map((record) => ({ ...toRef(record), fields: { name: record.fields.name, ...(rng.chance(0.2) ? drawSomeFields(rng, record.type, this.options.startedAt) : {}) } }));
        if (rng.chance(0.4)) records.push(this.newRecord(rng, rng.weighted(INITIAL_COUNTS), source));
        const asserted = [...this.state.relationships.values()].filter(
          (rel) => rel.sources.includes(source) && !dropped.has(rel.fromId) && !dropped.has(rel.toId),
        );
        const withdrawn = new Set(rng.sample(asserted, rng.int(3)).map((rel) => relKey(rel.type, rel.fromId, rel.toId)));
        const kept: SyncRelationship[] = asserted
          .filter((rel) => !withdrawn.has(relKey(rel.type, rel.fromId, rel.toId)))
          .map((rel) => ({ type: rel.type, from: toRef(this.state.records.get(rel.fromId)!), to: toRef(this.state.records.get(rel.toId)!), properties: rng.chance(0.1) ? drawProperties(rng) : undefined }));
        const planned = dedupe([...live.filter((record) => !dropped.has(record.id)).map(toRef), ...records]);
        const fresh = this.drawRelationships(rng, planned, rng.int(3), source, undefined, kept);
        return { kind: 'sync', source, mode: 'REPLACE', dated: rng.chance(0.4), records, relationships: [...kept, ...fresh] };
      }
      case 'update': {
        if (live.length === 0) return null;
        const record = rng.pick(live);
        return { kind: 'update', id: record.id, patch: drawSomeFields(rng, record.type, this.options.startedAt) };
      }
      case 'link': {
        const [rel] = this.drawRelationships(rng, live.map(toRef), 1, 'manual');
        if (!rel) return null;
        return { kind: 'link', type: rel.type, fromId: this.idOf(rel.from)!, toId: this.idOf(rel.to)!, properties: rel.properties };
      }
      case 'unlink': {
        const rels = [...this.state.relationships.values()];
        if (rels.length === 0) return null;
        const rel = rng.pick(rels);
        return { kind: 'unlink', type: rel.type, fromId: rel.fromId, toId: rel.toId };
      }
      case 'delete': {
        if (live.length === 0) return null;
        return { kind: 'delete', id: rng.pick(live).id };
      }
      case 'claim': {
        const controls = this.liveRecords(['Control']);
        const claims = [...this.state.claims.keys()];
        if (claims.length > 0 && rng.chance(0.3)) {
          const [controlId, requirement] = splitClaim(rng.pick(claims));
          return { kind: 'unsatisfy', controlId, requirement: requirement.slice(this.options.frameworkKey.length + 1) };
        }
        if (controls.length === 0) return null;
        return { kind: 'satisfy', controlId: rng.pick(controls).id, requirement: rng.pick(this.options.requirements), coverage: rng.chance(0.65) ? 'FULL' : 'PARTIAL' };
      }
      case 'declare': {
        const requirement = rng.pick(this.options.requirements);
        return this.state.notApplicable.has(this.requirementKey(requirement)) && rng.chance(0.7)
          ? { kind: 'withdrawNotApplicable', requirement }
          : { kind: 'declareNotApplicable', requirement };
      }
      default:
        throw new Error(`unknown operation kind ${kind}`);
    }
  }

  private newRecord(rng: Rng, type: EntityType, source: string): SyncRecord {
    this.counter += 1;
    return { type, source, externalId: `${type.toLowerCase()}-${this.counter}`, fields: withoutNulls(drawAllFields(rng, type, this.options.startedAt)) };
  }

  /**
   * Up to `count` relationships between `records` that `source` does not assert yet, each between
   * allowed endpoints; with `mustTouch`, each has one end among those records (revived ones).
   */
  private drawRelationships(rng: Rng, records: RecordRef[], count: number, source: string, mustTouch?: RecordRef[], already: SyncRelationship[] = []): SyncRelationship[] {
    const chosen: SyncRelationship[] = [];
    const taken = new Set(already.map((rel) => refRelKey(rel)));
    for (let attempt = 0; chosen.length < count && attempt < count * 20; attempt += 1) {
      const type = rng.weighted(RELATIONSHIP_WEIGHTS);
      const spec = RELATIONSHIPS[type];
      const touch = mustTouch && rng.pick(mustTouch);
      const touchFrom = touch && spec.from.includes(touch.type) && (!spec.to.includes(touch.type) || rng.chance(0.5));
      const touchTo = touch && !touchFrom && spec.to.includes(touch.type);
      if (touch && !touchFrom && !touchTo) continue;
      const froms = touchFrom ? [touch] : records.filter((record) => spec.from.includes(record.type));
      const tos = touchTo ? [touch] : records.filter((record) => spec.to.includes(record.type));
      if (froms.length === 0 || tos.length === 0) continue;
      const rel = { type, from: rng.pick(froms), to: rng.pick(tos) };
      if (sameRef(rel.from, rel.to) || taken.has(refRelKey(rel))) continue;
      const fromId = this.idOf(rel.from);
      const toId = this.idOf(rel.to);
      const stored = fromId && toId ? this.state.relationships.get(relKey(type, fromId, toId)) : undefined;
      if (stored?.sources.includes(source)) continue;
      taken.add(refRelKey(rel));
      chosen.push(rng.chance(0.3) ? { ...rel, properties: drawProperties(rng) } : rel);
    }
    return chosen;
  }

  // ---- Applying an operation ----

  /**
   * What an operation does to the expected state. A sync's new records need ids: `ids` gives the
   * API's id for each key it created (revived records keep theirs).
   */
  apply(op: Operation, ids: Map<string, string> = new Map()): void {
    const { records, relationships, claims, notApplicable } = this.state;
    switch (op.kind) {
      case 'sync': {
        const sentKeys = new Set<string>();
        for (const item of op.records) {
          const key = recordKey(item.type, item.source, item.externalId);
          sentKeys.add(key);
          const liveId = this.idByKey.get(key);
          if (liveId) {
            const record = records.get(liveId)!;
            record.fields = mergeFields(record.fields, item.fields);
            continue;
          }
          this.add(item, ids);
        }
        const sentRelationships = new Set<string>();
        for (const rel of op.relationships) {
          const fromId = this.idOf(rel.from)!;
          const toId = this.idOf(rel.to)!;
          const key = relKey(rel.type, fromId, toId);
          sentRelationships.add(key);
          this.assert(key, rel.type, fromId, toId, op.source, rel.properties);
        }
        if (op.mode === 'REPLACE') {
          for (const [key, rel] of [...relationships]) {
            if (!rel.sources.includes(op.source) || sentRelationships.has(key)) continue;
            rel.sources = rel.sources.filter((source) => source !== op.source);
            if (rel.sources.length === 0) relationships.delete(key);
          }
          for (const record of [...records.values()]) {
            if (record.source === op.source && !sentKeys.has(recordKey(record.type, record.source, record.externalId))) this.remove(record.id);
          }
        }
        return;
      }
      case 'create':
        this.add(op.record, ids);
        return;
      case 'update': {
        const record = records.get(op.id)!;
        record.fields = mergeFields(record.fields, op.patch);
        return;
      }
      case 'link':
        this.assert(relKey(op.type, op.fromId, op.toId), op.type, op.fromId, op.toId, 'manual', op.properties);
        return;
      case 'unlink':
        relationships.delete(relKey(op.type, op.fromId, op.toId));
        return;
      case 'delete':
        this.remove(op.id);
        return;
      case 'satisfy':
        claims.set(claimKey(op.controlId, this.requirementKey(op.requirement)), op.coverage);
        return;
      case 'unsatisfy':
        claims.delete(claimKey(op.controlId, this.requirementKey(op.requirement)));
        return;
      case 'declareNotApplicable':
        notApplicable.add(this.requirementKey(op.requirement));
        return;
      case 'withdrawNotApplicable':
        notApplicable.delete(this.requirementKey(op.requirement));
        return;
    }
  }

  /** A source asserts a relationship: added to its sources, its properties merged with the stored ones. */
  private assert(key: string, type: RelationshipType, fromId: string, toId: string, source: string, properties: Fields | undefined): void {
    const stored = this.state.relationships.get(key) ?? { type, fromId, toId, sources: [], properties: {} };
    if (!stored.sources.includes(source)) stored.sources = [...stored.sources, source];
    stored.properties = mergeFields(stored.properties, properties ?? {});
    this.state.relationships.set(key, stored);
  }

  /** A new record, or a deleted one back under its id with the state it is sent with. */
  private add(item: SyncRecord, ids: Map<string, string>): void {
    const key = recordKey(item.type, item.source, item.externalId);
    const id = this.retired.get(key)?.id ?? ids.get(key);
    if (!id) throw new Error(`no id for the new record ${key}`);
    this.retired.delete(key);
    this.idByKey.set(key, id);
    this.labels.set(id, `${item.type}:${item.externalId}`);
    this.state.records.set(id, { id, type: item.type, source: item.source, externalId: item.externalId, fields: mergeFields({}, item.fields) });
  }

  /** A deletion: the record retires with its relationships and claims, which revival does not bring back. */
  private remove(id: string): void {
    const record = this.state.records.get(id)!;
    this.state.records.delete(id);
    const key = recordKey(record.type, record.source, record.externalId);
    this.idByKey.delete(key);
    this.retired.set(key, record);
    for (const [relationshipKey, rel] of [...this.state.relationships]) {
      if (rel.fromId === id || rel.toId === id) this.state.relationships.delete(relationshipKey);
    }
    for (const claim of [...this.state.claims.keys()]) if (claim.startsWith(`${id}|`)) this.state.claims.delete(claim);
  }

  snapshot(): Snapshot {
    return cloneSnapshot(this.state);
  }
}

const toRef = (record: RecordRef): RecordRef => ({ type: record.type, source: record.source, externalId: record.externalId });
const sameRef = (a: RecordRef, b: RecordRef) => a.type === b.type && a.source === b.source && a.externalId === b.externalId;
const refRelKey = (rel: SyncRelationship) => `${recordKey(rel.from.type, rel.from.source, rel.from.externalId)}|${rel.type}|${recordKey(rel.to.type, rel.to.source, rel.to.externalId)}`;
const splitClaim = (claim: string): [string, string] => {
  const at = claim.indexOf('|');
  return [claim.slice(0, at), claim.slice(at + 1)];
};

/** A relationship's own properties as a write sends them, sometimes removing one with null. */
function drawProperties(rng: Rng): Fields {
  return rng.weighted<() => Fields>([
    [() => ({ weight: 1 + rng.int(3) }), 3],
    [() => ({ note: rng.pick(['masked', 'sampled']) }), 2],
    [() => ({ note: null }), 1],
    [() => ({ weight: null, note: rng.pick(['masked', 'sampled']) }), 1],
  ])();
}

const withoutNulls = (fields: Fields): Fields => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));

function dedupe(refs: RecordRef[]): RecordRef[] {
  const seen = new Map<string, RecordRef>();
  for (const ref of refs) seen.set(recordKey(ref.type, ref.source, ref.externalId), toRef(ref));
  return [...seen.values()];
}

/** Fields sent over stored ones: a sent null clears, a field not sent keeps its value. */
function mergeFields(stored: Fields, sent: Fields): Fields {
  const merged = { ...stored };
  for (const [field, value] of Object.entries(sent)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}

// ---- Answers on a snapshot -----------------------------------------------------------------------

/** The relationship types lineage walks by default; INFORMS is its own last (or first) hop. */
export const DEFAULT_LINEAGE_TYPES: readonly RelationshipType[] = LINEAGE_TYPES;

/**
 * Every record reachable from `rootId` with its shortest distance, as findReachable.cypher and
 * findLineage.cypher define the walk: flow relationships (`types` but INFORMS) against their stored
 * direction downstream, along it upstream, and at most one INFORMS hop at the decision end (the
 * last hop downstream, the first upstream), within `maxDepth` hops in all. The root is left out.
 */
export function reach(snapshot: Snapshot, rootId: string, downstream: boolean, maxDepth: number, types: readonly RelationshipType[] = DEFAULT_LINEAGE_TYPES): Map<string, number> {
  const flowTypes = new Set<RelationshipType>(types.filter((type) => type !== 'INFORMS'));
  const followInforms = types.includes('INFORMS');
  const flowNext = new Map<string, string[]>();
  const informsNext = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, at: string, next: string) => map.set(at, [...(map.get(at) ?? []), next]);
  for (const rel of snapshot.relationships.values()) {
    const [near, far] = downstream ? [rel.toId, rel.fromId] : [rel.fromId, rel.toId];
    if (flowTypes.has(rel.type)) push(flowNext, near, far);
    // Downstream, INFORMS is walked along its direction (model → decision); upstream, against it.
    else if (rel.type === 'INFORMS' && followInforms) push(informsNext, downstream ? rel.fromId : rel.toId, downstream ? rel.toId : rel.fromId);
  }

  // Breadth-first over flow hops, by layers: the root at 0 and, upstream, the records that inform
  // it at 1 (the INFORMS hop comes first there).
  const flowDistance = new Map<string, number>([[rootId, 0]]);
  const layers: string[][] = [[rootId], []];
  if (!downstream) {
    for (const id of informsNext.get(rootId) ?? []) {
      if (flowDistance.has(id)) continue;
      flowDistance.set(id, 1);
      layers[1].push(id);
    }
  }
  for (let distance = 0; distance < maxDepth; distance += 1) {
    const next = (layers[distance + 1] ??= []);
    for (const at of layers[distance] ?? []) {
      for (const id of flowNext.get(at) ?? []) {
        if (flowDistance.has(id)) continue;
        flowDistance.set(id, distance + 1);
        next.push(id);
      }
    }
  }

  const reached = new Map(flowDistance);
  if (downstream) {
    // One INFORMS hop from any record the flow reached within maxDepth - 1.
    for (const [at, distance] of flowDistance) {
      if (distance + 1 > maxDepth) continue;
      for (const id of informsNext.get(at) ?? []) {
        if (!reached.has(id) || reached.get(id)! > distance + 1) reached.set(id, distance + 1);
      }
    }
  }
  reached.delete(rootId);
  return reached;
}

export interface LineageAnswer {
  /** `id|DIRECTION` → distance; the root is `id|BOTH` at 0. */
  nodes: Map<string, number>;
  /** `fromId|TYPE|toId` of every walked relationship among the answer's records. */
  edges: Set<string>;
}

/** The lineage subgraph as findLineage.cypher returns it (no node limit is reached here). */
export function lineage(snapshot: Snapshot, rootId: string, direction: 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH', maxDepth: number, types: readonly RelationshipType[] = DEFAULT_LINEAGE_TYPES): LineageAnswer {
  const nodes = new Map<string, number>([[`${rootId}|BOTH`, 0]]);
  const members = new Set([rootId]);
  for (const dir of ['UPSTREAM', 'DOWNSTREAM'] as const) {
    if (direction !== 'BOTH' && direction !== dir) continue;
    for (const [id, distance] of reach(snapshot, rootId, dir === 'DOWNSTREAM', maxDepth, types)) {
      nodes.set(`${id}|${dir}`, distance);
      members.add(id);
    }
  }
  const edges = new Set<string>();
  for (const rel of snapshot.relationships.values()) {
    if (types.includes(rel.type) && members.has(rel.fromId) && members.has(rel.toId)) edges.add(relKey(rel.type, rel.fromId, rel.toId));
  }
  return { nodes, edges };
}

export type CoverageStatus = 'SATISFIED' | 'PARTIAL' | 'GAP' | 'NOT_APPLICABLE';

export interface CoverageAnswerItem {
  status: CoverageStatus;
  /** Claiming controls: id → coverage and their evidence (id → expired). */
  controls: Map<string, { coverage: 'FULL' | 'PARTIAL'; evidence: Map<string, boolean> }>;
}

/**
 * The coverage map of the test's framework at instant `at` (src/compliance/coverage.ts): a
 * requirement is NOT_APPLICABLE under an active declaration; SATISFIED when an IMPLEMENTED control
 * claims it FULL with evidence not expired at `at` (no expiry: never expires); PARTIAL when any
 * control claims it; GAP otherwise. Claims of records that are not live do not count. Scoped to an
 * asset (`assetId`), only the controls that APPLY_TO it count, and the map holds only the
 * requirements they claim (the test's framework defines no risk-tier scope).
 */
export function coverage(snapshot: Snapshot, requirementKeys: string[], at: Date, assetId: string | null = null): Map<string, CoverageAnswerItem> {
  const answer = new Map<string, CoverageAnswerItem>();
  const counts = (controlId: string) => assetId === null || snapshot.relationships.has(relKey('APPLIES_TO', controlId, assetId));
  for (const requirement of requirementKeys) {
    const controls: CoverageAnswerItem['controls'] = new Map();
    for (const [claim, claimCoverage] of snapshot.claims) {
      const [controlId, claimed] = splitClaim(claim);
      if (claimed !== requirement || !snapshot.records.has(controlId) || !counts(controlId)) continue;
      const evidence = new Map<string, boolean>();
      for (const rel of snapshot.relationships.values()) {
        if (rel.type !== 'SUPPORTS' || rel.toId !== controlId) continue;
        const expiresAt = snapshot.records.get(rel.fromId)!.fields.expiresAt as string | undefined;
        evidence.set(rel.fromId, expiresAt !== undefined && new Date(expiresAt).getTime() < at.getTime());
      }
      controls.set(controlId, { coverage: claimCoverage, evidence });
    }
    const satisfied = [...controls].some(
      ([controlId, claim]) => claim.coverage === 'FULL' && snapshot.records.get(controlId)!.fields.implementationStatus === 'IMPLEMENTED' && [...claim.evidence.values()].some((expired) => !expired),
    );
    const status: CoverageStatus = snapshot.notApplicable.has(requirement) ? 'NOT_APPLICABLE' : satisfied ? 'SATISFIED' : controls.size > 0 ? 'PARTIAL' : 'GAP';
    if (assetId === null || controls.size > 0) answer.set(requirement, { status, controls });
  }
  return answer;
}

export interface FieldDifference {
  field: string;
  before: unknown;
  after: unknown;
}

export interface SnapshotDifference {
  /** Records live at `to` and not at `from`, by id. */
  addedRecords: Set<string>;
  removedRecords: Set<string>;
  /** Records live at both whose compared fields differ: id → the fields, before and after. */
  changedRecords: Map<string, FieldDifference[]>;
  /** `fromId|TYPE|toId` */
  addedRelationships: Set<string>;
  removedRelationships: Set<string>;
  /** Relationships at both whose own properties differ. */
  changedRelationships: Map<string, FieldDifference[]>;
}

/**
 * The net difference between two snapshots: what `changes(from, to)` should list. A record deleted
 * and revived in between with the same fields did not change; a relationship removed and linked
 * again did not either.
 */
export function difference(from: Snapshot, to: Snapshot): SnapshotDifference {
  const result: SnapshotDifference = {
    addedRecords: new Set(),
    removedRecords: new Set(),
    changedRecords: new Map(),
    addedRelationships: new Set(),
    removedRelationships: new Set(),
    changedRelationships: new Map(),
  };
  for (const [id, after] of to.records) {
    const before = from.records.get(id);
    if (!before) {
      result.addedRecords.add(id);
      continue;
    }
    const changed = COMPARED_FIELDS[after.type]
      .filter((field) => !sameField(field, before.fields[field], after.fields[field]))
      .map((field) => ({ field, before: comparableValue(field, before.fields[field]), after: comparableValue(field, after.fields[field]) }));
    if (changed.length > 0) result.changedRecords.set(id, changed);
  }
  for (const id of from.records.keys()) if (!to.records.has(id)) result.removedRecords.add(id);
  for (const [key, after] of to.relationships) {
    const before = from.relationships.get(key);
    if (!before) {
      result.addedRelationships.add(key);
      continue;
    }
    const changed = propertyDifferences(before.properties, after.properties);
    if (changed.length > 0) result.changedRelationships.set(key, changed);
  }
  for (const key of from.relationships.keys()) if (!to.relationships.has(key)) result.removedRelationships.add(key);
  return result;
}

function propertyDifferences(before: Fields, after: Fields): FieldDifference[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => !sameField(field, before[field], after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

export interface ExpectedChanges {
  /** Records by id: their kind and, for CHANGED, the fields that differ; for ADDED and REMOVED, the fields they have. */
  records: Map<string, { kind: 'ADDED' | 'REMOVED' | 'CHANGED'; fields: FieldDifference[] }>;
  /** Relationships by `fromId|TYPE|toId`, with their own properties as `records` has fields. */
  relationships: Map<string, { kind: 'ADDED' | 'REMOVED' | 'CHANGED'; fields: FieldDifference[] }>;
}

/**
 * What `changes(from, to, source, types)` should list (schema/history.graphql): with `source`,
 * records of that source and relationships that start from one (which sources assert a
 * relationship is not history); with `types`, records of those types and relationships with an end
 * of one of them.
 */
export function expectedChanges(from: Snapshot, to: Snapshot, source: string | null, types: readonly EntityType[] | null): ExpectedChanges {
  const diff = difference(from, to);
  const recordAt = (id: string) => to.records.get(id) ?? from.records.get(id)!;
  const keepRecord = (id: string) => {
    const record = recordAt(id);
    return (source === null || record.source === source) && (types === null || types.includes(record.type));
  };
  const keepRelationship = (key: string) => {
    const rel = to.relationships.get(key) ?? from.relationships.get(key)!;
    const [start, end] = [recordAt(rel.fromId), recordAt(rel.toId)];
    return (source === null || start.source === source) && (types === null || types.includes(start.type) || types.includes(end.type));
  };
  const whole = (record: RecordState, side: 'before' | 'after') =>
    COMPARED_FIELDS[record.type]
      .filter((field) => comparableValue(field, record.fields[field]) !== null)
      .map((field) => ({ field, before: side === 'before' ? comparableValue(field, record.fields[field]) : null, after: side === 'after' ? comparableValue(field, record.fields[field]) : null }));
  const records: ExpectedChanges['records'] = new Map();
  for (const id of diff.addedRecords) if (keepRecord(id)) records.set(id, { kind: 'ADDED', fields: whole(to.records.get(id)!, 'after') });
  for (const id of diff.removedRecords) if (keepRecord(id)) records.set(id, { kind: 'REMOVED', fields: whole(from.records.get(id)!, 'before') });
  for (const [id, fields] of diff.changedRecords) if (keepRecord(id)) records.set(id, { kind: 'CHANGED', fields });
  const relationships: ExpectedChanges['relationships'] = new Map();
  for (const key of diff.addedRelationships) if (keepRelationship(key)) relationships.set(key, { kind: 'ADDED', fields: propertyDifferences({}, to.relationships.get(key)!.properties) });
  for (const key of diff.removedRelationships) if (keepRelationship(key)) relationships.set(key, { kind: 'REMOVED', fields: propertyDifferences(from.relationships.get(key)!.properties, {}) });
  for (const [key, fields] of diff.changedRelationships) if (keepRelationship(key)) relationships.set(key, { kind: 'CHANGED', fields });
  return { records, relationships };
}

/** A run of consecutive snapshots (by index in the list given) during which a record depended on the root. */
export interface DependenceRun {
  first: number;
  last: number;
  /** Its least distance during the run. */
  distance: number;
}

/**
 * impactDuring over the instants of `snapshots` (consecutive steps): the graph is each snapshot
 * from its step's write until the next step's, so a record depended on the root at some moment
 * of the window exactly when some snapshot reaches it, and each run of snapshots that reach it is
 * one stretch without a break (a record not live at a snapshot reaches nothing then).
 */
export function windowImpact(snapshots: Snapshot[], rootId: string, maxDepth: number): Map<string, DependenceRun[]> {
  const runs = new Map<string, DependenceRun[]>();
  snapshots.forEach((snapshot, index) => {
    if (!snapshot.records.has(rootId)) return;
    for (const [id, distance] of reach(snapshot, rootId, true, maxDepth)) {
      const list = runs.get(id) ?? [];
      const last = list.at(-1);
      if (last && last.last === index - 1) {
        last.last = index;
        last.distance = Math.min(last.distance, distance);
      } else list.push({ first: index, last: index, distance });
      runs.set(id, list);
    }
  });
  return runs;
}
