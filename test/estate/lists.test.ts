import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

/**
 * Lists against an in-memory model of the records they should return: every filter, with and
 * without a type, read a page at a time and in one page. Each case is a different path through
 * the list (the typed and untyped page queries, the count query, the first page that counts its
 * own rows), so a filter that drifts between them shows here as a wrong page or a wrong total.
 */

type Row = { type: string; externalId: string; name: string; description?: string; tags?: string[]; [property: string]: unknown };

let api: TestApi;
let source: string;
let token: string;
const rows: Array<Row & { id: string; owned: boolean; provided: boolean }> = [];
let ownerId: string;
let vendorId: string;

beforeAll(async () => {
  api = await createTestApi();
  source = unique('lists');
  token = unique('token');
  const records: Record<string, Row[]> = {
    aiModels: [
      // Two records of one name: their order, and a page boundary between them, come from the id.
      { type: 'AIModel', externalId: 'm1', name: 'Scorer', riskTier: 'HIGH', status: 'ACTIVE', lifecycleStage: 'DEPLOYED', tags: ['credit'] },
      { type: 'AIModel', externalId: 'm2', name: 'Scorer', riskTier: 'MINIMAL', status: 'COMPROMISED', lifecycleStage: 'TRAINING' },
      { type: 'AIModel', externalId: 'm3', name: 'alpha chat', riskTier: 'HIGH', status: 'ACTIVE', description: `Mentions ${token}`, tags: ['credit', 'chat'] },
      { type: 'AIModel', externalId: 'm4', name: 'Beta ranker', riskTier: 'LIMITED', status: 'INACTIVE', lifecycleStage: 'DEPLOYED' },
      { type: 'AIModel', externalId: `m5-${token}`, name: 'Zeta', status: 'ACTIVE' },
    ],
    datasets: [
      { type: 'Dataset', externalId: 'd1', name: 'Scorer data', status: 'ACTIVE', tags: ['credit'] },
      { type: 'Dataset', externalId: 'd2', name: 'Alpha set', status: 'INACTIVE', description: 'A SCORER sample' },
    ],
    risks: [
      { type: 'Risk', externalId: 'r1', name: 'Injection', category: 'PROMPT_INJECTION', status: 'TREATING' },
      { type: 'Risk', externalId: 'r2', name: 'Leak', category: 'PROMPT_DATA_LEAKAGE', status: 'ASSESSED' },
    ],
    incidents: [
      { type: 'Incident', externalId: 'i1', name: 'Outage', severity: 'HIGH', status: 'OPEN' },
      { type: 'Incident', externalId: 'i2', name: 'Outage', severity: 'LOW', status: 'RESOLVED' },
    ],
    controls: [
      { type: 'Control', externalId: 'c1', name: 'Filter', implementationStatus: 'IMPLEMENTED' },
      { type: 'Control', externalId: 'c2', name: 'Review', implementationStatus: 'PLANNED', tags: ['credit'] },
    ],
    owners: [{ type: 'Owner', externalId: 'o', name: 'Team' }],
    vendors: [{ type: 'Vendor', externalId: 'v', name: 'Vendor' }],
  };
  const owned = new Set(['AIModel|m1', 'AIModel|m3', 'Dataset|d1']);
  const provided = new Set(['AIModel|m2', 'AIModel|m4']);
  const link = (type: string, keys: Set<string>, to: { type: string; externalId: string }) =>
    [...keys].map((key) => ({ type, from: { type: key.split('|')[0], externalId: key.split('|')[1] }, to }));
  await api.data(SYNC, {
    input: {
      source,
      assets: Object.fromEntries(Object.entries(records).map(([field, items]) => [field, items.map(({ type: _type, ...item }) => item)])),
      relationships: [...link('OWNED_BY', owned, { type: 'Owner', externalId: 'o' }), ...link('PROVIDED_BY', provided, { type: 'Vendor', externalId: 'v' })],
    },
  });
  for (const row of Object.values(records).flat()) {
    const { id } = (await api.data(KEY_LOOKUP, { type: row.type, source, externalId: row.externalId })).entityByKey;
    rows.push({ ...row, id, owned: owned.has(`${row.type}|${row.externalId}`), provided: provided.has(`${row.type}|${row.externalId}`) });
  }
  ownerId = rows.find((row) => row.type === 'Owner')!.id;
  vendorId = rows.find((row) => row.type === 'Vendor')!.id;
});
afterAll(() => api.close());

type Filter = { source?: string; status?: string[]; riskTier?: string[]; lifecycleStage?: string[]; category?: string[]; severity?: string[]; tag?: string; text?: string; ownerId?: string; vendorId?: string };

/** What the list should hold, in its order: (name, id), compared as Neo4j compares strings. */
function expected(type: string | null, filter: Filter) {
  const oneOf = (value: unknown, allowed: string[] | undefined) => allowed === undefined || allowed.includes(value as string);
  return rows
    .filter((row) =>
      (type === null || row.type === type) &&
      (filter.source === undefined || filter.source === source) &&
      oneOf(type === 'Control' ? row.implementationStatus : row.status, filter.status) &&
      oneOf(row.riskTier, filter.riskTier) && oneOf(row.lifecycleStage, filter.lifecycleStage) &&
      oneOf(row.category, filter.category) && oneOf(row.severity, filter.severity) &&
      (filter.tag === undefined || (row.tags ?? []).includes(filter.tag)) &&
      (filter.text === undefined || [row.name, row.description ?? '', row.externalId].some((text) => text.toLowerCase().includes(filter.text!.toLowerCase()))) &&
      (filter.ownerId === undefined || (filter.ownerId === ownerId && row.owned)) &&
      (filter.vendorId === undefined || (filter.vendorId === vendorId && row.provided)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => row.id);
}

const LIST = `query($type: EntityType, $filter: EntityFilter, $first: Int, $after: String) {
  entities(type: $type, filter: $filter, first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
}`;

type ListData = { entities: { totalCount: number; nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** Reads the whole list `first` records at a time; returns the ids and the totals each page gave. */
async function walk(type: string | null, filter: Filter, first: number) {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page += 1) {
    const { entities }: ListData = await api.data(LIST, { type, filter, first, after });
    ids.push(...entities.nodes.map((node) => node.id));
    totals.push(entities.totalCount);
    expect(entities.nodes.length).toBeLessThanOrEqual(first);
    if (!entities.pageInfo.hasNextPage) return { ids, totals };
    expect(entities.nodes).toHaveLength(first);
    after = entities.pageInfo.endCursor;
  }
  throw new Error(`more than 20 pages for ${JSON.stringify({ type, filter })}`);
}

test('every filter, with and without a type, pages through exactly the records the model predicts, with the same total on every page', async () => {
  const filters: Filter[] = [
    { source },
    { source, status: ['ACTIVE'] },
    { source, status: ['IMPLEMENTED', 'OPEN'] },
    { source, riskTier: ['HIGH'] },
    { source, lifecycleStage: ['DEPLOYED'] },
    { source, category: ['PROMPT_INJECTION'] },
    { source, severity: ['HIGH', 'LOW'] },
    { source, tag: 'credit' },
    { source, text: 'scorer' },
    { text: token },
    { ownerId },
    { vendorId },
    { source, status: ['ACTIVE'], riskTier: ['HIGH'], tag: 'credit' },
    { source, text: 'nothing matches this' },
  ];
  let nonEmpty = 0;
  for (const filter of filters) {
    for (const type of [null, 'AIModel', 'Dataset', 'Risk', 'Incident', 'Control']) {
      const want = expected(type, filter);
      if (want.length > 0) nonEmpty += 1;
      const label = JSON.stringify({ type, filter });
      for (const first of [2, 50]) {
        const { ids, totals } = await walk(type, filter, first);
        expect({ label, first, ids }).toEqual({ label, first, ids: want });
        expect({ label, first, totals: [...new Set(totals)] }).toEqual({ label, first, totals: [want.length] });
      }
    }
  }
  // The model must not agree by returning nothing everywhere.
  expect(nonEmpty).toBeGreaterThan(30);
});

test('totalCount is counted only when selected, under any alias or fragment, and a first page that holds every match counts itself', async () => {
  const filter = { source };
  const models = expected('AIModel', filter).length;
  const run = async (query: string, variables: Record<string, unknown>) => {
    const result = await api.execute(query, { filter, ...variables });
    expect(result.errors).toBeUndefined();
    return { data: result.data as Record<string, any>, queries: result.context.db.queryCount };
  };
  const withoutTotal = `query($filter: EntityFilter, $first: Int) { aiModels(filter: $filter, first: $first) { nodes { id } } }`;
  const withTotal = `query($filter: EntityFilter, $first: Int, $after: String) { aiModels(filter: $filter, first: $first, after: $after) { totalCount nodes { id } pageInfo { endCursor } } }`;
  const inFragment = `query($filter: EntityFilter, $first: Int) { page: aiModels(filter: $filter, first: $first) { ...Counted } }
    fragment Counted on AIModelConnection { ... on AIModelConnection { total: totalCount } }`;

  expect((await run(withoutTotal, { first: 2 })).queries).toBe(1);
  expect(await run(withTotal, { first: 50 })).toMatchObject({ data: { aiModels: { totalCount: models } }, queries: 1 });
  const firstPage = await run(withTotal, { first: 2 });
  expect(firstPage).toMatchObject({ data: { aiModels: { totalCount: models } }, queries: 2 });
  expect(await run(withTotal, { first: 50, after: firstPage.data.aiModels.pageInfo.endCursor })).toMatchObject({ data: { aiModels: { totalCount: models } }, queries: 2 });
  expect(await run(inFragment, { first: 2 })).toMatchObject({ data: { page: { total: models } }, queries: 2 });
});
