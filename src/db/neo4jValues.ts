import neo4j from 'neo4j-driver';

/**
 * The one place where plain JavaScript becomes what Neo4j stores, applied by the gateway to every
 * query's parameters: whole numbers become integers (the driver would send every JavaScript number
 * as a float, and LIMIT or SKIP refuse floats) and Dates become datetimes. Services only decide
 * which values are Dates (see estate/values.ts); client input is checked to be within the safe
 * integer range before it gets here.
 */
export function toNeo4j(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return neo4j.types.DateTime.fromStandardDate(value);
  if (Array.isArray(value)) return value.map(toNeo4j);
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const converted: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) converted[key] = toNeo4j(item);
    return converted;
  }
  return value;
}

/**
 * The one place where Neo4j's driver types become plain JavaScript: integers become numbers
 * (ids and counts in this domain stay far below 2^53), temporal values ISO-8601 strings, graph
 * entities their property maps.
 */
export function toNative(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  // Strings, numbers and booleans are most of every result: they skip the driver's type probes.
  if (typeof value !== 'object') return value;
  // Lists and maps are converted in place: the driver hands over fresh ones for every record, and
  // copying them again only fed the garbage collector on thousand-record answers.
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = toNative(value[index]);
    return value;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) map[key] = toNative(map[key]);
    return map;
  }
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (
    neo4j.isDateTime(value as never) ||
    neo4j.isDate(value as never) ||
    neo4j.isLocalDateTime(value as never) ||
    neo4j.isTime(value as never) ||
    neo4j.isLocalTime(value as never) ||
    neo4j.isDuration(value as never)
  ) {
    return temporalToString(value);
  }
  if (neo4j.isNode(value as never) || neo4j.isRelationship(value as never)) {
    return toNative((value as { properties: unknown }).properties);
  }
  return value;
}

function temporalToString(value: unknown): string {
  if (neo4j.isDateTime(value as never)) {
    const dt = value as { toStandardDate(): Date };
    return dt.toStandardDate().toISOString();
  }
  return String(value);
}

/** A property map as pairs: `[key, value]`, or `[key, epochMillis, true]` for a datetime. */
export type PropertyPairs = ReadonlyArray<readonly [string, unknown, true?]>;

/**
 * The property map that a query looking up many records at once (a sync's look-ups) ships as
 * pairs. The driver decodes a datetime with 64-bit integer arithmetic in JavaScript, and the
 * look-ups of an unchanged re-sync spent a third of the API's CPU decoding the records'
 * timestamps; milliseconds since the epoch give the same ISO string as toNative for a fraction of it.
 */
export function propertiesFromPairs(pairs: PropertyPairs): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value, epochMillis] of pairs) properties[key] = epochMillis === true ? new Date(value as number).toISOString() : value;
  return properties;
}
