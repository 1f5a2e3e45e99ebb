import { createTestApi, TestApi, unique } from '../support/api';

/** Nothing is erased by normal operation: what unlink, REPLACE and delete remove stays as history. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const SYNC = `mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok errors { path message } assets { created updated unchanged deleted } relationships { created updated unchanged deleted } } }`;
const BY_KEY = `query($type: EntityType!, $source: String!, $externalId: String!) { entityByKey(type: $type, source: $source, externalId: $externalId) { id name version relationships { type from { id } to { id } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id } }`;

const estate = (source: string, modelName: string, withLink = true) => ({
  source,
  mode: 'REPLACE',
  assets: { aiModels: [{ externalId: 'model', name: modelName }], datasets: [{ externalId: 'labels', name: 'Labels' }] },
  relationships: withLink ? [{ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'model' }, to: { type: 'Dataset', externalId: 'labels' } }] : [],
});

async function historyOf(id: string): Promise<Array<{ action: string; at: string; recordedAt: string | null }>> {
  return (await api.data(`query($id: ID!) { history(id: $id) { action at recordedAt } }`, { id })).history;
}

test('a record deleted by REPLACE and sent again comes back under its id, with its history, and its key is free meanwhile', async () => {
  const source = unique('history');
  await api.data(SYNC, { input: estate(source, 'Scorer') });
  const { entityByKey: first } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });

  const removed = await api.data(SYNC, { input: { source, mode: 'REPLACE', assets: { datasets: [{ externalId: 'labels', name: 'Labels' }] } } });
  expect(removed.syncInventory).toMatchObject({ ok: true, assets: { deleted: 1 }, relationships: { deleted: 1 } });
  expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey).toBeNull();
  expect((await api.data(NODE, { id: first.id })).node).toBeNull();
  const listed = await api.data(`query($source: String!) { aiModels(filter: { source: $source }) { totalCount nodes { id } } entities(filter: { source: $source }) { totalCount } }`, { source });
  expect(listed).toEqual({ aiModels: { totalCount: 0, nodes: [] }, entities: { totalCount: 1 } });
  // What is gone is not stale again: a second REPLACE removes nothing more.
  const again = await api.data(SYNC, { input: { source, mode: 'REPLACE', assets: { datasets: [{ externalId: 'labels', name: 'Labels' }] } } });
  expect(again.syncInventory).toMatchObject({ assets: { deleted: 0, unchanged: 1 }, relationships: { deleted: 0 } });

  const back = await api.data(SYNC, { input: estate(source, 'Scorer v2') });
  expect(back.syncInventory).toMatchObject({ ok: true, assets: { created: 1, unchanged: 1 }, relationships: { created: 1 } });
  const { entityByKey: revived } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });
  expect(revived).toMatchObject({ id: first.id, name: 'Scorer v2', relationships: [{ type: 'TRAINED_ON', from: { id: first.id } }] });
  expect(revived.version).toBeGreaterThan(first.version);
  expect((await historyOf(first.id)).map((event) => event.action)).toEqual(['LINK', 'CREATE', 'DELETE', 'UNLINK', 'LINK', 'CREATE']);
});

test('createEntity revives a deleted record of the same key; a second create is a CONFLICT', async () => {
  const externalId = unique('x');
  const create = `mutation($input: AIModelInput!) { createAIModel(input: $input) { id name } }`;
  const { createAIModel: first } = await api.data(create, { input: { externalId, name: 'First' } });
  await api.data(`mutation($id: ID!) { deleteEntity(id: $id) { id } }`, { id: first.id });
  const { createAIModel: second } = await api.data(create, { input: { externalId, name: 'Second' } });
  expect(second).toEqual({ id: first.id, name: 'Second' });
  const third = await api.execute(create, { input: { externalId, name: 'Third' } });
  expect(third.errors?.[0].extensions?.code).toBe('CONFLICT');
});

test('unlink and cascade delete end relationships without listing them as current', async () => {
  const source = unique('history');
  await api.data(SYNC, { input: { ...estate(source, 'Scorer'), mode: 'UPSERT' } });
  const { entityByKey: model } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });
  const datasetId = model.relationships[0].to.id;
  await api.data(`mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }`, { from: model.id, to: datasetId });
  expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey.relationships).toEqual([]);
  await api.data(`mutation($from: ID!, $to: ID!) { link(type: TRAINED_ON, fromId: $from, toId: $to) { created } }`, { from: model.id, to: datasetId });
  const relinked = (await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey;
  expect(relinked.relationships).toEqual([{ type: 'TRAINED_ON', from: { id: model.id }, to: { id: datasetId } }]);
  // The ended link does not count as one the record still holds.
  await api.data(`mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { relationshipsRemoved } }`, { id: datasetId });
  expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey.relationships).toEqual([]);
});

test('a dated sync records when the change took effect, and may not go behind a newer change', async () => {
  const source = unique('history');
  const october = new Date(Date.now() - 40 * 86_400_000);
  const dated = await api.data(SYNC, { input: { ...estate(source, 'Scorer'), at: october.toISOString() } });
  expect(dated.syncInventory.ok).toBe(true);
  const { entityByKey: model } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });
  const events = await historyOf(model.id);
  expect(events.map((event) => event.at)).toEqual([october.toISOString(), october.toISOString()]);
  expect(Date.parse(events[0].recordedAt!)).toBeGreaterThan(Date.now() - 60_000);

  await api.data(SYNC, { input: estate(source, 'Scorer, now') });
  const behind = await api.execute(SYNC, { input: { ...estate(source, 'Scorer, backdated'), at: new Date(october.getTime() + 86_400_000).toISOString() } });
  expect(behind.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(behind.errors?.[0].extensions?.problems)).toMatch(/only appended/);
  const future = await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), at: new Date(Date.now() + 3_600_000).toISOString() } });
  expect(future.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey.name).toBe('Scorer, now');
});

test('a REPLACE that stops sending a relationship ends it, and sending it again starts it anew', async () => {
  const source = unique('history');
  await api.data(SYNC, { input: estate(source, 'Scorer') });
  const withdrawn = await api.data(SYNC, { input: estate(source, 'Scorer', false) });
  expect(withdrawn.syncInventory).toMatchObject({ ok: true, assets: { unchanged: 2 }, relationships: { deleted: 1 } });
  expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey.relationships).toEqual([]);
  const relinked = await api.data(SYNC, { input: estate(source, 'Scorer') });
  expect(relinked.syncInventory).toMatchObject({ ok: true, relationships: { created: 1 } });
});

test('a dated sync may not start a relationship again at an instant before it last ended', async () => {
  const source = unique('history');
  const day = 86_400_000;
  await api.data(SYNC, { input: { ...estate(source, 'Scorer'), at: new Date(Date.now() - 40 * day).toISOString() } });
  const { entityByKey: model } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });
  await api.data(`mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }`, { from: model.id, to: model.relationships[0].to.id });
  const overlapping = await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), mode: 'UPSERT', at: new Date(Date.now() - 20 * day).toISOString() } });
  expect(overlapping.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(overlapping.errors?.[0].extensions?.problems)).toMatch(/TRAINED_ON .* ended after at/);
  const now = await api.data(SYNC, { input: { ...estate(source, 'Scorer'), mode: 'UPSERT' } });
  expect(now.syncInventory).toMatchObject({ ok: true, relationships: { created: 1 } });
});

describe('a dated sync is a sync: roles, another source, two callers at once, hostile instants', () => {
  const day = 86_400_000;
  const viewer = { name: 'key:viewer', kind: 'apiKey', role: 'VIEWER' } as const;
  const syncKey = (source: string) => ({ name: 'key:sync', kind: 'apiKey', role: 'SYNC', source }) as const;
  const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

  test('a viewer and another source\'s key are refused and write nothing; the source\'s own key may date', async () => {
    const source = unique('history');
    const at = new Date(Date.now() - 10 * day).toISOString();
    expect(code(await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), at } }, viewer))).toBe('FORBIDDEN');
    expect(code(await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), at } }, syncKey(unique('elsewhere'))))).toBe('FORBIDDEN');
    expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey).toBeNull();
    const own = await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), at } }, syncKey(source));
    expect(own.errors).toBeUndefined();
    const { entityByKey } = await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' });
    expect((await historyOf(entityByKey.id)).map((event) => event.at)).toContain(at);
  });

  test('two dated calls at once on one source: both apply in turn, or the one behind is refused whole', async () => {
    const source = unique('history');
    await api.data(SYNC, { input: { ...estate(source, 'Start'), at: new Date(Date.now() - 30 * day).toISOString() } });
    const [early, late] = await Promise.all([
      api.execute(SYNC, { input: { ...estate(source, 'Early'), at: new Date(Date.now() - 20 * day).toISOString() } }),
      api.execute(SYNC, { input: { ...estate(source, 'Late'), at: new Date(Date.now() - 10 * day).toISOString() } }),
    ]);
    expect(late.errors).toBeUndefined();
    // Had the later call won the source's lock, the earlier one would have gone behind it.
    expect([undefined, 'BAD_USER_INPUT']).toContain(code(early));
    expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey.name).toBe('Late');
  });

  test.each([
    ['not a date', 'yesterday'],
    ['an impossible date', '2026-02-30T00:00:00Z'],
    ['control characters', '2026-10-01T00:00:00Z\u0000\u001b'],
    ['a number', 12],
    ['an empty string', ''],
  ])('at as %s is a coded input error and writes nothing', async (_what, at) => {
    const source = unique('history');
    const result = await api.execute(SYNC, { input: { ...estate(source, 'Scorer'), at } });
    expect(result.errors?.[0].extensions?.code).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
    expect((await api.data(BY_KEY, { type: 'AIModel', source, externalId: 'model' })).entityByKey).toBeNull();
  });
});
