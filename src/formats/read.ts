import { INPUT_LIMITS } from '../inputLimits';
import type { PayloadBuilder } from './payloadBuilder';
import { pointer } from './pointer';

/** Reading untrusted JSON documents of every format: each value is checked for its shape before it is used. */

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-blank string, trimmed; anything else is absent. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined);

/** Warns about each key of an object that the mapping did not read, so that nothing is dropped silently. */
export function unread(object: Record<string, unknown>, at: string, read: readonly string[], builder: PayloadBuilder): void {
  for (const key of Object.keys(object)) {
    if (!read.includes(key)) builder.warn(pointer(at, key), `"${key}" is not kept: the graph has no place for it`);
  }
}

/**
 * A list of short texts for a list field. Items the graph cannot hold as list items (not what
 * `item` reads, which `unreadable` says; longer than INPUT_LIMITS.name) are left out with a warning
 * rather than failing the document.
 */
export function textList(
  value: unknown,
  at: string,
  builder: PayloadBuilder,
  item: (entry: unknown, where: string) => string | undefined = text,
  unreadable = 'not a non-empty string',
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    builder.warn(at, 'must be an array; not kept');
    return undefined;
  }
  const kept: string[] = [];
  value.forEach((entry, index) => {
    const where = pointer(at, index);
    const read = item(entry, where);
    if (read === undefined) builder.warn(where, `not kept: ${unreadable}`);
    else if (read.length > INPUT_LIMITS.name) builder.warn(where, `not kept: longer than ${INPUT_LIMITS.name} characters, the most a list item holds`);
    else if (!kept.includes(read)) kept.push(read);
  });
  return kept;
}

/**
 * A structured list item kept as the JSON of its string members, in `keys` order (so that the same
 * item always reads the same and a re-import changes nothing); the rest of it is warned about.
 */
export function jsonItem(entry: unknown, at: string, keys: readonly string[], builder: PayloadBuilder, nested: Record<string, readonly string[]> = {}): string | undefined {
  if (!isObject(entry)) return undefined;
  const picked: Record<string, string> = {};
  for (const key of keys) {
    if (text(entry[key]) !== undefined) picked[key] = text(entry[key])!;
  }
  for (const [key, inner] of Object.entries(nested)) {
    const object = entry[key];
    if (!isObject(object)) continue;
    for (const name of inner) if (text(object[name]) !== undefined) picked[name] = text(object[name])!;
    unread(object, pointer(at, key), inner, builder);
  }
  unread(entry, at, [...keys, ...Object.keys(nested)], builder);
  return Object.keys(picked).length > 0 ? JSON.stringify(picked) : undefined;
}
