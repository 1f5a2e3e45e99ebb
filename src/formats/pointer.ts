/** JSON pointers (RFC 6901): how import reports name a place in a document. */

const escapeToken = (token: string | number) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');

/** `base` extended by each token, escaped: pointer('/components/3', 'bom-ref') is '/components/3/bom-ref'. */
export const pointer = (base: string, ...tokens: Array<string | number>) => base + tokens.map((token) => `/${escapeToken(token)}`).join('');

/** The tokens of a pointer, unescaped; null for a string that is not one. */
export function pointerTokens(value: string): string[] | null {
  if (value === '') return [];
  if (!value.startsWith('/')) return null;
  return value
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}
