import { estateRepository } from '../../src/estate/estateRepository';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

/** Real concurrent calls (one Neo4j session each), never one after another. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const UPDATE = `mutation($id: ID!, $patch: EntityPatchInput!, $v: Int) { updateEntity(id: $id, patch: $patch, expectedVersion: $v) { version } }`;

async function newModel(source = unique('race')) {
  await api.data(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'm', name: 'Model', status: 'ACTIVE' }] } } });
  const { entityByKey } = await api.data(KEY_LOOKUP, { type: 'AIModel', source, externalId: 'm' });
  return entityByKey as { id: string; version: number };
}

const codes = (results: Array<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>) => results.map((result) => (result.errors ? String(result.errors[0].extensions?.code) : 'ok'));

test.each([1, 2, 3, 4, 5])('twenty concurrent updates of one version: exactly one wins, round %i', async () => {
  const model = await newModel();
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, writer) => api.execute<{ updateEntity: { version: number } }>(UPDATE, { id: model.id, patch: { description: `writer ${writer}` }, v: model.version })),
  );
  const outcomes = codes(results);
  expect(outcomes.filter((code) => code === 'ok')).toHaveLength(1);
  expect(outcomes.filter((code) => code === 'CONFLICT')).toHaveLength(19);
  for (const result of results.filter((r) => r.errors)) expect(result.errors![0].extensions?.currentVersion).toBe(model.version + 1);
  const { history } = await api.data('query($id: ID!) { history(id: $id) { action } }', { id: model.id });
  expect(history.filter((event: { action: string }) => event.action === 'UPDATE')).toHaveLength(1);
});

test('two writers with one version, forty trials: never both', async () => {
  const model = await newModel();
  let version = model.version;
  for (let trial = 0; trial < 40; trial += 1) {
    const results = await Promise.all([0, 1].map((writer) => api.execute<{ updateEntity: { version: number } }>(UPDATE, { id: model.id, patch: { description: `t${trial}w${writer}` }, v: version })));
    expect(codes(results).sort()).toEqual(['CONFLICT', 'ok']);
    version = results.find((result) => !result.errors)!.data!.updateEntity.version;
  }
  expect(version).toBe(model.version + 40);
});

test('a delete and an update of the same version: one wins, the other gets CONFLICT or NOT_FOUND', async () => {
  for (let trial = 0; trial < 10; trial += 1) {
    const model = await newModel();
    const [updated, deleted] = await Promise.all([
      api.execute(UPDATE, { id: model.id, patch: { description: 'edited' }, v: model.version }),
      api.execute('mutation($id: ID!, $v: Int) { deleteEntity(id: $id, expectedVersion: $v) { id } }', { id: model.id, v: model.version }),
    ]);
    const outcomes = codes([updated, deleted]);
    expect(outcomes.filter((code) => code === 'ok')).toHaveLength(1);
    expect(outcomes.every((code) => ['ok', 'CONFLICT', 'NOT_FOUND'].includes(code))).toBe(true);
  }
});

test('concurrent markCompromised calls on one asset open one status change each, never lose one', async () => {
  const model = await newModel();
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, index) =>
      api.execute('mutation($id: ID!, $reason: String!) { markCompromised(id: $id, reason: $reason) { entity { version } incident { id } } }', { id: model.id, reason: `finding ${index}` }),
    ),
  );
  expect(codes(results).every((code) => code === 'ok')).toBe(true);
  const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { version status incidents { id } } } }', { id: model.id });
  expect(node.status).toBe('COMPROMISED');
  // Only the first call changed the status; every call opened and linked its own incident.
  expect(node.version).toBe(model.version + 1);
  expect(node.incidents).toHaveLength(8);
});

describe('concurrent syncs of one source are serialisable', () => {
  const RECORDS = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => ({ externalId: `rr-${from + index}`, name: `Record ${from + index}` }));
  const count = async (source: string) => (await api.data('query($source: String!) { entities(filter: { source: $source }, first: 0) { totalCount } }', { source })).entities.totalCount as number;

  test.each([1, 2, 3, 4, 5])('REPLACE(0..99) racing UPSERT(150..299) from 0..199, try %i', async () => {
    const source = unique('serial');
    await api.data(SYNC, { input: { source, assets: { datasets: RECORDS(0, 200) } } });
    const [replace, upsert] = await Promise.all([
      api.execute<{ syncInventory: { assets: Record<string, number> } }>(SYNC, { input: { source, mode: 'REPLACE', assets: { datasets: RECORDS(0, 100) } } }),
      api.execute<{ syncInventory: { assets: Record<string, number> } }>(SYNC, { input: { source, mode: 'UPSERT', assets: { datasets: RECORDS(150, 300) } } }),
    ]);
    expect(replace.errors).toBeUndefined();
    expect(upsert.errors).toBeUndefined();
    const total = await count(source);
    const r = replace.data!.syncInventory.assets;
    const u = upsert.data!.syncInventory.assets;
    if (total === 250) {
      // REPLACE first: it deleted 100..199; the UPSERT then created all 150 of its records.
      expect(r).toMatchObject({ unchanged: 100, deleted: 100 });
      expect(u).toMatchObject({ created: 150, updated: 0, unchanged: 0 });
    } else {
      // UPSERT first: 50 of its records existed; the REPLACE then removed everything past 99.
      expect(total).toBe(100);
      expect(u).toMatchObject({ created: 100, unchanged: 50 });
      expect(r).toMatchObject({ unchanged: 100, deleted: 200 });
    }
  });

  test('two concurrent REPLACEs of one source both succeed, one after the other', async () => {
    const source = unique('serial');
    await api.data(SYNC, { input: { source, assets: { datasets: RECORDS(0, 200) } } });
    const results = await Promise.all([
      api.execute<{ syncInventory: { assets: Record<string, number> } }>(SYNC, { input: { source, mode: 'REPLACE', assets: { datasets: RECORDS(0, 50) } } }),
      api.execute<{ syncInventory: { assets: Record<string, number> } }>(SYNC, { input: { source, mode: 'REPLACE', assets: { datasets: RECORDS(100, 150) } } }),
    ]);
    expect(codes(results)).toEqual(['ok', 'ok']);
    const deleted = results.map((result) => result.data!.syncInventory.assets.deleted).sort((a, b) => a - b);
    // The first deletes the 150 records the payload leaves out; the second the other one's 50.
    expect(deleted).toEqual([50, 150]);
    expect(await count(source)).toBe(50);
  });

  test('a held source lock stops syncs of that source only', async () => {
    const [held, free] = [unique('held'), unique('free')];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const holder = api.app.gateway.writeTx(async (tx) => {
      await estateRepository.lockSource(tx, held, new Date().toISOString());
      taken();
      await released;
    });
    await lockTaken;
    let blockedFinished = false;
    const blocked = api.execute(SYNC, { input: { source: held, assets: { datasets: RECORDS(0, 1) } } }).finally(() => (blockedFinished = true));
    const other = await api.execute(SYNC, { input: { source: free, assets: { datasets: RECORDS(0, 1) } } });
    expect(other.errors).toBeUndefined();
    expect(blockedFinished).toBe(false);
    release();
    await holder;
    expect((await blocked).errors).toBeUndefined();
    expect(await count(held)).toBe(1);
  });
});
