import { INPUT_LIMITS } from '../../inputLimits';
import { isObject, text, unread } from '../read';
import type { Conversion, FormatConverter } from '../model';
import { PayloadBuilder, RecordRef } from '../payloadBuilder';
import { pointer } from '../pointer';
import { Element, Endpoint, isSpdx3, refId, SpdxGraph } from './graph';
import { Licences, readPackage } from './packages';
import { AGENT_TYPES, ELEMENT_KEYS, LEFT_OUT, LICENCE_RELATIONSHIPS, LISTED_LICENCE, MEMBERSHIP_RELATIONSHIPS, RECORD_TYPES, RELATIONSHIP_TYPES, RELATIONSHIPS } from './vocabulary';

/**
 * SPDX 3.0.x JSON-LD as a sync payload: each ai_AIPackage an AIModel and each
 * dataset_DatasetPackage a Dataset, keyed by spdxId; their suppliers vendors; the relationships
 * between them (or between files they contain) lineage; a model's licence relationships its
 * licences. Every element of @graph is mapped or skipped with a warning at its pointer.
 */
export const spdx3: FormatConverter = {
  detect: isSpdx3,
  convert: (document) => new Spdx3Reader(document).read(),
};

const RELATIONSHIP_KEYS = [...ELEMENT_KEYS, 'relationshipType', 'from', 'to', 'scope'];
const AGENT_KEYS = [...ELEMENT_KEYS, 'name', 'description'];
const LICENCE_KEYS = [...ELEMENT_KEYS, 'name', 'simplelicensing_licenseExpression'];
/** Declared licences come first in a model's list. */
const LICENCE_ORDER = ['hasDeclaredLicense', 'hasConcludedLicense'];

const relationshipType = (element: Element) => (RELATIONSHIP_TYPES.has(element.type) ? text(element.node.relationshipType) : undefined);

class Spdx3Reader {
  private readonly builder = new PayloadBuilder();
  private readonly graph: SpdxGraph;
  /** Each model's and dataset's record, by spdxId. */
  private readonly records = new Map<string, RecordRef>();
  private readonly mapped = new Set<Element>();
  /** Why an element that maps to nothing was left out, where its type alone does not say. */
  private readonly leftOut = new Map<Element, string>();

  constructor(document: unknown) {
    this.graph = new SpdxGraph(document, this.builder);
  }

  read(): Conversion {
    const { elements } = this.graph;
    // An element whose spdxId an earlier one holds is a problem already; only the first is a record.
    const packages = elements.filter((element) => RECORD_TYPES.has(element.type) && (element.id === undefined || this.graph.get(element.id) === element));
    for (const element of packages) {
      if (element.id === undefined) this.builder.problem(pointer(element.pointer, 'spdxId'), `required: ${element.type} is keyed by its spdxId`);
      else this.records.set(element.id, { type: RECORD_TYPES.get(element.type)!, externalId: element.id });
    }
    const licences = this.licences();
    for (const element of packages) {
      const record = this.records.get(element.id ?? '');
      if (record) this.package(element, record, licences.get(record.externalId));
    }
    for (const element of elements) {
      const kind = relationshipType(element);
      if (RELATIONSHIP_TYPES.has(element.type) && !(kind && LICENCE_RELATIONSHIPS.has(kind))) this.relationship(element, kind);
    }
    this.account();
    return this.builder.build();
  }

  private package(element: Element, record: RecordRef, licences: Licences | undefined): void {
    const fields = readPackage(element, record.type, licences, this.builder);
    this.builder.addRecord(record.type, { ...fields.values, externalId: record.externalId, name: String(fields.values.name) }, { pointer: element.pointer, fields: fields.pointers });
    this.mapped.add(element);
    if (element.node.suppliedBy !== undefined) this.supplier(element.node.suppliedBy, pointer(element.pointer, 'suppliedBy'), record);
  }

  /** A supplier, named by its spdxId or given inline, as a Vendor that PROVIDES the record. */
  private supplier(value: unknown, at: string, record: RecordRef): void {
    const id = refId(value);
    const agent = isObject(value) ? undefined : this.graph.get(id);
    const node = isObject(value) ? value : agent?.node;
    if (!node) {
      this.builder.warn(at, id === undefined ? 'a supplier must be an agent or its spdxId; not kept' : `no element of this document has the spdxId "${id}"; the supplier is not kept`);
      return;
    }
    const type = text(node.type) ?? 'element without a type';
    const name = text(node.name);
    if (!AGENT_TYPES.has(type) || !name) {
      this.builder.warn(at, AGENT_TYPES.has(type) ? 'a supplier without a name is not kept' : `a supplier must be an Organization, Person or other agent, not a ${type}; not kept`);
      return;
    }
    const externalId = id ?? `vendor:${name}`;
    const origin = agent?.pointer ?? at;
    const description = text(node.description);
    this.builder.addRecord('Vendor', { externalId, name, ...(description ? { description } : {}) }, {
      pointer: origin,
      fields: { name: pointer(origin, 'name'), description: pointer(origin, 'description'), externalId: pointer(origin, 'spdxId') },
    });
    this.builder.link('PROVIDED_BY', record, { type: 'Vendor', externalId }, at, { roles: ['supplier'] });
    if (agent && this.mapped.has(agent)) return;
    if (agent) this.mapped.add(agent);
    unread(node, origin, AGENT_KEYS, this.builder);
  }

  /** Each model's licences, from the hasDeclaredLicense and hasConcludedLicense relationships that start at it. */
  private licences(): Map<string, Licences> {
    const found = new Map<string, Licences>();
    for (const kind of LICENCE_ORDER) {
      for (const element of this.graph.elements.filter((candidate) => relationshipType(candidate) === kind)) {
        const { node, pointer: at } = element;
        const model = this.records.get(refId(node.from) ?? '');
        if (model?.type !== 'AIModel') {
          this.leftOut.set(element, model ? "a dataset's licence has no place in the graph" : 'the graph keeps the licences of models only');
          continue;
        }
        const licences = found.get(model.externalId) ?? { values: [], pointer: pointer(at, 'to') };
        const targets = Array.isArray(node.to) ? node.to : [];
        targets.forEach((target, index) => {
          const where = pointer(at, 'to', index);
          const { licence, element: licenceElement } = this.licence(target);
          if (licence === undefined) this.builder.warn(where, 'not a licence this importer reads (a listed licence, a licence expression, a named custom licence); not kept');
          else if (licence.length > INPUT_LIMITS.name) this.builder.warn(where, `not kept: longer than ${INPUT_LIMITS.name} characters, the most a licence holds`);
          else {
            if (!licences.values.includes(licence)) licences.values.push(licence);
            if (licenceElement && !this.mapped.has(licenceElement)) {
              this.mapped.add(licenceElement);
              unread(licenceElement.node, licenceElement.pointer, LICENCE_KEYS, this.builder);
            }
          }
        });
        if (licences.values.length === 0) {
          this.leftOut.set(element, 'names no licence this importer reads');
          continue;
        }
        found.set(model.externalId, licences);
        this.mapped.add(element);
        unread(node, at, RELATIONSHIP_KEYS, this.builder);
      }
    }
    return found;
  }

  private licence(target: unknown): { licence?: string; element?: Element } {
    const id = refId(target);
    const element = isObject(target) ? undefined : this.graph.get(id);
    const node = isObject(target) ? target : element?.node;
    const listed = id === undefined ? undefined : LISTED_LICENCE.exec(id)?.[1];
    if (!node) return { licence: listed };
    const type = text(node.type);
    if (type === 'simplelicensing_LicenseExpression') return { licence: text(node.simplelicensing_licenseExpression), element };
    if (type === 'expandedlicensing_ListedLicense') return { licence: listed ?? text(node.name), element };
    if (type === 'expandedlicensing_CustomLicense') return { licence: text(node.name), element };
    return {};
  }

  /** A relationship's every `to`, each linked or warned about; one that links none is left out whole. */
  private relationship(element: Element, kind: string | undefined): void {
    const { node, pointer: at } = element;
    const targets = Array.isArray(node.to) ? node.to : [];
    if (!kind || node.from === undefined || targets.length === 0) {
      this.leftOut.set(element, 'a relationship needs a relationshipType, a from and a non-empty to list');
      return;
    }
    const from = this.graph.endpoint(refId(node.from), this.records);
    const scope = text(node.scope);
    const reasons = targets.map((target, index) => this.link(kind, from, this.graph.endpoint(refId(target), this.records), pointer(at, 'to', index), scope));
    if (reasons.every((reason) => reason !== undefined)) {
      const why = MEMBERSHIP_RELATIONSHIPS.has(kind) ? "the graph holds models and datasets, not their parts; read so that their parts' relationships count for them" : [...new Set(reasons)].join('; ');
      this.leftOut.set(element, why);
      return;
    }
    this.mapped.add(element);
    reasons.forEach((reason, index) => reason !== undefined && this.builder.warn(pointer(at, 'to', index), `${reason}; not kept`));
    unread(node, at, RELATIONSHIP_KEYS, this.builder);
  }

  /** Links one pair as the graph's relationship for `kind`, or says why there is none. */
  private link(kind: string, from: Endpoint, to: Endpoint, at: string, scope: string | undefined): string | undefined {
    const mappings = RELATIONSHIPS.get(kind);
    if (!mappings) return `SPDX's ${kind} has no counterpart in the graph`;
    if ('reason' in from) return `its from end: ${from.reason}`;
    if ('reason' in to) return to.reason;
    if (from.record === to.record) return `both ends are ${from.record.externalId}: no relationship from a record to itself`;
    const mapping = mappings[`${from.record.type}>${to.record.type}`];
    if (!mapping) return `${kind} from ${from.record.type} to ${to.record.type} has no counterpart in the graph`;
    const [start, end] = mapping.reversed ? [to.record, from.record] : [from.record, to.record];
    this.builder.link(mapping.type, start, end, at, scope ? { lifecycleScopes: [scope] } : undefined);
    return undefined;
  }

  /** Every element not mapped is skipped with why, so that considered = mapped + skipped. */
  private account(): void {
    for (const [element, earlier] of this.graph.repeats) this.builder.skip(element.pointer, `repeats ${earlier}, the same element`);
    for (const element of this.graph.elements) {
      if (this.mapped.has(element) || RECORD_TYPES.has(element.type)) continue;
      this.builder.skip(element.pointer, this.leftOut.get(element) ?? leftOutByType(element.type));
    }
    this.builder.conversion.mapped = this.mapped.size;
  }
}

function leftOutByType(type: string): string {
  if (AGENT_TYPES.has(type)) return 'supplies no model or dataset of this document; the graph keeps suppliers only, as vendors';
  if (/^(simplelicensing|expandedlicensing)_/.test(type)) return 'not the licence of a model of this document';
  return LEFT_OUT.get(type) ?? `a ${type} has no place in the graph (it holds models, datasets and their suppliers)`;
}
