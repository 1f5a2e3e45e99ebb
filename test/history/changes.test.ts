import { createTestApi, TestApi, unique } from '../support/api';
import { ref, timeline } from '../support/timeline';

/**
 * changes(from, to) is the net difference of two states: steps at real instants (each taken after
 * the step returned; the next starts 2 ms later) change records and relationships, change some back,
 * and create and delete others inside a window; each window must list exactly what differs between
 * its two ends. Every question names this test's source: other tests write meanwhile.
 */

let api: TestApi;
let source: string;
let otherSource: string;
const { instants: t, step } = timeline();
const ids: Record<string, string> = {};


const SYNC = `mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok errors { path message } } }`;
const derived = (transformation: string) => ({ type: 'DERIVED_FROM', from: ref('Dataset', 'd2'), to: ref('Dataset', 'd1'), properties: { transformation } });
const update = (id: string, patch: string) => api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: ${patch}) { id } }`, { id });
const remove = (id: string) => api.data(`mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }`, { id });
const link = (action: 'link' | 'unlink', from: string, to: string) =>
  api.data(`mutation($from: ID!, $to: ID!) { ${action}(type: TRAINED_ON, fromId: $from, toId: $to) { __typename } }`, { from, to });

beforeAll(async () => {
  api = await createTestApi();
  source = unique('changes');
  otherSource = unique('changes-other');
  await step(async () => {
    await api.data(SYNC, {
      input: {
        source,
        assets: {
          aiModels: [{ externalId: 'm1', name: 'Alpha', riskTier: 'MINIMAL' }, { externalId: 'm2', name: 'Beta' }],
          datasets: [{ externalId: 'd1', name: 'Raw' }, { externalId: 'd2', name: 'Clean' }],
        },
        relationships: [derived('dedupe')],
      },
    });
    await api.data(SYNC, { input: { source: otherSource, assets: { aiModels: [{ externalId: 'x', name: 'Other' }] } } });
  });
  for (const from of [source, otherSource]) {
    const { entities } = await api.data(`query($source: String!) { entities(filter: { source: $source }) { nodes { id externalId } } }`, { source: from });
    for (const node of entities.nodes) ids[node.externalId] = node.id;
  }
  // t1: Alpha re-rated; Beta trained on Raw; the other source's record renamed.
  await step(async () => {
    await update(ids.m1, '{ fields: { riskTier: "HIGH" } }');
    await link('link', ids.m2, ids.d1);
    await update(ids.x, '{ name: "Other two" }');
  });
  // t2: Alpha rated back; Clean derived differently; Gamma created.
  await step(async () => {
    await update(ids.m1, '{ fields: { riskTier: "MINIMAL" } }');
    await api.data(SYNC, { input: { source, relationships: [derived('mask')] } });
    ids.m3 = (await api.data(`mutation($source: String!) { createAIModel(input: { externalId: "m3", name: "Gamma" }, source: $source) { id } }`, { source })).createAIModel.id;
  });
  // t3: Gamma deleted; Beta no longer trained on Raw, and renamed.
  await step(async () => {
    await remove(ids.m3);
    await link('unlink', ids.m2, ids.d1);
    await update(ids.m2, '{ name: "Beta two" }');
  });
  // t4: Clean deleted, and with it its derivation.
  await step(() => remove(ids.d2));
});
afterAll(() => api.close());

const CHANGES = `query($from: DateTime!, $to: DateTime!, $source: String, $types: [EntityType!], $first: Int, $after: String) {
  changes(from: $from, to: $to, source: $source, types: $types, first: $first, after: $after) {
    edges { cursor }
    nodes {
      __typename kind fields { field before after }
      ... on RecordChange { id entityType before { name } after { name } }
      ... on RelationshipChange { relationshipType fromId toId before { properties from { name } to { name } } after { properties other { name } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Listed {
  __typename: string;
  kind: string;
  id?: string;
  fromId?: string;
  toId?: string;
  entityType?: string;
  relationshipType?: string;
  fields: Array<{ field: string; before: unknown; after: unknown }>;
  [field: string]: unknown;
}

async function changes(from: Date, to: Date, extra: Record<string, unknown> = {}): Promise<Listed[]> {
  const { changes: page } = await api.data(CHANGES, { from: from.toISOString(), to: to.toISOString(), source, first: 100, ...extra });
  expect(page.pageInfo.hasNextPage).toBe(false);
  return page.nodes;
}

/** A change as "KIND what": a record by its external id, a relationship by its ends' external ids. */
function summary(change: Listed): string {
  const name = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;
  return change.__typename === 'RecordChange' ? `${change.kind} ${name(change.id!)}` : `${change.kind} ${name(change.fromId!)} ${change.relationshipType} ${name(change.toId!)}`;
}
const summaries = async (from: Date, to: Date, extra: Record<string, unknown> = {}) => (await changes(from, to, extra)).map(summary).sort();

test('a window lists what differs between its two ends, with the fields before and after', async () => {
  const first = await changes(t[0], t[1]);
  expect(first.map(summary).sort()).toEqual(['ADDED m2 TRAINED_ON d1', 'CHANGED m1']);
  expect(first.find((change) => change.id === ids.m1)).toEqual({
    __typename: 'RecordChange',
    kind: 'CHANGED',
    id: ids.m1,
    entityType: 'AIModel',
    fields: [{ field: 'riskTier', before: 'MINIMAL', after: 'HIGH' }],
    before: { name: 'Alpha' },
    after: { name: 'Alpha' },
  });
  expect(first.find((change) => change.fromId === ids.m2)).toMatchObject({ kind: 'ADDED', relationshipType: 'TRAINED_ON', before: null, after: { properties: {}, other: { name: 'Raw' } } });

  const second = await changes(t[1], t[3]);
  expect(second.map(summary).sort()).toEqual(['CHANGED d2 DERIVED_FROM d1', 'CHANGED m1', 'CHANGED m2', 'REMOVED m2 TRAINED_ON d1']);
  expect(second.find((change) => change.relationshipType === 'DERIVED_FROM')).toMatchObject({
    fields: [{ field: 'transformation', before: 'dedupe', after: 'mask' }],
    before: { properties: { transformation: 'dedupe' }, from: { name: 'Clean' }, to: { name: 'Raw' } },
    after: { properties: { transformation: 'mask' }, other: { name: 'Raw' } },
  });
  expect(second.find((change) => change.id === ids.m2)).toMatchObject({ fields: [{ field: 'name', before: 'Beta', after: 'Beta two' }] });
});

test('the difference is net: changed back, or created and deleted inside the window, is not listed', async () => {
  // Alpha went HIGH and back; Gamma was created at t2 and deleted at t3; Beta's link came and went.
  expect(await summaries(t[0], t[2])).toEqual(['ADDED m2 TRAINED_ON d1', 'ADDED m3', 'CHANGED d2 DERIVED_FROM d1']);
  expect(await summaries(t[0], t[3])).toEqual(['CHANGED d2 DERIVED_FROM d1', 'CHANGED m2']);
  expect(await summaries(t[0], t[4])).toEqual(['CHANGED m2', 'REMOVED d2', 'REMOVED d2 DERIVED_FROM d1']);
  const removed = (await changes(t[3], t[4])).find((change) => change.id === ids.d2)!;
  expect(removed).toMatchObject({ kind: 'REMOVED', before: { name: 'Clean' }, after: null });
  expect(removed.fields).toContainEqual({ field: 'name', before: 'Clean', after: null });
  expect(await changes(t[2], t[2])).toEqual([]);
});

test('source and types narrow the list', async () => {
  expect(await summaries(t[0], t[1], { source: otherSource })).toEqual(['CHANGED x']);
  expect(await summaries(t[0], t[4], { types: ['Dataset'] })).toEqual(['REMOVED d2', 'REMOVED d2 DERIVED_FROM d1']);
  expect(await summaries(t[1], t[3], { types: ['AIModel'] })).toEqual(['CHANGED m1', 'CHANGED m2', 'REMOVED m2 TRAINED_ON d1']);
});

test('pages follow one another from their cursors: records by id, then relationships', async () => {
  const all = await changes(t[1], t[4]);
  const walked: Listed[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page += 1) {
    const { changes: got }: { changes: { nodes: Listed[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await api.data(CHANGES, { from: t[1].toISOString(), to: t[4].toISOString(), source, first: 2, after });
    walked.push(...got.nodes);
    if (!got.pageInfo.hasNextPage) break;
    after = got.pageInfo.endCursor;
  }
  expect(walked).toEqual(all);
  expect(all.map((change) => change.__typename)).toEqual(['RecordChange', 'RecordChange', 'RecordChange', 'RelationshipChange', 'RelationshipChange']);
  const recordIds = all.filter((change) => change.id).map((change) => change.id!);
  expect(recordIds).toEqual([...recordIds].sort());
});

test('instants in the future, before the first record or in the wrong order, and mangled cursors, are BAD_USER_INPUT', async () => {
  const future = new Date(Date.now() + 3_600_000);
  for (const variables of [
    { from: t[0].toISOString(), to: future.toISOString() },
    { from: '1970-01-01T00:00:00Z', to: t[0].toISOString() },
    { from: t[2].toISOString(), to: t[1].toISOString() },
    { from: t[0].toISOString(), to: t[1].toISOString(), after: 'bm90IGEgY3Vyc29y' },
    { from: t[0].toISOString(), to: t[1].toISOString(), first: -1 },
  ]) {
    const result = await api.execute(CHANGES, { source, ...variables });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});
