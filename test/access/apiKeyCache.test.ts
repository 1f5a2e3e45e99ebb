import { randomBytes } from 'node:crypto';
import { ApiKeyAuthenticator } from '../../src/auth/apiKeys';
import { LruCache } from '../../src/lruCache';
import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('LruCache', () => {
  afterEach(() => jest.useRealTimers());

  test('forgets the least recently used entry past its capacity, a hit counting as a use', () => {
    const cache = new LruCache<string, number>(2, 60_000);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  test('forgets an entry once it is older than its time to live', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new LruCache<string, number | null>(10, 1_000);
    cache.set('known', 1);
    cache.set('unknown', null);
    jest.setSystemTime(999);
    expect([cache.get('known'), cache.get('unknown')]).toEqual([1, null]);
    jest.setSystemTime(1_000);
    expect([cache.get('known'), cache.get('unknown'), cache.size]).toEqual([undefined, undefined, 0]);
  });
});

describe('ApiKeyAuthenticator', () => {
  const CAPACITY = 50;
  const randomKey = () => `lgk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;

  /** Counts the statements the authenticator sends to the real database. */
  const countQueries = () => jest.spyOn(api.app.gateway, 'readStatement');
  afterEach(() => jest.restoreAllMocks());

  test('a flood of made-up, well-formed key ids keeps the cache at its bound, and a key in use stays in it', async () => {
    const keys = new ApiKeyAuthenticator(api.app.gateway, { keyCacheMs: 60_000, keyCacheSize: CAPACITY });
    const { createApiKey } = await api.data('mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { key } }', { n: unique('cached') }, { name: 'root', kind: 'apiKey', role: 'ADMIN' });
    const queries = countQueries();
    await expect(keys.authenticate(createApiKey.key)).resolves.toMatchObject({ role: 'VIEWER' });

    const madeUp = Array.from({ length: 4 * CAPACITY }, randomKey);
    for (const [index, key] of madeUp.entries()) {
      await expect(keys.authenticate(key)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      // The real key, used every so often, is never the least recently used one.
      if (index % 10 === 0) await keys.authenticate(createApiKey.key);
    }
    expect(keys.cachedKeys).toBe(CAPACITY);
    expect(queries).toHaveBeenCalledTimes(1 + madeUp.length);

    // The most recent unknown ids and the key in use are still remembered: no query for them.
    for (const key of madeUp.slice(-10)) await expect(keys.authenticate(key)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await keys.authenticate(createApiKey.key);
    expect(queries).toHaveBeenCalledTimes(1 + madeUp.length);
  });

  test('a malformed key is refused before any query and is not remembered', async () => {
    const keys = new ApiKeyAuthenticator(api.app.gateway, { keyCacheMs: 60_000, keyCacheSize: CAPACITY });
    const queries = countQueries();
    const wellFormed = randomKey();
    const malformed = [
      'lgk_',
      'lgk_short',
      wellFormed.toUpperCase(),
      `${wellFormed}x`,
      wellFormed.slice(0, -1),
      wellFormed.replace(/^lgk_[0-9a-f]{12}/, 'lgk_zzzzzzzzzzzz'),
      `${wellFormed.slice(0, 17)}_${'\u0000'.repeat(43)}`,
      `lgk_${'a'.repeat(100_000)}`,
    ];
    for (const key of malformed) {
      await expect(keys.authenticate(key)).rejects.toMatchObject({ message: 'The API key is malformed', extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(queries).not.toHaveBeenCalled();
    expect(keys.cachedKeys).toBe(0);
  });
});
