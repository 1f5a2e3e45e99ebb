import neo4j from 'neo4j-driver';

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
  if (Array.isArray(value)) return value.map(toNative);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[key] = toNative(inner);
    return out;
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
