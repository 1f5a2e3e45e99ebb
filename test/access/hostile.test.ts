import fc from 'fast-check';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';

let api: TestApi;
let base: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  api = await createTestApi({ DEMO_MODE: 'true' });
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await api.close();
  expect(unhandled).toEqual([]);
});

const INJECTIONS = [
  "' OR 1=1 //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) DETACH DELETE n //',
  '$id} RETURN 1 UNION MATCH (n) RETURN n //',
  "'; CALL dbms.killQueries([]) //",
  '{{7*7}} ${process.exit()} <script>alert(1)</script>',
  '\\u0027 OR \\u0027a\\u0027=\\u0027a',
  'ＭＡＴＣＨ (n) ＤＥＬＥＴＥ n',
];

async function post(body: unknown) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

const countSource = async (source: string) =>
  (await api.data<{ entities: { totalCount: number } }>('query($s: String) { entities(filter: { source: $s }) { totalCount } }', { s: source })).entities.totalCount;
/** A record of this test's own that hostile input must leave alone (other files write the database meanwhile). */
async function canary(): Promise<() => Promise<number>> {
  const source = unique('canary');
  await api.data(SYNC, { input: { source, assets: { owners: [{ externalId: 'o', name: 'Canary' }], datasets: [{ externalId: 'd', name: 'Canary data' }] } } });
  return () => countSource(source);
}

test('Cypher-injection strings in every string field and filter are stored and matched as plain text', async () => {
  const source = unique('inject');
  const text = (i: number) => INJECTIONS[i % INJECTIONS.length];
  const strings = (i: number) => ({ description: text(i + 1), tags: [text(i + 2), text(i + 3)] });
  const input = {
    source,
    assets: {
      aiModels: [{ externalId: text(0), name: text(1), ...strings(0), modelVersion: text(2), task: text(3) }],
      datasets: [{ externalId: text(1), name: text(2), ...strings(1), location: text(4) }],
      vendors: [{ externalId: text(2), name: text(3), ...strings(2), services: INJECTIONS, contractReference: text(5), dataProcessingTerms: text(6), dataResidency: text(7) }],
      agents: [{ externalId: text(3), name: text(4), ...strings(3), allowedTools: INJECTIONS, allowedActions: INJECTIONS }],
      decisions: [{ externalId: text(4), name: text(5), ...strings(4), affectedParties: INJECTIONS, businessProcess: text(0) }],
      owners: [{ externalId: text(5), name: text(6), ...strings(5), email: text(1), role: text(2) }],
      risks: [{ externalId: text(6), name: text(7), ...strings(6) }],
      incidents: [{ externalId: text(7), name: text(0), ...strings(7), playbook: text(3), postIncidentReview: text(4) }],
      controls: [{ externalId: text(0), name: text(1), ...strings(0) }],
      evidence: [{ externalId: text(1), name: text(2), ...strings(1), uri: text(5) }],
    },
    relationships: [{ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: text(0) }, to: { type: 'Dataset', externalId: text(1) }, properties: { [text(3)]: text(4) } }],
  };
  const survivors = await canary();
  const result = await api.data(SYNC, { input });
  expect(result.syncInventory).toMatchObject({ ok: true, assets: { created: 10 }, relationships: { created: 1 } });
  expect(await countSource(source)).toBe(10);
  expect(await survivors()).toBe(2);

  const stored = await api.data('query($s: String!, $x: String!) { entityByKey(type: Vendor, source: $s, externalId: $x) { name description tags ... on Vendor { services dataResidency } } }', {
    s: source,
    x: text(2),
  });
  expect(stored.entityByKey).toEqual({ name: text(3), description: text(3), tags: [text(4), text(5)], services: INJECTIONS, dataResidency: text(7) });

  for (const injection of INJECTIONS) {
    const filtered = await api.execute('query($f: EntityFilter) { entities(filter: $f) { totalCount } }', { f: { text: injection, source: injection, tag: injection, ownerId: injection, vendorId: injection, status: [injection] } });
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data).toEqual({ entities: { totalCount: 0 } });
  }
  const byText = await api.data('query($s: String, $t: String) { entities(filter: { source: $s, text: $t }) { totalCount } }', { s: source, t: 'DETACH DELETE' });
  expect(byText.entities.totalCount).toBeGreaterThan(0);
});

test('control characters, oversized lists and ids of the wrong type are refused with coded errors', async () => {
  const source = unique('hostile');
  const control = await api.execute(SYNC, { input: { source, assets: { owners: [{ externalId: 'o\u0000', name: 'bell\u0007' }], datasets: [{ externalId: 'd', name: 'd', description: 'esc \u001b[31m' }] } } });
  const problems = control.errors?.[0].extensions?.problems as Array<{ path: string }>;
  expect(problems.map((problem) => problem.path)).toEqual(['assets.datasets[0].description', 'assets.owners[0].externalId', 'assets.owners[0].name']);

  const hugeList = await api.execute(SYNC, { input: { source, assets: { datasets: [{ externalId: 'd', name: 'd', tags: Array.from({ length: 5_000 }, (_, i) => `t${i}`) }] } } });
  expect(hugeList.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await countSource(source)).toBe(0);

  await api.data(SYNC, { input: { source, assets: { datasets: [{ externalId: 'd', name: 'd' }], aiModels: [{ externalId: 'm', name: 'm' }] } } });
  const ids = await api.data('query($s: String) { entities(filter: { source: $s }) { nodes { id __typename } } }', { s: source });
  const datasetId = ids.entities.nodes.find((node: { __typename: string }) => node.__typename === 'Dataset').id;
  const wrongType = await api.execute('mutation($a: ID!, $b: ID!) { link(type: TRAINED_ON, fromId: $a, toId: $b) { created } }', { a: datasetId, b: datasetId });
  expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const numericId = await post({ query: '{ node(id: 42) { id } }' });
  expect(numericId).toEqual({ status: 200, body: { data: { node: null } } });
  const notAnInt = await post({ query: '{ aiModels(first: "ten") { totalCount } }' });
  expect(notAnInt.status).toBe(400);
  expect(notAnInt.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

const ENTITY_TYPES = ['AIModel', 'Dataset', 'Vendor', 'Agent', 'Decision', 'Owner', 'Risk', 'Incident', 'Control', 'Evidence', 'Tool', 'Nonsense'];
const RELATIONSHIP_TYPES = ['DERIVED_FROM', 'TRAINED_ON', 'BASED_ON', 'PROVIDED_BY', 'USES_MODEL', 'INFORMS', 'OWNED_BY', 'THREATENS', 'SUPPORTS', 'LOVES'];
const anyText = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...INJECTIONS), fc.string({ unit: 'binary', maxLength: 12 }), fc.constant(''));

/** Payloads mixing valid and invalid records, values and relationships. */
const payloads = fc.record({
  datasets: fc.array(
    fc.record(
      {
        externalId: fc.oneof(fc.constantFrom('a', 'b', 'c'), anyText),
        name: anyText,
        kind: fc.constantFrom('TRAINING', 'EVALUATION', 'LOG', 'BOGUS'),
        recordCount: fc.integer({ min: -5, max: 2 ** 31 - 1 }),
        tags: fc.array(anyText, { maxLength: 3 }),
        containsPersonalData: fc.boolean(),
      },
      { requiredKeys: ['externalId', 'name'] },
    ),
    { maxLength: 5 },
  ),
  risks: fc.array(
    fc.record({ externalId: fc.constantFrom('r1', 'r2'), name: anyText, likelihood: fc.integer({ min: -1, max: 7 }), category: fc.constantFrom('PROMPT_INJECTION', 'HALLUCINATION', 'NOPE') }, { requiredKeys: ['externalId', 'name'] }),
    { maxLength: 3 },
  ),
  relationships: fc.array(
    fc.record({
      type: fc.constantFrom(...RELATIONSHIP_TYPES),
      from: fc.record({ type: fc.constantFrom(...ENTITY_TYPES), externalId: fc.constantFrom('a', 'b', 'c', 'r1', 'missing') }),
      to: fc.record({ type: fc.constantFrom(...ENTITY_TYPES), externalId: fc.constantFrom('a', 'b', 'c', 'r2', 'missing') }),
      properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 })), { maxKeys: 2 }),
    }),
    { maxLength: 4 },
  ),
  mode: fc.constantFrom('UPSERT', 'REPLACE', 'SIDEWAYS'),
  dryRun: fc.boolean(),
});

test('property: random valid and invalid sync payloads never give a 5xx, and a rejected one writes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(payloads, async ({ datasets, risks, relationships, mode, dryRun }) => {
      const source = unique('prop');
      const { status, body } = await post({ query: SYNC, variables: { input: { source, mode, dryRun, assets: { datasets, risks }, relationships } } });
      expect(status).toBeLessThan(500);
      for (const error of body.errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      if (body.errors || dryRun || body.data?.syncInventory?.ok === false) {
        expect(await countSource(source)).toBe(0);
      } else {
        expect(body.data.syncInventory.ok).toBe(true);
      }
    }),
    { numRuns: 60, seed: 20261124 },
  );
});

const FIELDS = ['id', 'name', '__typename', 'nodes', 'edges', 'node', 'totalCount', 'trainedOn', 'owners', 'informs', 'relationships', 'history', 'bogus', 'status', 'count'];
const ROOTS = ['aiModels', 'datasets', 'entities', 'node(id: "x")', 'impact(id: "x")', 'lineage(id: "x", maxDepth: 99)', 'coverage(framework: "nope")', 'exposure', 'caller', 'frameworks', 'unknownRoot'];
const selection: fc.Memo<string> = fc.memo((depth) =>
  depth <= 1
    ? fc.constantFrom(...FIELDS)
    : fc.oneof(fc.constantFrom(...FIELDS), fc.tuple(fc.constantFrom(...FIELDS), fc.array(selection(depth - 1), { minLength: 1, maxLength: 3 })).map(([field, inner]) => `${field} { ${inner.join(' ')} }`)),
);
const documents = fc.oneof(
  fc.tuple(fc.constantFrom(...ROOTS), fc.array(selection(6), { minLength: 1, maxLength: 3 })).map(([root, inner]) => `{ ${root} { ${inner.join(' ')} } }`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('{', '}}}', 'query { ...F } fragment F on Query { ...F }', 'mutation { deleteEntity(id: "x") { id } }', 'subscription { x }'),
);

test('property: random valid and invalid documents never give a 5xx or an unmasked error', async () => {
  const survivors = await canary();
  await fc.assert(
    fc.asyncProperty(documents, async (query) => {
      const { status, body } = await post({ query });
      expect(status).toBeLessThan(500);
      expect(body.data !== undefined || body.errors !== undefined).toBe(true);
      for (const error of body.errors ?? []) {
        expect(error.extensions?.code).toBeDefined();
        expect(JSON.stringify(error)).not.toMatch(/stacktrace|Neo4jError|MATCH \(/);
      }
    }),
    { numRuns: 150, seed: 42 },
  );
  expect(await survivors()).toBe(2);
});
