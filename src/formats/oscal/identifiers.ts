import { createHash } from 'node:crypto';

/** The namespace of every UUID this project derives (RFC 4122 §4.3); fixed, so that names map to the same UUIDs forever. */
const NAMESPACE = 'c20370de-daf5-4db3-90d6-3734d77dfcdb';

/**
 * A version 5 UUID of `parts`: the same parts give the same UUID, so that exporting the same
 * assessment again gives the same identifiers and two exports diff line by line.
 */
export function nameUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex')).update(JSON.stringify(parts)).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * OSCAL tokens (XML NCNames) for requirement identifiers, which have spaces and colons ("Article
 * 10", "LLM01:2025"): lower case, runs of other characters as one hyphen, a leading underscore
 * before what cannot start a name. Identifiers that would share a token get -2, -3... in the order
 * given, so that each token names one requirement.
 */
export function controlTokens(identifiers: readonly string[]): Map<string, string> {
  const tokens = new Map<string, string>();
  const taken = new Set<string>();
  for (const identifier of identifiers) {
    const base = identifier
      .toLowerCase()
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .replace(/^(?=[^\p{L}_]|$)/u, '_');
    let token = base;
    for (let suffix = 2; taken.has(token); suffix += 1) token = `${base}-${suffix}`;
    taken.add(token);
    tokens.set(identifier, token);
  }
  return tokens;
}
