import neo4j from 'neo4j-driver';
import { DATETIME_FIELDS } from './model';
import { toNeo4jDateTime } from './estateRepository';

/** A field's value as the API compares it: Dates as ISO strings, absent as null. */
export function comparable(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

/**
 * A comparable value as Neo4j stores it: whole numbers as integers (the driver would send every
 * JavaScript number as a float) and the temporal fields as datetimes.
 */
export function storable(field: string, value: unknown): unknown {
  if (value === null) return null;
  if (DATETIME_FIELDS.has(field) && typeof value === 'string') return toNeo4jDateTime(value);
  if (typeof value === 'number' && Number.isInteger(value)) return neo4j.int(value);
  if (Array.isArray(value)) return value.map((item) => storable(field, item));
  return value;
}

export function storableProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).map(([field, value]) => [field, storable(field, value)]));
}
