import type { QueryName } from '../../src/generated/queries';
import { createLogger } from '../../src/logger';
import { createTestApi, TestApi } from '../support/api';
import { PLAYGROUND_ASSETS } from '../../src/playground';

let api: TestApi;
let base: string;

beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

test('answers { __typename } over HTTP', async () => {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename apiInfo { name } }' }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { __typename: 'Query', apiInfo: { name: 'lineage-graph' } } });
});

test('/healthz reports the process up and /readyz reports Neo4j reachable', async () => {
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ neo4j: true });
});

test('the playground page and every asset it loads are served locally', async () => {
  const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  const html = await page.text();
  const references = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  expect(references).toHaveLength(Object.keys(PLAYGROUND_ASSETS).length);
  for (const reference of references) {
    // A path on this server, never a URL naming another host (CDN) or a protocol-relative one.
    expect(reference).toMatch(/^\/[^/]/);
    const asset = await fetch(`${base}${reference}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(reference.endsWith('.css') ? /text\/css/ : /javascript/);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  }
  expect(html).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
});

test('GraphQL clients that GET /graphql reach the API, not the playground', async () => {
  const response = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
    headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
  });
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
});

test('client mistakes keep their code and message, without a stack trace', async () => {
  const result = await api.execute('{ nope }');
  expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace/);
});

test('internal errors are masked: a failing database query reaches the client with no message, stack or Cypher', async () => {
  const catalog = api.app.gateway.catalog;
  const original = catalog.get;
  // A query that fails inside Neo4j in a way no mapping expects (division by zero).
  catalog.get = (name: QueryName, params?: Record<string, unknown>) => (name === 'estate/findEntitiesByIds' ? 'RETURN 1 / 0 AS boom' : original.call(catalog, name, params));
  try {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ node(id: "any") { id } }' }),
    });
    const body = (await response.json()) as { errors: unknown[] };
    expect(body.errors).toEqual([
      { message: 'Internal server error', path: ['node'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|by zero|RETURN|Neo\.|findEntities/i);
  } finally {
    catalog.get = original;
  }
});

test('in production the API does not seed the demo estate unless asked, and says so at boot', async () => {
  const logs: Array<Record<string, unknown>> = [];
  const production = await createTestApi({ NODE_ENV: 'production', SEED_DEMO: undefined }, createLogger('info', (line) => logs.push(JSON.parse(line))));
  await production.close();
  expect(logs.filter((line) => /seeding the demo estate/.test(String(line.msg)))).toEqual([
    expect.objectContaining({ level: 'info', msg: 'not seeding the demo estate', reason: expect.stringMatching(/NODE_ENV=production/) }),
  ]);
});

test('no response names the framework behind it (X-Powered-By)', async () => {
  const json = { 'content-type': 'application/json' };
  const responses = await Promise.all([
    fetch(`${base}/healthz`),
    fetch(`${base}/readyz`),
    fetch(`${base}/graphql`, { headers: { accept: 'text/html' } }),
    fetch(`${base}/graphql`, { method: 'POST', headers: json, body: JSON.stringify({ query: '{ __typename }' }) }),
    fetch(`${base}/graphql`, { method: 'POST', headers: json, body: '{ not json' }),
    fetch(`${base}/exports/coverage?framework=eu-ai-act&format=csv`),
    fetch(`${base}/no-such-page`),
  ]);
  expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 400, 200, 404]);
  for (const response of responses) expect(response.headers.get('x-powered-by')).toBeNull();
});
