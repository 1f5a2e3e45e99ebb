import { createTestApi, TestApi, unique } from '../support/api';
import { ref, timeline } from '../support/timeline';

/**
 * node, entityByKey and the lists `asOf` an instant, through a few steps that each change the
 * graph: a record renamed and re-rated (its place in name order moves), relationships unlinked and
 * linked, a record deleted and sent again, an owner and a vendor changing hands. The instant of each
 * step is taken after it returned, and the next starts 2 ms later, so every step is alone at its
 * instant. Records read at an instant answer their relationships and neighbours at it too.
 */

let api: TestApi;
let source: string;
/** After each step: t[0] after the first sync, ... */
const { instants: t, step } = timeline();
const ids: Record<string, string> = {};


const SYNC = `mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok errors { path message } } }`;

beforeAll(async () => {
  api = await createTestApi();
  source = unique('asof');
  // t0: Alpha (MINIMAL) trained on Data one, owned by the team; Beta provided by the vendor.
  await step(() =>
    api.data(SYNC, {
      input: {
        source,
        assets: {
          aiModels: [
            { externalId: 'm1', name: 'Alpha', riskTier: 'MINIMAL', tags: ['credit'] },
            { externalId: 'm2', name: 'Beta', riskTier: 'HIGH' },
          ],
          datasets: [{ externalId: 'd1', name: 'Data one' }],
          owners: [{ externalId: 'o', name: 'Team' }],
          vendors: [{ externalId: 'v', name: 'Vendor' }],
          evidence: [{ externalId: 'e', name: 'Report', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }],
        },
        relationships: [
          { type: 'TRAINED_ON', from: ref('AIModel', 'm1'), to: ref('Dataset', 'd1') },
          { type: 'OWNED_BY', from: ref('AIModel', 'm1'), to: ref('Owner', 'o') },
          { type: 'PROVIDED_BY', from: ref('AIModel', 'm2'), to: ref('Vendor', 'v') },
        ],
      },
    }),
  );
  const { entities } = await api.data(`query($source: String!) { entities(filter: { source: $source }) { nodes { id externalId } } }`, { source });
  for (const node of entities.nodes) ids[node.externalId] = node.id;
  // t1: Alpha becomes Zed (HIGH), moving after Beta in name order; the evidence's expiry passes.
  await step(async () => {
    await api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { name: "Zed", fields: { riskTier: "HIGH" } }) { id } }`, { id: ids.m1 });
    await api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { expiresAt: "2020-01-01T00:00:00Z" } }) { id } }`, { id: ids.e });
  });
  // t2: Zed is trained on Data two instead, and no longer owned.
  await step(async () => {
    ids.d2 = (await api.data(`mutation($source: String!) { createDataset(input: { externalId: "d2", name: "Data two" }, source: $source) { id } }`, { source })).createDataset.id;
    await api.data(`mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }`, { from: ids.m1, to: ids.d1 });
    await api.data(`mutation($from: ID!, $to: ID!) { unlink(type: OWNED_BY, fromId: $from, toId: $to) { removed } }`, { from: ids.m1, to: ids.o });
    await api.data(`mutation($from: ID!, $to: ID!) { link(type: TRAINED_ON, fromId: $from, toId: $to) { created } }`, { from: ids.m1, to: ids.d2 });
  });
  // t3: Beta is deleted, with its vendor link.
  await step(() => api.data(`mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }`, { id: ids.m2 }));
  // t4: Beta is sent again, renamed, without its vendor.
  await step(() => api.data(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'm2', name: 'Beta two', riskTier: 'HIGH' }] } } }));
});
afterAll(() => api.close());

const NODE = `query($id: ID!, $asOf: DateTime) {
  node(id: $id, asOf: $asOf) {
    ... on AIModel {
      id name riskTier version
      trainedOn { name trainedModels { name } }
      owners { name }
      providedBy { name }
      relationships { type direction other { name } from { name } to { name } }
    }
    ... on Evidence { id expired }
  }
}`;

const node = async (id: string, asOf: Date | null) => (await api.data(NODE, { id, asOf: asOf?.toISOString() ?? null })).node;

test('node(id, asOf) is the record as it was then, its neighbours and relationships too', async () => {
  expect(await node(ids.m1, t[0])).toEqual({
    id: ids.m1,
    name: 'Alpha',
    riskTier: 'MINIMAL',
    version: 1,
    trainedOn: [{ name: 'Data one', trainedModels: [{ name: 'Alpha' }] }],
    owners: [{ name: 'Team' }],
    providedBy: [],
    relationships: [
      { type: 'OWNED_BY', direction: 'OUTGOING', other: { name: 'Team' }, from: { name: 'Alpha' }, to: { name: 'Team' } },
      { type: 'TRAINED_ON', direction: 'OUTGOING', other: { name: 'Data one' }, from: { name: 'Alpha' }, to: { name: 'Data one' } },
    ],
  });
  expect(await node(ids.m1, t[1])).toMatchObject({ name: 'Zed', riskTier: 'HIGH', version: 2, trainedOn: [{ name: 'Data one', trainedModels: [{ name: 'Zed' }] }], owners: [{ name: 'Team' }] });
  const later = { name: 'Zed', trainedOn: [{ name: 'Data two', trainedModels: [{ name: 'Zed' }] }], owners: [], relationships: [{ type: 'TRAINED_ON', other: { name: 'Data two' } }] };
  expect(await node(ids.m1, t[2])).toMatchObject(later);
  // Now, without asOf, reads the same as at the last change.
  expect(await node(ids.m1, null)).toMatchObject(later);
  // Seen from the dataset at t0, the model's own name then.
  const dataset = await api.data(`query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on Dataset { name trainedModels { name } relationships { from { name } } } } }`, {
    id: ids.d1,
    asOf: t[0].toISOString(),
  });
  expect(dataset.node).toEqual({ name: 'Data one', trainedModels: [{ name: 'Alpha' }], relationships: [{ from: { name: 'Alpha' } }] });
});

test('a record that did not exist yet, or any more, is null; revived, it is itself again under its id', async () => {
  expect(await node(ids.d2, t[1])).toBeNull();
  expect(await node(ids.d2, t[2])).toMatchObject({});
  expect(await node(ids.m2, t[2])).toMatchObject({ name: 'Beta', providedBy: [{ name: 'Vendor' }] });
  expect(await node(ids.m2, t[3])).toBeNull();
  expect(await node(ids.m2, t[4])).toMatchObject({ id: ids.m2, name: 'Beta two', providedBy: [] });
  const vendor = await api.data(`query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on Vendor { models { name } } } }`, { id: ids.v, asOf: t[2].toISOString() });
  expect(vendor.node).toEqual({ models: [{ name: 'Beta' }] });
});

test('entityByKey(..., asOf) finds the record its key named then', async () => {
  const BY_KEY = `query($source: String!, $asOf: DateTime) { entityByKey(type: AIModel, source: $source, externalId: "m2", asOf: $asOf) { id name } }`;
  const at = async (instant: Date) => (await api.data(BY_KEY, { source, asOf: instant.toISOString() })).entityByKey;
  expect(await at(t[0])).toEqual({ id: ids.m2, name: 'Beta' });
  expect(await at(t[3])).toBeNull();
  expect(await at(t[4])).toEqual({ id: ids.m2, name: 'Beta two' });
});

test('Evidence.expired is read at the instant asked', async () => {
  expect(await node(ids.e, t[0])).toEqual({ id: ids.e, expired: false });
  expect(await node(ids.e, t[1])).toEqual({ id: ids.e, expired: true });
});

const LIST = `query($filter: EntityFilter, $asOf: DateTime, $first: Int, $after: String) {
  aiModels(filter: $filter, asOf: $asOf, first: $first, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } }
}`;
const names = async (filter: Record<string, unknown>, asOf: Date) => (await api.data(LIST, { filter: { source, ...filter }, asOf: asOf.toISOString() })).aiModels;

test('lists asOf hold the records of then, filtered and ordered by their state then', async () => {
  expect(await names({}, t[0])).toMatchObject({ totalCount: 2, nodes: [{ name: 'Alpha' }, { name: 'Beta' }] });
  expect(await names({}, t[1])).toMatchObject({ totalCount: 2, nodes: [{ name: 'Beta' }, { name: 'Zed' }] });
  expect(await names({}, t[3])).toMatchObject({ totalCount: 1, nodes: [{ name: 'Zed' }] });
  expect(await names({}, t[4])).toMatchObject({ totalCount: 2, nodes: [{ name: 'Beta two' }, { name: 'Zed' }] });
  expect(await names({ riskTier: ['MINIMAL'] }, t[0])).toMatchObject({ nodes: [{ name: 'Alpha' }] });
  expect(await names({ riskTier: ['MINIMAL'] }, t[1])).toMatchObject({ nodes: [] });
  expect(await names({ tag: 'credit', text: 'alp' }, t[0])).toMatchObject({ nodes: [{ name: 'Alpha' }] });
  expect(await names({ ownerId: ids.o }, t[1])).toMatchObject({ nodes: [{ name: 'Zed' }] });
  expect(await names({ ownerId: ids.o }, t[2])).toMatchObject({ nodes: [] });
  expect(await names({ vendorId: ids.v }, t[2])).toMatchObject({ nodes: [{ name: 'Beta' }] });
  expect(await names({ vendorId: ids.v }, t[4])).toMatchObject({ nodes: [] });
  const all = await api.data(`query($source: String!, $asOf: DateTime) { entities(filter: { source: $source }, asOf: $asOf) { totalCount nodes { __typename name } } }`, {
    source,
    asOf: t[0].toISOString(),
  });
  expect(all.entities).toEqual({
    totalCount: 6,
    nodes: ['Alpha:AIModel', 'Beta:AIModel', 'Data one:Dataset', 'Report:Evidence', 'Team:Owner', 'Vendor:Vendor'].map((entry) => ({ name: entry.split(':')[0], __typename: entry.split(':')[1] })),
  });
});

test('lists asOf page from a cursor in their order then, the total counted on every page', async () => {
  const query = `query($source: String!, $asOf: DateTime, $after: String) {
    entities(filter: { source: $source }, asOf: $asOf, first: 2, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } }
  }`;
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page += 1) {
    type Page = { entities: { totalCount: number; nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const { entities }: Page = await api.data(query, { source, asOf: t[4].toISOString(), after });
    expect(entities.totalCount).toBe(7);
    seen.push(...entities.nodes.map((n) => n.name));
    if (!entities.pageInfo.hasNextPage) break;
    after = entities.pageInfo.endCursor;
  }
  expect(seen).toEqual(['Beta two', 'Data one', 'Data two', 'Report', 'Team', 'Vendor', 'Zed']);
});

test('an instant in the future or before the first record, or a mangled cursor, is BAD_USER_INPUT', async () => {
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const ancient = '1970-01-01T00:00:00Z';
  for (const asOf of [future, ancient]) {
    for (const [query, variables] of [
      [NODE, { id: ids.m1, asOf }],
      [`query($source: String!, $asOf: DateTime) { entityByKey(type: AIModel, source: $source, externalId: "m1", asOf: $asOf) { id } }`, { source, asOf }],
      [LIST, { filter: { source }, asOf }],
      [`query($asOf: DateTime) { entities(asOf: $asOf) { nodes { id } } }`, { asOf }],
    ] as const) {
      const result = await api.execute(query, variables);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  }
  const mangled = await api.execute(LIST, { filter: { source }, asOf: t[0].toISOString(), after: 'not-a-cursor' });
  expect(mangled.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test("a record read as of an instant has the history it had then", async () => {
  const HISTORY = `query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on AIModel { history { action at } } } }`;
  const at = async (instant: Date | null) => (await api.data(HISTORY, { id: ids.m1, asOf: instant?.toISOString() ?? null })).node.history as Array<{ at: string }>;
  const now = await at(null);
  const then = await at(t[1]);
  expect(then.length).toBeGreaterThan(0);
  expect(then.length).toBeLessThan(now.length);
  expect(then.every((event) => Date.parse(event.at) <= t[1].getTime())).toBe(true);
  expect(now.filter((event) => Date.parse(event.at) <= t[1].getTime())).toEqual(then);
});
