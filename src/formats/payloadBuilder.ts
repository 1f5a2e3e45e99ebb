import type { AssetBatchInput, RelationshipInput } from '../generated/graphql';
import { BATCH_FIELDS, ENTITY_TYPES, EntityType, RelationshipType } from '../estate/model';
import type { Conversion, RecordOrigin } from './model';

export interface RecordRef {
  type: EntityType;
  externalId: string;
}

interface PendingRecord {
  fields: Record<string, unknown>;
  origin: RecordOrigin;
}

/**
 * Collects what a converter maps, with where each item came from, into a sync payload. A record
 * named twice (a vendor supplying many models) is one record, kept as first seen; a relationship
 * asserted twice (a dependency also in a model card) is one relationship, its list properties
 * merged.
 */
export class PayloadBuilder {
  private readonly records = new Map<EntityType, Map<string, PendingRecord>>(ENTITY_TYPES.map((type) => [type, new Map()]));
  private readonly links = new Map<string, { rel: RelationshipInput; pointer: string }>();
  readonly conversion: Pick<Conversion, 'warnings' | 'problems' | 'considered' | 'mapped'> = { warnings: [], problems: [], considered: 0, mapped: 0 };

  has(ref: RecordRef): boolean {
    return this.records.get(ref.type)!.has(ref.externalId);
  }

  /** Adds a record unless one of the same type and externalId is there; says whether it added it. */
  addRecord(type: EntityType, fields: Record<string, unknown> & { externalId: string; name: string }, origin: RecordOrigin): boolean {
    const byId = this.records.get(type)!;
    if (byId.has(fields.externalId)) return false;
    byId.set(fields.externalId, { fields, origin });
    return true;
  }

  link(type: RelationshipType, from: RecordRef, to: RecordRef, pointer: string, properties?: Record<string, string[] | string>): void {
    const key = `${from.type}|${from.externalId}|${type}|${to.type}|${to.externalId}`;
    const existing = this.links.get(key);
    if (!existing) {
      this.links.set(key, { rel: { type, from: { ...from }, to: { ...to }, ...(properties ? { properties } : {}) }, pointer });
      return;
    }
    for (const [name, value] of Object.entries(properties ?? {})) {
      const before = existing.rel.properties?.[name];
      const merged = Array.isArray(value) && Array.isArray(before) ? [...new Set([...before, ...value])].sort() : (before ?? value);
      existing.rel.properties = { ...existing.rel.properties, [name]: merged };
    }
  }

  warn(pointer: string, message: string): void {
    this.conversion.warnings.push({ pointer, message, skipped: false });
  }

  /** A whole element left out: with the count of elements considered, it accounts for every one. */
  skip(pointer: string, message: string): void {
    this.conversion.warnings.push({ pointer, message, skipped: true });
  }

  problem(pointer: string, message: string): void {
    this.conversion.problems.push({ pointer, message });
  }

  build(): Conversion {
    const assets: AssetBatchInput = {};
    const recordOrigins = new Map<string, RecordOrigin>();
    for (const type of ENTITY_TYPES) {
      const items = [...this.records.get(type)!.values()];
      if (items.length === 0) continue;
      const field = BATCH_FIELDS[type] as keyof AssetBatchInput;
      items.forEach((item, index) => recordOrigins.set(`assets.${field}[${index}]`, item.origin));
      (assets as Record<string, unknown>)[field] = items.map((item) => item.fields);
    }
    const links = [...this.links.values()];
    return { ...this.conversion, assets, relationships: links.map((link) => link.rel), recordOrigins, relationshipOrigins: links.map((link) => link.pointer) };
  }
}
