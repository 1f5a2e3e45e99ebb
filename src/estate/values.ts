import { DATETIME_FIELDS } from './model';

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
 * A comparable value as it is sent to be stored: the temporal fields as Dates, so that Cypher can
 * compare them with datetime() (the gateway turns Dates and whole numbers into Neo4j's types).
 */
export function storable(field: string, value: unknown): unknown {
  if (DATETIME_FIELDS.has(field) && typeof value === 'string') return new Date(value);
  return value;
}

export function storableProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).map(([field, value]) => [field, storable(field, value)]));
}
