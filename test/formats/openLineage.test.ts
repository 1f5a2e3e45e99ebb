import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { IMPORT } from './support';

/**
 * OpenLineage through POST /api/v1/lineage as its clients' HTTP transport sends it (one event per
 * request, JSON, optionally gzip, a bearer API key), and through importDocument.
 */
let api: TestApi;
let base: string;
const ROOT: Principal = { name: 'root', kind: 'apiKey', role: 'ADMIN' };
beforeAll(async () => {
  api = await createTestApi({ ANONYMOUS_ACCESS: 'none' });
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

async function createKey(role: string, source?: string): Promise<string> {
  const { createApiKey } = await api.data('mutation($n: String!, $r: Role!, $s: String) { createApiKey(name: $n, role: $r, source: $s) { key } }', { n: unique(role.toLowerCase()), r: role, s: source }, ROOT);
  return createApiKey.key;
}

interface Sent {
  key?: string;
  query?: string;
  headers?: Record<string, string>;
  raw?: string | ArrayBuffer;
}
/** A body compressed as the transport's `compression: gzip` sends it. */
function gzip(text: string): ArrayBuffer {
  const bytes = gzipSync(text);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
async function post(event: unknown, { key, query = '', headers = {}, raw }: Sent = {}) {
  const response = await fetch(`${base}/api/v1/lineage${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: raw ?? JSON.stringify(event),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> | null };
}

const job = { namespace: 'etl', name: 'daily.orders' };
const orders = { namespace: 'postgres://db:5432', name: 'shop.public.orders' };
const daily = { namespace: 'postgres://db:5432', name: 'shop.public.orders_daily' };
const key = (dataset: { namespace: string; name: string }) => `${dataset.namespace}/${dataset.name}`;
function runEvent(eventType: string, runId: string, overrides: Record<string, unknown> = {}) {
  return {
    eventType,
    eventTime: new Date().toISOString(),
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/client/python',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId },
    job,
    inputs: [],
    outputs: [],
    ...overrides,
  };
}
const schemaFacet = { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: [{ name: 'order_id', type: 'bigint' }, { name: 'day', type: 'date' }] };
const columnLineage = {
  _producer: 'p',
  _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
  fields: { day: { inputFields: [{ ...orders, field: 'created_at', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'date(created_at)' }] }] } },
};

/** The source's datasets, each with what it derives from, as comparable values. */
async function lineageOf(source: string) {
  const { datasets } = await api.data<{ datasets: { nodes: Array<Record<string, any>> } }>(
    `query($s: String) { datasets(filter: { source: $s }, first: 200) { nodes { id externalId name description columns version
      relationships(types: [DERIVED_FROM], direction: OUTGOING) { to { externalId } properties sources } } } }`,
    { s: source },
    ROOT,
  );
  return datasets.nodes.sort((a, b) => a.externalId.localeCompare(b.externalId));
}
const edgesOf = (datasets: Array<Record<string, any>>) => datasets.flatMap((dataset) => dataset.relationships.map((rel: any) => `${dataset.externalId} -> ${rel.to.externalId}`)).sort();
const historyOf = async (id: string) => (await api.data<{ history: Array<{ action: string; actor: string; reason: string | null }> }>('query($id: ID!) { history(id: $id) { action actor reason } }', { id }, ROOT)).history;

test('a START naming the inputs and a COMPLETE naming the outputs, as the HTTP transport posts them, become datasets and lineage; the audit names run and job', async () => {
  const source = unique('ol');
  const sync = await createKey('SYNC', source);
  const runId = randomUUID();
  const start = await post(runEvent('START', runId, { inputs: [{ ...orders, facets: { schema: schemaFacet } }] }), { key: sync });
  expect(start).toMatchObject({ status: 201, body: { source, warnings: [], batch: { events: 1, assets: { created: 1 } } } });
  const complete = runEvent('COMPLETE', runId, { outputs: [{ ...daily, facets: { columnLineage, documentation: { _producer: 'p', _schemaURL: 's', description: 'Orders per day' } } }] });
  const completed = await post(null, { key: sync, raw: gzip(JSON.stringify(complete)), headers: { 'content-encoding': 'gzip' } });
  expect(completed).toMatchObject({ status: 201, body: { batch: { assets: { created: 1 }, relationships: { created: 1 } } } });

  const datasets = await lineageOf(source);
  expect(datasets.map(({ externalId, name, description, columns }) => ({ externalId, name, description, columns }))).toEqual([
    { externalId: key(orders), name: orders.name, description: null, columns: ['{"name":"order_id","type":"bigint"}', '{"name":"day","type":"date"}'] },
    { externalId: key(daily), name: daily.name, description: 'Orders per day', columns: [] },
  ]);
  expect(datasets[1].relationships).toEqual([
    { to: { externalId: key(orders) }, properties: { job: 'etl/daily.orders', columnLineage: ['day <- created_at [DIRECT/TRANSFORMATION: date(created_at)]'] }, sources: [source] },
  ]);
  const history = await historyOf(datasets[1].id);
  expect(history.map((event) => event.action).sort()).toEqual(['CREATE', 'LINK']);
  expect(history.every((event) => event.reason === `OpenLineage COMPLETE job etl/daily.orders run ${runId}` && event.actor.startsWith('key:sync-'))).toBe(true);
});

test('a redelivered event, and a COMPLETE arriving before its START, change nothing more than the run', async () => {
  const source = unique('ol');
  const sync = await createKey('SYNC', source);
  const runId = randomUUID();
  const complete = runEvent('COMPLETE', runId, { outputs: [daily] });
  expect((await post(complete, { key: sync })).status).toBe(201);
  expect(edgesOf(await lineageOf(source))).toEqual([]);
  expect((await post(runEvent('START', runId, { inputs: [orders] }), { key: sync })).body).toMatchObject({ batch: { relationships: { created: 1 } } });
  const before = await lineageOf(source);
  const histories = await Promise.all(before.map((dataset) => historyOf(dataset.id)));

  for (const again of [complete, runEvent('START', runId, { inputs: [orders] }), complete]) {
    const redelivered = await post(again, { key: sync });
    expect(redelivered).toMatchObject({ status: 201, body: { batch: { assets: { created: 0, updated: 0 }, relationships: { created: 0, updated: 0 } } } });
  }
  expect(await lineageOf(source)).toEqual(before);
  expect(await Promise.all(before.map((dataset) => historyOf(dataset.id)))).toEqual(histories);
  expect(edgesOf(before)).toEqual([`${key(daily)} -> ${key(orders)}`]);
});

test('FAIL and ABORT end a run as OpenLineage defines them: what it read and wrote stays, the failure is audited, a second end is warned', async () => {
  const source = unique('ol');
  const sync = await createKey('SYNC', source);
  const runId = randomUUID();
  await post(runEvent('START', runId, { inputs: [orders] }), { key: sync });
  const fail = runEvent('FAIL', runId, {
    outputs: [daily],
    run: { runId, facets: { errorMessage: { _producer: 'p', _schemaURL: 's', message: 'division by zero', programmingLanguage: 'SQL' } } },
  });
  expect((await post(fail, { key: sync })).status).toBe(201);
  const [, written] = await lineageOf(source);
  expect(edgesOf([written])).toEqual([`${key(daily)} -> ${key(orders)}`]);
  expect((await historyOf(written.id))[0].reason).toBe(`OpenLineage FAIL job etl/daily.orders run ${runId}: division by zero`);

  const abort = await post(runEvent('ABORT', runId), { key: sync });
  expect(abort.status).toBe(201);
  expect(abort.body!.warnings).toEqual([{ pointer: '/eventType', message: expect.stringMatching(/already ended as FAIL .* kept: ABORT/), skipped: false }]);
});

test('only a writer of the source may post: another source\'s SYNC key, VIEWER, COMPLIANCE and unknown callers are refused and nothing is written', async () => {
  const source = unique('ol');
  const [own, other, viewer, compliance, admin] = [await createKey('SYNC', source), await createKey('SYNC', unique('elsewhere')), await createKey('VIEWER'), await createKey('COMPLIANCE'), await createKey('ADMIN')];
  const event = () => runEvent('COMPLETE', randomUUID(), { inputs: [orders], outputs: [daily] });
  const refusals = [
    [{ key: other, query: `?source=${source}` }, 403, 'FORBIDDEN'],
    [{ key: viewer, query: `?source=${source}` }, 403, 'FORBIDDEN'],
    [{ key: compliance, query: `?source=${source}` }, 403, 'FORBIDDEN'],
    [{}, 401, 'UNAUTHENTICATED'],
    [{ key: `lgk_000000000000_${'x'.repeat(43)}` }, 401, 'UNAUTHENTICATED'],
    [{ key: admin }, 400, 'BAD_USER_INPUT'],
  ] as const;
  for (const [sent, status, code] of refusals) expect(await post(event(), sent)).toMatchObject({ status, body: { error: { code } } });
  expect(await lineageOf(source)).toEqual([]);

  // The same through importDocument, as each role's principal.
  for (const caller of [
    { name: 'other', kind: 'apiKey', role: 'SYNC', source: unique('elsewhere') },
    { name: 'viewer', kind: 'apiKey', role: 'VIEWER' },
    { name: 'grc', kind: 'apiKey', role: 'COMPLIANCE' },
  ] as Principal[]) {
    const refused = await api.execute(IMPORT, { input: { source, format: 'OPENLINEAGE', document: event() } }, caller);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  expect(await lineageOf(source)).toEqual([]);

  expect((await post(event(), { key: own, query: `?source=${source}` })).status).toBe(201);
  expect((await post(event(), { key: admin, query: `?source=${source}` })).status).toBe(201);
  expect(edgesOf(await lineageOf(source))).toEqual([`${key(daily)} -> ${key(orders)}`]);
});

test('concurrent clients on one source, with one key and with two: every event is committed before its 201, none is lost', async () => {
  const source = unique('ol');
  const keys = [await createKey('SYNC', source), await createKey('SYNC', source)];
  const clients = [keys[0], keys[0], keys[1], keys[1]];
  const runsPerClient = 12;
  // Each client posts a run's START and COMPLETE one after the other, as a scheduler's tasks do; the
  // four clients run at once, over one growing set of datasets that their runs share.
  const results = await Promise.all(
    clients.map(async (clientKey, client) => {
      const statuses: number[] = [];
      for (let run = 0; run < runsPerClient; run += 1) {
        const runId = randomUUID();
        const input = { namespace: 'warehouse', name: `raw.t${run % 5}` };
        const output = { namespace: 'warehouse', name: `mart.c${client}r${run}` };
        statuses.push((await post(runEvent('START', runId, { inputs: [input] }), { key: clientKey })).status);
        statuses.push((await post(runEvent('COMPLETE', runId, { outputs: [output] }), { key: clientKey })).status);
      }
      return statuses;
    }),
  );
  expect(results.flat().every((status) => status === 201)).toBe(true);
  const datasets = await lineageOf(source);
  expect(datasets).toHaveLength(5 + clients.length * runsPerClient);
  expect(edgesOf(datasets)).toHaveLength(clients.length * runsPerClient);
  for (const [client] of clients.entries()) {
    for (let run = 0; run < runsPerClient; run += 1) expect(edgesOf(datasets)).toContain(`warehouse/mart.c${client}r${run} -> warehouse/raw.t${run % 5}`);
  }
});

describe('hostile input is refused with the status a client will not retry, and writes nothing', () => {
  let source: string;
  let sync: string;
  beforeAll(async () => {
    source = unique('hostile');
    sync = await createKey('SYNC', source);
  });
  afterAll(async () => expect(await lineageOf(source)).toEqual([]));

  test.each([
    ['not JSON', { raw: '{ "eventType": ' }, 400],
    ['not JSON at all, sent as text', { raw: 'START', headers: { 'content-type': 'text/plain' } }, 415],
    ['a list of events', { raw: JSON.stringify([runEvent('START', randomUUID())]) }, 400],
    ['an unknown eventType', { raw: JSON.stringify(runEvent('FINISHED', randomUUID())) }, 400],
    ['wrong types', { raw: JSON.stringify({ ...runEvent('START', randomUUID()), run: { runId: 7 }, inputs: 'orders' }) }, 400],
    ['a huge dataset name', { raw: JSON.stringify(runEvent('START', randomUUID(), { inputs: [{ namespace: 'x', name: 'n'.repeat(100_000) }] })) }, 400],
    ['a body over MAX_BODY_BYTES', { raw: JSON.stringify(runEvent('START', randomUUID(), { padding: 'x'.repeat(17 * 1024 * 1024) })) }, 413],
    ['a gzip bomb', { raw: gzip(' '.repeat(17 * 1024 * 1024)), headers: { 'content-encoding': 'gzip' } }, 413],
  ])('%s', async (_what, sent, status) => {
    const refused = await post(null, { key: sync, ...sent });
    expect(refused.status).toBe(status);
    expect(refused.body?.error?.code).toMatch(/BAD_REQUEST|BAD_USER_INPUT/);
  });

  test('problems name their place in the event', async () => {
    const refused = await post({ ...runEvent('START', randomUUID()), run: { runId: 7 }, inputs: 'orders', job: { namespace: 'etl' } }, { key: sync });
    expect(refused.body!.error.problems.map((problem: { path: string }) => problem.path).sort()).toEqual(['/inputs', '/job/name', '/run/runId']);
  });
});

describe('importDocument reads OpenLineage too', () => {
  test('a list of events, detected, adds up like posted events; a dry run writes nothing; REPLACE is refused', async () => {
    const source = unique('ol');
    const runId = randomUUID();
    const document = [runEvent('START', runId, { inputs: [orders] }), runEvent('COMPLETE', runId, { outputs: [daily] })];
    const dry = await api.data(IMPORT, { input: { source, document, dryRun: true } }, ROOT);
    expect(dry.importDocument).toMatchObject({ format: 'OPENLINEAGE', considered: 2, mapped: 2, problems: [], sync: { dryRun: true, assets: { created: 2 }, relationships: { created: 1 } } });
    expect(await lineageOf(source)).toEqual([]);
    const imported = await api.data(IMPORT, { input: { source, document } }, ROOT);
    expect(imported.importDocument.sync).toMatchObject({ ok: true, assets: { created: 2 }, relationships: { created: 1 } });
    expect(edgesOf(await lineageOf(source))).toEqual([`${key(daily)} -> ${key(orders)}`]);
    const replace = await api.execute(IMPORT, { input: { source, document, mode: 'REPLACE' } }, ROOT);
    expect(replace.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  const files = ['events', 'templates'].flatMap((folder) => {
    const dir = path.join(SHARED_FIXTURES, 'openlineage', folder);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => path.join(dir, file)) : [path.join(dir, '(none)')];
  });
  describe.each(files)('real fixture %s', (file) => {
    testWithSharedFile(file, 'imports with every dataset mapped, the rest warned, and again without change', async () => {
      const source = unique('ol-fixture');
      const document = JSON.parse(fs.readFileSync(file, 'utf8'));
      const { importDocument: report } = await api.data(IMPORT, { input: { source, format: 'OPENLINEAGE', document } }, ROOT);
      expect(report).toMatchObject({ format: 'OPENLINEAGE', problems: [], sync: { ok: true } });
      expect(report.mapped).toBe(report.considered);
      const again = await api.data(IMPORT, { input: { source, format: 'OPENLINEAGE', document } }, ROOT);
      expect(again.importDocument.sync.assets).toMatchObject({ created: 0, updated: 0 });
      expect(again.importDocument.sync.relationships).toMatchObject({ created: 0, updated: 0 });
    });
  });
});
