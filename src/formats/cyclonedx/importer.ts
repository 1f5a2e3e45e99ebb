import { badUserInput } from '../../errors';
import type { EntityType, RelationshipType } from '../../estate/model';
import type { Conversion, FormatConverter } from '../model';
import { PayloadBuilder, RecordRef } from '../payloadBuilder';
import { pointer } from '../pointer';
import { Fields, readComponentData, readModelCard } from './modelCard';
import { Parties } from './parties';
import { isObject, text, textList, unread } from '../read';
import { DatasetUsage, ML_SPEC_VERSIONS, PROPERTY_PREFIX, RECORD_TYPE_PROPERTY, SPEC_VERSIONS } from './vocabulary';

/** A component or service of the document, found in a first pass so that references resolve in any order. */
interface Element {
  pointer: string;
  node: Record<string, unknown>;
  kind: 'component' | 'service';
  ref?: string;
  /** Its record, once it is known to map to one. */
  record?: RecordRef;
  /** For a model: how its card says it used each dataset, by bom-ref. */
  usage?: Map<string, DatasetUsage[]>;
}

// A Map, not an object: a component type such as "constructor" must not find Object.prototype's members.
const RECORD_TYPES = new Map<string, EntityType>([['machine-learning-model', 'AIModel'], ['data', 'Dataset'], ['application', 'Agent']]);

/** Which relationship a dependency between two records is, by their types (`from` depends on `to`). */
const DEPENDENCY_TYPES: Partial<Record<`${EntityType}>${EntityType}`, RelationshipType>> = {
  'AIModel>AIModel': 'BASED_ON',
  'AIModel>Dataset': 'TRAINED_ON',
  'Dataset>Dataset': 'DERIVED_FROM',
  'Agent>AIModel': 'USES_MODEL',
  'Agent>Dataset': 'RETRIEVES_FROM',
  'Agent>Agent': 'CAN_INVOKE',
};

const COMMON_KEYS = ['type', 'bom-ref', 'name', 'group', 'description', 'tags', 'properties', 'components', 'supplier', 'manufacturer', 'publisher'];
const KEYS_READ: Partial<Record<EntityType, readonly string[]>> = {
  AIModel: [...COMMON_KEYS, 'version', 'purl', 'hashes', 'licenses', 'modelCard'],
  Dataset: [...COMMON_KEYS, 'data'],
  Agent: COMMON_KEYS,
};

export const cycloneDx: FormatConverter = {
  detect: (document) => isObject(document) && document.bomFormat === 'CycloneDX',
  convert: (document) => new BomReader(document).read(),
};

class BomReader {
  private readonly builder = new PayloadBuilder();
  private readonly parties = new Parties(this.builder);
  private readonly elements: Element[] = [];
  private readonly byRef = new Map<string, Element>();

  constructor(private readonly bom: unknown) {}

  read(): Conversion {
    const bom = this.checkDocument();
    if (isObject(bom.metadata) && bom.metadata.component !== undefined) this.collect(bom.metadata.component, '/metadata/component', 'component');
    this.collectList(bom.components, '/components', 'component');
    this.collectList(bom.services, '/services', 'service');
    const dependencies = Array.isArray(bom.dependencies) ? bom.dependencies : [];
    this.decideTypes(dependencies);
    for (const element of this.elements) this.map(element);
    dependencies.forEach((entry, index) => this.dependency(entry, pointer('/dependencies', index)));
    unread(bom, '', ['$schema', 'bomFormat', 'specVersion', 'serialNumber', 'version', 'metadata', 'components', 'services', 'dependencies'], this.builder);
    return this.builder.build();
  }

  /** What makes the document unreadable as a whole fails at once, named by its pointer. */
  private checkDocument(): Record<string, unknown> {
    const bom = this.bom;
    if (!isObject(bom)) throw badUserInput('The document must be a JSON object', [{ path: '', message: 'must be a JSON object' }]);
    if (bom.bomFormat !== 'CycloneDX') throw badUserInput('Not a CycloneDX document: bomFormat must be "CycloneDX"', [{ path: '/bomFormat', message: 'must be "CycloneDX"' }]);
    const version = bom.specVersion;
    if (typeof version !== 'string' || !(SPEC_VERSIONS as readonly string[]).includes(version)) {
      const message = `specVersion ${JSON.stringify(version ?? null)} is not one this importer reads (${SPEC_VERSIONS.join(', ')})`;
      throw badUserInput(message, [{ path: '/specVersion', message }]);
    }
    if (!ML_SPEC_VERSIONS.includes(version)) this.builder.warn('/specVersion', `CycloneDX ${version} predates ML-BOMs (1.5); it is read as 1.5 reads it`);
    for (const list of ['components', 'services', 'dependencies']) {
      if (bom[list] !== undefined && !Array.isArray(bom[list])) throw badUserInput(`${list} must be an array`, [{ path: `/${list}`, message: 'must be an array' }]);
    }
    return bom;
  }

  private collectList(list: unknown, at: string, kind: Element['kind']): void {
    if (Array.isArray(list)) list.forEach((node, index) => this.collect(node, pointer(at, index), kind));
  }

  private collect(node: unknown, at: string, kind: Element['kind']): void {
    this.builder.conversion.considered += 1;
    if (!isObject(node)) {
      this.builder.problem(at, `a ${kind} must be an object`);
      return;
    }
    const element: Element = { pointer: at, node, kind, ref: text(node['bom-ref']) };
    if (element.ref !== undefined) {
      const earlier = this.byRef.get(element.ref);
      if (earlier) this.builder.problem(pointer(at, 'bom-ref'), `"${element.ref}" is also the bom-ref of ${earlier.pointer}`);
      else this.byRef.set(element.ref, element);
    }
    this.elements.push(element);
    for (const role of ['supplier', 'manufacturer']) this.parties.learn(node[role], 'vendor');
    for (const entry of [...(Array.isArray(node.data) ? node.data : []), ...modelCardDatasets(node)]) {
      if (!isObject(entry) || !isObject(entry.governance)) continue;
      for (const party of Object.values(entry.governance).flat()) {
        if (isObject(party)) this.parties.learn(party.organization ?? party.contact, 'owner');
      }
    }
    this.collectList(node.components, pointer(at, 'components'), 'component');
    this.collectList(node.services, pointer(at, 'services'), 'service');
  }

  /**
   * Models and data map by their type. An application is an Agent when it uses a model (names one
   * among its dependencies) or says it is one (RECORD_TYPE_PROPERTY, as the AI-BOM export writes).
   */
  private decideTypes(dependencies: unknown[]): void {
    const usesModel = new Set<string>();
    for (const entry of dependencies) {
      if (!isObject(entry) || !Array.isArray(entry.dependsOn)) continue;
      if (entry.dependsOn.some((ref) => this.byRef.get(String(ref))?.node.type === 'machine-learning-model')) usesModel.add(String(entry.ref));
    }
    for (const element of this.elements) {
      const { node, kind } = element;
      const type = kind === 'component' ? RECORD_TYPES.get(String(node.type)) : undefined;
      const declared = Array.isArray(node.properties) && node.properties.some((p) => isObject(p) && p.name === RECORD_TYPE_PROPERTY && p.value === 'Agent');
      if (type === 'Agent' && !declared && !(element.ref && usesModel.has(element.ref))) continue;
      const name = text(node.name);
      if (!type || !name) continue;
      element.record = { type, externalId: element.ref ?? text(node.purl) ?? `${String(node.type)}:${name}${text(node.version) ? `@${text(node.version)}` : ''}` };
    }
  }

  private map(element: Element): void {
    const { node, pointer: at, record } = element;
    if (!record) {
      if (!isObject(node)) return;
      const reason =
        element.kind === 'service' ? 'a service has no place in the graph (it holds models, datasets, vendors and agents)'
        : !text(node.name) ? 'a component without a name cannot be a record'
        : node.type === 'application' ? 'an application that uses no model of this document is not an Agent'
        : `a ${String(node.type)} component has no place in the graph (it holds models, datasets, vendors and agents)`;
      if (!text(node.name) && RECORD_TYPES.get(String(node.type))) this.builder.problem(pointer(at, 'name'), 'required: a component must have a name');
      else this.builder.skip(at, reason);
      return;
    }
    const fields: Fields = { values: {}, pointers: { externalId: pointer(at, element.ref ? 'bom-ref' : 'name') } };
    const put = (field: string, value: unknown, where: string) => {
      if (value === undefined) return;
      fields.values[field] = value;
      fields.pointers[field] = where;
    };
    const group = text(node.group);
    put('name', group ? `${group}/${text(node.name)}` : text(node.name), pointer(at, 'name'));
    put('description', text(node.description), pointer(at, 'description'));
    put('tags', textList(node.tags, pointer(at, 'tags'), this.builder), pointer(at, 'tags'));
    let card: ReturnType<typeof readModelCard> | undefined;
    if (record.type === 'AIModel') {
      put('modelVersion', text(node.version), pointer(at, 'version'));
      put('purl', text(node.purl), pointer(at, 'purl'));
      put('hashes', textList(node.hashes, pointer(at, 'hashes'), this.builder, (hash) => (isObject(hash) && text(hash.alg) && text(hash.content) ? `${text(hash.alg)}:${text(hash.content)}` : undefined)), pointer(at, 'hashes'));
      put('licenses', textList(node.licenses, pointer(at, 'licenses'), this.builder, licence), pointer(at, 'licenses'));
      if (node.modelCard !== undefined) {
        card = readModelCard(node.modelCard, pointer(at, 'modelCard'), this.builder);
        element.usage = card.usage;
        Object.assign(fields.values, card.values);
        Object.assign(fields.pointers, card.pointers);
      }
    }
    if (record.type === 'Dataset' && Array.isArray(node.data)) {
      const entries = node.data.flatMap((entry, index) => (isObject(entry) ? [{ entry, pointer: pointer(at, 'data', index) }] : []));
      const data = readComponentData(entries, this.builder, this.parties, record);
      Object.assign(fields.values, data.values);
      Object.assign(fields.pointers, data.pointers);
    }
    this.properties(node.properties, pointer(at, 'properties'), fields);
    this.builder.addRecord(record.type, { ...fields.values, externalId: record.externalId, name: String(fields.values.name) }, { pointer: at, fields: fields.pointers });
    this.builder.conversion.mapped += 1;
    this.parties.providers(node, at, record);
    if (card) this.modelDatasets(card, record);
    unread(node, at, KEYS_READ[record.type] ?? COMMON_KEYS, this.builder);
  }

  /** `lineage-graph:<field>` properties carry record fields as their JSON; the sync checks them as it checks any field. */
  private properties(properties: unknown, at: string, fields: Fields): void {
    if (!Array.isArray(properties)) return;
    properties.forEach((property, index) => {
      const where = pointer(at, index);
      const name = isObject(property) ? String(property.name ?? '') : '';
      if (name === RECORD_TYPE_PROPERTY) return;
      if (!name.startsWith(PROPERTY_PREFIX) || !isObject(property)) {
        this.builder.warn(where, 'not kept: the graph has no place for this property');
        return;
      }
      const field = name.slice(PROPERTY_PREFIX.length);
      let value: unknown;
      try {
        value = JSON.parse(String(property.value));
      } catch {
        this.builder.problem(pointer(where, 'value'), `the value of ${name} must be the field's value as JSON`);
        return;
      }
      if (field in fields.values) this.builder.warn(where, `not kept: ${field} is already given by the component itself`);
      else {
        fields.values[field] = value;
        fields.pointers[field] = pointer(where, 'value');
      }
    });
  }

  /** Datasets named by a model card, inline (each a Dataset of its own) or by reference. */
  private modelDatasets(card: ReturnType<typeof readModelCard>, model: RecordRef): void {
    card.datasets.forEach(({ entry, pointer: at }, index) => {
      const ref = isObject(entry) ? text(entry.ref) : undefined;
      if (ref !== undefined) {
        const target = this.byRef.get(ref)?.record;
        if (target?.type === 'Dataset') this.useDataset(model, target, card.usage.get(ref), at);
        else this.builder.warn(at, `"${ref}" is not a dataset of this document; the reference is not kept`);
        return;
      }
      this.builder.conversion.considered += 1;
      if (!isObject(entry)) {
        this.builder.problem(at, 'a dataset must be an object');
        return;
      }
      const own = text(entry['bom-ref']);
      const dataset: RecordRef = { type: 'Dataset', externalId: own ?? `${model.externalId}#dataset-${text(entry.name) ?? index}` };
      const data = readComponentData([{ entry, pointer: at }], this.builder, this.parties, dataset);
      const name = text(entry.name) ?? `${model.externalId} dataset ${index + 1}`;
      const description = text(entry.description);
      this.builder.addRecord('Dataset', { externalId: dataset.externalId, name, ...(description ? { description } : {}), ...data.values }, {
        pointer: at,
        fields: { ...data.pointers, name: pointer(at, 'name'), description: pointer(at, 'description'), externalId: pointer(at, own ? 'bom-ref' : 'name') },
      });
      this.builder.conversion.mapped += 1;
      this.useDataset(model, dataset, own ? card.usage.get(own) : undefined, at);
    });
  }

  private useDataset(model: RecordRef, dataset: RecordRef, usage: DatasetUsage[] | undefined, at: string): void {
    for (const type of usage ?? ['TRAINED_ON']) this.builder.link(type, model, dataset, at);
  }

  private dependency(entry: unknown, at: string): void {
    if (!isObject(entry) || !Array.isArray(entry.dependsOn)) {
      if (!isObject(entry) || entry.dependsOn !== undefined) this.builder.warn(at, 'a dependency must be an object with a dependsOn array; not kept');
      return;
    }
    const from = this.byRef.get(String(entry.ref));
    entry.dependsOn.forEach((ref, index) => {
      const where = pointer(at, 'dependsOn', index);
      const to = this.byRef.get(String(ref));
      if (!from || !to) {
        this.builder.warn(where, `no component or service of this document has the bom-ref ${JSON.stringify(from ? ref : entry.ref)}; not kept`);
        return;
      }
      const type = from.record && to.record ? DEPENDENCY_TYPES[`${from.record.type}>${to.record.type}`] : undefined;
      if (!type) {
        this.builder.warn(where, `${from.pointer} depends on ${to.pointer}: no relationship of the graph joins what they map to; not kept`);
        return;
      }
      // A model→dataset dependency is what the model card says it is, when it says.
      const usage = type === 'TRAINED_ON' && to.ref ? from.usage?.get(to.ref) : undefined;
      if (usage) this.useDataset(from.record!, to.record!, usage, where);
      else this.builder.link(type, from.record!, to.record!, where);
    });
  }
}

function modelCardDatasets(node: Record<string, unknown>): unknown[] {
  const card = node.modelCard;
  return isObject(card) && isObject(card.modelParameters) && Array.isArray(card.modelParameters.datasets) ? card.modelParameters.datasets : [];
}

/** A licence choice as one text: its SPDX id, its name, or an SPDX expression. */
function licence(choice: unknown): string | undefined {
  if (!isObject(choice)) return undefined;
  if (isObject(choice.license)) return text(choice.license.id) ?? text(choice.license.name);
  return text(choice.expression);
}
