import { randomUUID } from 'node:crypto';
import type { EntityRow, RelationshipType } from '../../estate/model';
import { relationshipOwnProperties, SYSTEM_FIELDS } from '../../estate/model';
import { CONSIDERATION_LISTS, ETHICAL_KEYS, FAIRNESS_KEYS } from './modelCard';
import { APPROACHES, DatasetUsage, EXPORT_SPEC_VERSION, GOVERNANCE_ROLES, HASH_ALGORITHMS, HASH_CONTENT, PROPERTY_PREFIX, RECORD_TYPE_PROPERTY, USAGE_PROPERTIES } from './vocabulary';

export interface ExportRelationship {
  fromId: string;
  type: RelationshipType;
  toId: string;
  properties: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const COMPONENT_TYPES = { AIModel: 'machine-learning-model', Dataset: 'data', Agent: 'application' } as const;
/** The lineage a component's `dependencies` entry lists: what it is built from, trained on, uses. */
const DEPENDENCY_TYPES: ReadonlySet<RelationshipType> = new Set(['BASED_ON', 'TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON', 'DERIVED_FROM', 'USES_MODEL', 'RETRIEVES_FROM', 'CAN_INVOKE']);
const DATASET_USES: ReadonlySet<RelationshipType> = new Set(['TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON']);
const APPROACH_NAMES = Object.fromEntries(Object.entries(APPROACHES).map(([name, approach]) => [approach, name]));
/** Fields the component itself carries; every other field of the record travels as a property. */
const CARRIED = {
  AIModel: ['name', 'description', 'tags', 'modelVersion', 'purl', 'hashes', 'licenses', 'task', 'architectureFamily', 'modelArchitecture', 'learningApproach', 'performanceMetrics', 'ethicalConsiderations', 'fairnessAssessments', ...Object.values(CONSIDERATION_LISTS)],
  Dataset: ['name', 'description', 'tags', 'classification', 'location'],
  Agent: ['name', 'description', 'tags'],
} as const;

const present = (value: unknown) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
/** The object without its absent, null and empty members: documents omit what they do not say. */
export const compact = (object: Json): Json => Object.fromEntries(Object.entries(object).filter(([, value]) => present(value) && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value as Json).length === 0)));
const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
const parsed = (items: unknown): Json[] => list(items).map((item) => JSON.parse(item) as Json);
const pick = (item: Json, keys: readonly string[]) => compact(Object.fromEntries(keys.map((key) => [key, item[key]])));

/**
 * The estate (or one record's dependency closure) as a CycloneDX 1.6 ML-BOM: models, datasets and
 * agents as components, vendors as their suppliers, datasets' owners as their governance, model
 * cards from what the graph holds, and `dependencies` from lineage. Pure: the records and the
 * relationships among them in, the document out. Importing it gives back the same records and
 * relationships (the importer reads what this writes: vocabulary.ts).
 */
export function buildAiBom(records: EntityRow[], relationships: ExportRelationship[], now = new Date()): Json {
  const byId = new Map(records.map((record) => [record.id, record]));
  const components = records.filter((record) => record.type in COMPONENT_TYPES).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const refs = bomRefs(records);
  const outgoing = new Map<string, ExportRelationship[]>();
  for (const rel of relationships) {
    if (byId.has(rel.toId)) outgoing.set(rel.fromId, [...(outgoing.get(rel.fromId) ?? []), rel]);
  }
  // An organisation's bom-ref is written where it is first named; later mentions give its name, which the importer resolves.
  const named = new Set<string>();
  const party = (record: EntityRow, extra: Json = {}): Json => {
    const first = !named.has(record.id);
    named.add(record.id);
    return compact({ ...(first ? { 'bom-ref': refs.get(record.id) } : {}), name: record.name, ...extra });
  };
  const targets = (record: EntityRow, type: RelationshipType) => (outgoing.get(record.id) ?? []).filter((rel) => rel.type === type).map((rel) => ({ rel, to: byId.get(rel.toId)! }));

  const component = (record: EntityRow): Json => {
    const type = record.type as keyof typeof COMPONENT_TYPES;
    const vendors = targets(record, 'PROVIDED_BY');
    const withRole = (role: string) => vendors.filter(({ rel }) => list(relationshipOwnProperties(rel.properties).roles).includes(role));
    const supplier = withRole('supplier')[0] ?? vendors.find(({ rel }) => list(rel.properties.roles).length === 0);
    const manufacturer = withRole('manufacturer')[0];
    const publisher = withRole('publisher')[0];
    // Personal data is declared in CycloneDX only where there is some; a declared absence is a property.
    const carried = new Set<string>([...CARRIED[type], ...(record.containsPersonalData === true ? ['containsPersonalData'] : [])]);
    const properties = Object.entries(record)
      .filter(([field, value]) => !SYSTEM_FIELDS.has(field) && !carried.has(field) && present(value))
      .map(([field, value]) => ({ name: `${PROPERTY_PREFIX}${field}`, value: JSON.stringify(value) }));
    return compact({
      type: COMPONENT_TYPES[type],
      'bom-ref': refs.get(record.id),
      supplier: supplier && party(supplier.to),
      manufacturer: manufacturer && party(manufacturer.to),
      publisher: publisher?.to.name,
      name: record.name,
      version: record.modelVersion,
      description: record.description,
      hashes: list(record.hashes).flatMap(hash),
      licenses: list(record.licenses).map((name) => ({ license: { name } })),
      purl: record.purl,
      modelCard: type === 'AIModel' ? modelCard(record, targets, refs) : undefined,
      data: type === 'Dataset' ? [dataEntry(record, targets(record, 'OWNED_BY'), party)] : undefined,
      tags: record.tags,
      properties: [...(type === 'Agent' ? [{ name: RECORD_TYPE_PROPERTY, value: 'Agent' }] : []), ...properties],
    });
  };

  const written = components.map(component);
  const exported = new Set(components.map((record) => record.id));
  const dependencies = components.map((record) => ({
    ref: refs.get(record.id),
    dependsOn: [...new Set((outgoing.get(record.id) ?? []).filter((rel) => DEPENDENCY_TYPES.has(rel.type) && exported.has(rel.toId)).map((rel) => refs.get(rel.toId)!))].sort(),
  }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: EXPORT_SPEC_VERSION,
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: { timestamp: now.toISOString(), tools: { components: [{ type: 'application', name: 'lineage-graph' }] } },
    components: written,
    dependencies,
  };
}

/** Each record's bom-ref: its externalId, unless two exported records share one (then qualified by type and source). */
function bomRefs(records: EntityRow[]): Map<string, string> {
  const uses = new Map<string, number>();
  for (const record of records) uses.set(record.externalId, (uses.get(record.externalId) ?? 0) + 1);
  return new Map(records.map((record) => [record.id, uses.get(record.externalId)! > 1 ? `${record.type}:${record.source}:${record.externalId}` : record.externalId]));
}

function hash(value: string): Json[] {
  const at = value.indexOf(':');
  const [alg, content] = [value.slice(0, at), value.slice(at + 1)];
  // A digest the schema would refuse (an unknown algorithm) cannot be written; the record keeps it.
  return HASH_ALGORITHMS.includes(alg) && HASH_CONTENT.test(content) ? [{ alg, content }] : [];
}

type Targets = (record: EntityRow, type: RelationshipType) => Array<{ rel: ExportRelationship; to: EntityRow }>;

function modelCard(record: EntityRow, targets: Targets, refs: Map<string, string>): Json {
  const uses = [...DATASET_USES].flatMap((type) => targets(record, type).map(({ to }) => ({ usage: type as DatasetUsage, ref: refs.get(to.id)! })));
  const considerations: Json = Object.fromEntries(Object.entries(CONSIDERATION_LISTS).map(([name, field]) => [name, record[field]]));
  return compact({
    modelParameters: compact({
      approach: typeof record.learningApproach === 'string' ? { type: APPROACH_NAMES[record.learningApproach] } : undefined,
      task: record.task,
      architectureFamily: record.architectureFamily,
      modelArchitecture: record.modelArchitecture,
      datasets: [...new Set(uses.map((use) => use.ref))].sort().map((ref) => ({ ref })),
    }),
    quantitativeAnalysis: compact({
      performanceMetrics: parsed(record.performanceMetrics).map((metric) =>
        compact({ ...pick(metric, ['type', 'value', 'slice']), confidenceInterval: pick(metric, ['lowerBound', 'upperBound']) }),
      ),
    }),
    considerations: compact({
      ...considerations,
      ethicalConsiderations: parsed(record.ethicalConsiderations).map((item) => pick(item, ETHICAL_KEYS)),
      fairnessAssessments: parsed(record.fairnessAssessments).map((item) => pick(item, FAIRNESS_KEYS)),
    }),
    properties: uses.map((use) => ({ name: USAGE_PROPERTIES[use.usage], value: use.ref })),
  });
}

function dataEntry(record: EntityRow, owners: ReturnType<Targets>, party: (record: EntityRow, extra?: Json) => Json): Json {
  const governance: Json = {};
  for (const [list, role] of Object.entries(GOVERNANCE_ROLES)) {
    const parties = owners.filter(({ rel }) => {
      const roles = Array.isArray(rel.properties.roles) ? (rel.properties.roles as string[]) : [];
      return roles.includes(role) || (roles.length === 0 && role === 'owner');
    });
    governance[list] = parties.map(({ to }) => (to.kind === 'PERSON' ? { contact: party(to, { email: to.email }) } : { organization: party(to) }));
  }
  return compact({
    type: 'dataset',
    name: record.name,
    contents: typeof record.location === 'string' ? { url: record.location } : undefined,
    classification: typeof record.classification === 'string' ? record.classification.toLowerCase() : undefined,
    sensitiveData: record.containsPersonalData === true ? ['personal data'] : undefined,
    governance: compact(governance),
  });
}
