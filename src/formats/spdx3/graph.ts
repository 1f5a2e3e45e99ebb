import { badUserInput } from '../../errors';
import { isObject, text } from '../read';
import type { PayloadBuilder, RecordRef } from '../payloadBuilder';
import { pointer } from '../pointer';
import { MEMBERSHIP_RELATIONSHIPS, RELATIONSHIP_TYPES, SPDX3_CONTEXT } from './vocabulary';

/** One node of the document's @graph. */
export interface Element {
  pointer: string;
  node: Record<string, unknown>;
  type: string;
  id?: string;
}

/** Where a relationship's end lands: a record, or why none. */
export type Endpoint = { record: RecordRef } | { reason: string };

const contexts = (document: Record<string, unknown>) => [document['@context']].flat();

export const isSpdx3 = (document: unknown): boolean => isObject(document) && contexts(document).some((context) => typeof context === 'string' && SPDX3_CONTEXT.test(context));

/** An element's identifier, whether it is named by its identifier or given inline. */
export const refId = (value: unknown): string | undefined => (isObject(value) ? (text(value.spdxId) ?? text(value['@id'])) : text(value));

/**
 * The elements of an SPDX 3 JSON-LD document, indexed by spdxId so that references resolve in any
 * order, and which elements are parts of which (`contains`, `hasDataFile`), so that a relationship
 * between files counts for the packages holding them.
 */
export class SpdxGraph {
  readonly elements: Element[] = [];
  /** Elements that repeat an earlier one exactly, with the earlier one's pointer. */
  readonly repeats = new Map<Element, string>();
  private readonly byId = new Map<string, Element>();
  private readonly holders = new Map<string, Set<string>>();

  constructor(
    document: unknown,
    private readonly builder: PayloadBuilder,
  ) {
    if (!isObject(document)) throw badUserInput('The document must be a JSON object', [{ path: '', message: 'must be a JSON object' }]);
    if (!isSpdx3(document)) {
      const message = 'not an SPDX 3.0 JSON-LD document: @context must be https://spdx.org/rdf/3.0.x/spdx-context.jsonld';
      throw badUserInput(message, [{ path: '/@context', message }]);
    }
    const graph = document['@graph'];
    if (graph !== undefined && !Array.isArray(graph)) throw badUserInput('@graph must be an array', [{ path: '/@graph', message: 'must be an array' }]);
    // Without @graph the document is one element, as SPDX's JSON schema allows.
    const items = graph ?? [Object.fromEntries(Object.entries(document).filter(([key]) => key !== '@context'))];
    items.forEach((node, index) => this.collect(node, graph ? pointer('/@graph', index) : ''));
    builder.conversion.considered += items.length;
    for (const element of this.elements) this.learnMembership(element);
  }

  get(id: string | undefined): Element | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  private collect(node: unknown, at: string): void {
    if (!isObject(node)) {
      this.builder.problem(at, 'an element must be an object');
      return;
    }
    const type = text(node.type) ?? text(node['@type']);
    if (!type) {
      this.builder.problem(pointer(at, 'type'), 'required: an element must say its type');
      return;
    }
    const element: Element = { pointer: at, node, type, id: refId(node) };
    if (element.id !== undefined) {
      const earlier = this.byId.get(element.id);
      if (earlier && JSON.stringify(earlier.node) === JSON.stringify(node)) {
        this.repeats.set(element, earlier.pointer);
        return;
      }
      if (earlier) this.builder.problem(pointer(at, 'spdxId'), `"${element.id}" is also the spdxId of ${earlier.pointer}, with other content`);
      else this.byId.set(element.id, element);
    }
    this.elements.push(element);
  }

  private learnMembership({ type, node }: Element): void {
    if (!RELATIONSHIP_TYPES.has(type) || !MEMBERSHIP_RELATIONSHIPS.has(String(node.relationshipType))) return;
    const holder = refId(node.from);
    if (holder === undefined || !Array.isArray(node.to)) return;
    for (const member of node.to.map(refId)) {
      if (member !== undefined) this.holders.set(member, new Set([...(this.holders.get(member) ?? []), holder]));
    }
  }

  /**
   * The record an element stands for: its own, else that of the nearest model or dataset it is
   * part of (a file inside a package, a folder's file), when there is exactly one.
   */
  endpoint(id: string | undefined, records: ReadonlyMap<string, RecordRef>): Endpoint {
    if (id === undefined) return { reason: 'an end without an spdxId' };
    const own = records.get(id);
    if (own) return { record: own };
    const element = this.get(id);
    if (!element) return { reason: `no element of this document has the spdxId "${id}"` };
    const found = new Map<string, RecordRef>();
    const seen = new Set([id]);
    let level = [id];
    while (level.length > 0 && found.size === 0) {
      const next: string[] = [];
      for (const holder of level.flatMap((member) => [...(this.holders.get(member) ?? [])])) {
        if (seen.has(holder)) continue;
        seen.add(holder);
        const record = records.get(holder);
        if (record) found.set(`${record.type}|${record.externalId}`, record);
        else next.push(holder);
      }
      level = next;
    }
    if (found.size === 1) return { record: [...found.values()][0] };
    const what = `${element.pointer} (${element.type})`;
    return { reason: found.size > 1 ? `${what} is part of more than one model or dataset` : `${what} is not a model or dataset, nor part of one` };
  }
}
