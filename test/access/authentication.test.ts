import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { JwtAuthenticator } from '../../src/auth/jwt';
import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;
let base: string;
let jwksDir: string;
let privateKey: Parameters<SignJWT['sign']>[0];

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'lineage-graph';

beforeAll(async () => {
  // The organisation's identity provider: a key pair whose public half is given as a JWKS file.
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-jwks-'));
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  fs.writeFileSync(path.join(jwksDir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  api = await createTestApi({
    ANONYMOUS_ACCESS: 'none',
    API_KEY_CACHE_MS: '0',
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    AUTH_JWT_JWKS: path.join(jwksDir, 'jwks.json'),
  });
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(async () => {
  await api.close();
  fs.rmSync(jwksDir, { recursive: true, force: true });
});

async function post(query: string, authorization?: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions: Record<string, unknown> }> } };
}

const createKey = async (role: string, source?: string) => {
  const { createApiKey } = await api.data('mutation($n: String!, $r: Role!, $s: String) { createApiKey(name: $n, role: $r, source: $s) { key apiKey { name } } }', {
    n: unique(role.toLowerCase()),
    r: role,
    s: source,
  }, { name: 'root', kind: 'apiKey', role: 'ADMIN' });
  return createApiKey as { key: string; apiKey: { name: string } };
};

test('without credentials, with a malformed header or an unknown key, the API answers 401', async () => {
  for (const authorization of [undefined, 'Basic abc', 'Bearer lgk_000000000000_' + 'x'.repeat(43), 'Bearer lgk_short']) {
    const { status, body } = await post('{ caller { name } }', authorization);
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  }
});

test('an API key authenticates with its role, is stored only as a hash, and stops working once revoked', async () => {
  const { key, apiKey } = await createKey('VIEWER');
  expect(key).toMatch(/^lgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const me = await post('{ caller { name role kind } }', `Bearer ${key}`);
  expect(me).toEqual({ status: 200, body: { data: { caller: { name: apiKey.name, role: 'VIEWER', kind: 'apiKey' } } } });

  const stored = await api.app.gateway.forRequest({}).readTx((tx) => tx.run<{ key: Record<string, unknown> }>('auth/findApiKey', { id: key.split('_')[1] }));
  expect(JSON.stringify(stored)).not.toContain(key.split('_')[2]);

  const refused = await post('mutation { createOwner(input: { externalId: "x", name: "x" }) { id } }', `Bearer ${key}`);
  expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');

  await api.data('mutation($n: String!) { revokeApiKey(name: $n) { revokedAt } }', { n: apiKey.name }, { name: 'root', kind: 'apiKey', role: 'ADMIN' });
  const revoked = await post('{ caller { name } }', `Bearer ${key}`);
  expect(revoked.status).toBe(401);
  expect(revoked.body.errors?.[0].message).toMatch(/revoked/);
});

test('a SYNC key writes its own source through HTTP, and the audit names the key', async () => {
  const source = unique('inventory');
  const { key, apiKey } = await createKey('SYNC', source);
  const sync = 'mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { assets { created } } }';
  const own = await post(sync, `Bearer ${key}`, { input: { source, assets: { datasets: [{ externalId: 'd1', name: 'D1' }] } } });
  expect(own.body).toEqual({ data: { syncInventory: { assets: { created: 1 } } } });
  const other = await post(sync, `Bearer ${key}`, { input: { source: `${source}-other`, assets: { datasets: [{ externalId: 'd1', name: 'D1' }] } } });
  expect(other.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  const history = await post('query($s: String!) { entityByKey(type: Dataset, source: $s, externalId: "d1") { history { actor action } } }', `Bearer ${key}`, { s: source });
  expect(history.body.data.entityByKey.history).toEqual([{ actor: `key:${apiKey.name}`, action: 'CREATE' }]);
});

/** A token from the test's identity provider; `expiresIn: null` leaves out the exp claim. */
function token(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string | null; issuer?: string; subject?: string } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject(options.subject ?? 'alice@example.com')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(privateKey);
}

test('a JWT from the configured issuer authenticates its subject with the role in its claim', async () => {

  const compliance = await post('{ caller { name role kind } }', `Bearer ${await token({ lineage_role: 'COMPLIANCE' })}`);
  expect(compliance.body.data.caller).toEqual({ name: 'alice@example.com', role: 'COMPLIANCE', kind: 'jwt' });
  const plain = await post('{ caller { role } }', `Bearer ${await token({})}`);
  expect(plain.body.data.caller.role).toBe('VIEWER');

  for (const [bad, reason] of [
    [await token({}, { audience: 'someone-else' }), /aud/],
    [await token({}, { issuer: 'https://evil.example/' }), /iss/],
    [await token({}, { expiresIn: '-1m' }), /expired/],
    [await token({}, { expiresIn: null }), /missing its exp claim/],
  ] as const) {
    const refused = await post('{ caller { name } }', `Bearer ${bad}`);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0].message).toMatch(reason);
  }
});

test('a JWT without an expiry is accepted only when AUTH_JWT_REQUIRE_EXP=false', async () => {
  const forEver = await token({ lineage_role: 'COMPLIANCE' }, { expiresIn: null });
  expect(api.config.auth.jwt?.requireExp).toBe(true);
  await expect(new JwtAuthenticator(api.config.auth.jwt!).authenticate(forEver)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  await expect(new JwtAuthenticator({ ...api.config.auth.jwt!, requireExp: false }).authenticate(forEver)).resolves.toMatchObject({ kind: 'jwt', role: 'COMPLIANCE' });
});

test('the audit tells a key from a token whose subject is the same name, and records who created a key the same way', async () => {
  const { key, apiKey } = await createKey('ADMIN');
  const jwt = await token({ lineage_role: 'ADMIN' }, { subject: apiKey.name });
  const created = await post('mutation($x: String!) { createDataset(input: { externalId: $x, name: "D" }) { id } }', `Bearer ${key}`, { x: unique('d') });
  const { id } = created.body.data.createDataset;
  await post('mutation($id: ID!) { updateEntity(id: $id, patch: { name: "D2" }) { id } }', `Bearer ${jwt}`, { id });
  const history = await post('query($id: ID!) { history(id: $id) { actor action } }', `Bearer ${key}`, { id });
  expect(history.body.data.history).toEqual([
    { actor: `jwt:${apiKey.name}`, action: 'UPDATE' },
    { actor: `key:${apiKey.name}`, action: 'CREATE' },
  ]);
  // The request log names callers as the audit does.
  expect((await api.execute('{ caller { name } }', {}, { name: apiKey.name, kind: 'jwt', role: 'VIEWER' })).context.actor).toBe(`jwt:${apiKey.name}`);

  const keys = await post('{ apiKeys { name createdBy } }', `Bearer ${key}`);
  expect(keys.body.data.apiKeys).toContainEqual({ name: apiKey.name, createdBy: 'key:root' });
  const { createApiKey } = await api.data('mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { apiKey { createdBy } } }', { n: unique('by-token') }, { name: 'carol', kind: 'jwt', role: 'ADMIN' });
  expect(createApiKey.apiKey.createdBy).toBe('jwt:carol');
});

test('createApiKey refuses a blank or control-character source, naming `source`, and keeps a SYNC key\'s source as a sync would see it', async () => {
  const create = (role: string, source: string) =>
    api.execute('mutation($n: String!, $r: Role!, $s: String) { createApiKey(name: $n, role: $r, source: $s) { apiKey { source } } }', { n: unique('src'), r: role, s: source }, { name: 'root', kind: 'apiKey', role: 'ADMIN' });
  for (const [role, source] of [['SYNC', ''], ['SYNC', '   '], ['SYNC', 'inv\u0000entory'], ['SYNC', 'inv\nentory'], ['SYNC', '\u001b[31mred'], ['VIEWER', ''], ['VIEWER', ' ']]) {
    const refused = await create(role, source);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [expect.objectContaining({ path: 'source' })] });
  }
  expect((await create('SYNC', ' servicenow ')).data?.createApiKey.apiKey.source).toBe('servicenow');
});

test('exports need credentials too', async () => {
  const response = await fetch(`${base}/exports/coverage?framework=owasp-llm-top10&format=csv`);
  expect(response.status).toBe(401);
  const { key } = await createKey('VIEWER');
  const allowed = await fetch(`${base}/exports/coverage?framework=owasp-llm-top10&format=csv`, { headers: { authorization: `Bearer ${key}` } });
  expect(allowed.status).toBe(200);
});
