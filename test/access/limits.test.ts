import { createHash } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../src/logger';
import { formatError } from '../../src/server';
import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
let base: string;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  api = await createTestApi(
    { MAX_QUERY_DEPTH: '6', MAX_QUERY_COST: '5000', MAX_BODY_BYTES: '4096', INTROSPECTION: 'false', NODE_ENV: 'production', ANONYMOUS_ACCESS: 'read' },
    createLogger('info', (line) => logLines.push(JSON.parse(line))),
  );
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

test('a query deeper than MAX_QUERY_DEPTH is refused before it runs', async () => {
  const deep = '{ aiModels { nodes { trainedOn { derivedFrom { derivedFrom { derivedFrom { derivedFrom { name } } } } } } } }';
  const { status, body } = await post({ query: deep });
  expect(status).toBe(400);
  expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', depth: 8, maxQueryDepth: 6 });
});

test('a query whose lists multiply past MAX_QUERY_COST is refused, counting variables', async () => {
  const query = 'query($n: Int) { aiModels(first: $n) { nodes { trainedOn { trainedModels { name } } } } }';
  const small = await post({ query, variables: { n: 5 } });
  expect(small.status).toBe(200);
  const large = await post({ query, variables: { n: 500 } });
  expect(large.status).toBe(400);
  expect(large.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxQueryCost: 5000 });
  expect(large.body.errors[0].extensions.cost).toBeGreaterThan(5000);
});

test('a body over MAX_BODY_BYTES and malformed JSON get coded 4xx answers', async () => {
  const big = await post({ query: `{ __typename }`, variables: { padding: 'x'.repeat(10_000) } });
  expect(big.status).toBe(413);
  expect(big.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  const broken = await post('{"query": ');
  expect(broken.status).toBe(400);
  expect(broken.body.errors[0].extensions.code).toBe('BAD_REQUEST');
});

/** A raw POST: `chunks` written one by one, so that without a content-length the body arrives chunked. */
function postRaw(chunks: Buffer[], headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}/graphql`, { method: 'POST', headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

test('the GraphQL POST reads its body as the JSON parser did: the limit without a content-length, strict JSON, encodings, charsets', async () => {
  const json = { 'content-type': 'application/json' };
  const streamed = await postRaw([Buffer.from('{"query": "{ __typename }", "variables": {"padding": "'), Buffer.alloc(5_000, 'x'), Buffer.from('"}}')], json);
  expect(streamed).toEqual({ status: 413, body: { errors: [{ message: 'The request body exceeds 4096 bytes (MAX_BODY_BYTES)', extensions: { code: 'BAD_REQUEST' } }] } });
  for (const notAnObject of ['"{ __typename }"', '42', 'null']) {
    const { status, body } = await post(notAnObject);
    expect({ status, code: body.errors[0].extensions.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
  }
  const query = { query: 'query Named { __typename }', operationName: 'Named' };
  const plain = await postRaw([Buffer.from(JSON.stringify(query))], { ...json, 'content-type': 'application/json; charset=UTF-8', 'x-request-id': 'plain-body' });
  const gzipped = await postRaw([gzipSync(JSON.stringify(query))], { ...json, 'content-encoding': 'gzip', 'x-request-id': 'gzipped-body' });
  expect(plain).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  expect(gzipped).toEqual(plain);
  for (const requestId of ['plain-body', 'gzipped-body']) {
    expect(logLines.find((line) => line.msg === 'request' && line.requestId === requestId)).toMatchObject({ operation: 'Named', outcome: 'ok' });
  }
  const latin1 = await postRaw([Buffer.from(JSON.stringify(query))], { 'content-type': 'application/json; charset=latin1' });
  expect(latin1).toEqual({ status: 415, body: { errors: [{ message: 'The request body must be JSON in UTF-8', extensions: { code: 'BAD_REQUEST' } }] } });
});

test('a persisted query whose hash does not match its text is a BAD_REQUEST, not an internal error', async () => {
  const query = '{ __typename }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const persisted = (extension: Record<string, unknown>, requestId: string) => post({ query, extensions: { persistedQuery: extension } }, { 'x-request-id': requestId });
  expect(await persisted({ version: 1, sha256Hash }, 'apq-good')).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });

  for (const [extension, message] of [
    [{ version: 1, sha256Hash: 'f'.repeat(64) }, 'provided sha does not match query'],
    [{ version: 2, sha256Hash }, 'Unsupported persisted query version'],
  ] as const) {
    const requestId = `apq-${extension.version}`;
    const { status, body } = await persisted(extension, requestId);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ message, extensions: { code: 'BAD_REQUEST', requestId } }]);
    expect(logLines.find((line) => line.msg === 'request' && line.requestId === requestId)).toMatchObject({ outcome: 'error', errorCodes: ['BAD_REQUEST'] });
  }
  expect(logLines.filter((line) => line.msg === 'unexpected error')).toEqual([]);
});

test('introspection can be switched off', async () => {
  const { body } = await post({ query: '{ __schema { types { name } } }' });
  expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(body.errors[0].message).toMatch(/introspection/i);
});

test('errors carry the request id that the one log line per request shares; secrets never reach the log', async () => {
  const requestId = 'trace-0123456789';
  const { headers, body } = await post(
    { query: 'query Broken($id: ID!) { node(id: $id) { id } impact(id: $id) { count } }', operationName: 'Broken', variables: { id: 'missing' } },
    { 'x-request-id': requestId, authorization: '' },
  );
  expect(headers.get('x-request-id')).toBe(requestId);
  expect(body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', requestId });
  expect(JSON.stringify(body)).not.toMatch(/stack|cypher|neo4j/i);

  const line = logLines.find((entry) => entry.msg === 'request' && entry.requestId === requestId);
  expect(line).toMatchObject({ level: 'info', operation: 'Broken', caller: 'anonymous', outcome: 'error', errorCodes: ['NOT_FOUND'] });
  expect(typeof line?.durationMs).toBe('number');

  const secret = 'lgk_aaaaaaaaaaaa_' + 'S'.repeat(43);
  await post({ query: '{ __typename }' }, { authorization: `Bearer ${secret}` });
  expect(JSON.stringify(logLines)).not.toContain('SSSSSSSS');
});

test('an unexpected failure is masked: no stack, no Cypher, no driver message, and it is logged', () => {
  const logged: string[] = [];
  const formatted = formatError(
    {
      message: 'Neo4jError: Invalid input in MATCH (n:Entity) RETURN n at bolt://127.0.0.1:7687',
      path: ['impact'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at Gateway.run (gateway.ts:10)'] },
    },
    createLogger('error', (line) => logged.push(line)),
  );
  expect(formatted).toEqual({ message: 'Internal server error', path: ['impact'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(logged.join()).toMatch(/Invalid input in MATCH/);
});
