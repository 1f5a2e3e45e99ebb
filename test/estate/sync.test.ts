import { createTestApi, TestApi, unique } from '../support/api';
import { everyTypePayload, KEY_LOOKUP, SYNC } from '../support/estateFixture';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ MAX_SYNC_BATCH: '40' });
});
afterAll(() => api.close());

const countSource = async (source: string) =>
  (await api.data<{ entities: { totalCount: number } }>('query($s: String) { entities(filter: { source: $s }) { totalCount } }', { s: source })).entities.totalCount;

const idOf = async (source: string, type: string, externalId: string) =>
  (await api.data<{ entityByKey: { id: string } | null }>(KEY_LOOKUP, { type, source, externalId })).entityByKey?.id;

test('a sync creates every type and relationship, and the same payload again changes nothing', async () => {
  const source = unique('sync');
  const first = await api.data(SYNC, { input: everyTypePayload(source) });
  expect(first.syncInventory).toEqual({
    ok: true,
    dryRun: false,
    assets: { created: 14, updated: 0, unchanged: 0, deleted: 0 },
    relationships: { created: 18, updated: 0, unchanged: 0, deleted: 0 },
    errors: [],
  });
  const second = await api.data(SYNC, { input: everyTypePayload(source) });
  expect(second.syncInventory.assets).toEqual({ created: 0, updated: 0, unchanged: 14, deleted: 0 });
  expect(second.syncInventory.relationships).toEqual({ created: 0, updated: 0, unchanged: 18, deleted: 0 });
});

test('a changed field is one update, recorded in the history with before and after', async () => {
  const source = unique('sync');
  await api.data(SYNC, { input: everyTypePayload(source) });
  const payload = everyTypePayload(source);
  payload.assets.aiModels[1] = { ...payload.assets.aiModels[1], riskTier: 'PROHIBITED' };
  payload.relationships[0].properties = { transformation: 'PII masking and dedupe' };
  const result = await api.data(SYNC, { input: payload }, 'sync-bot');
  expect(result.syncInventory.assets).toMatchObject({ updated: 1, unchanged: 13 });
  expect(result.syncInventory.relationships).toMatchObject({ updated: 1, unchanged: 17 });

  const id = await idOf(source, 'AIModel', 'model-tuned');
  const { node } = await api.data(`query($id: ID!) { node(id: $id) { ... on AIModel { riskTier version history { action actor changes { field before after } } } } }`, { id });
  expect(node.riskTier).toBe('PROHIBITED');
  expect(node.version).toBe(2);
  expect(node.history[0]).toEqual({ action: 'UPDATE', actor: 'sync-bot', changes: [{ field: 'riskTier', before: 'HIGH', after: 'PROHIBITED' }] });
  expect(node.history.at(-1).action).toBe('CREATE');
});

test('REPLACE removes only what this source wrote before and no longer sends', async () => {
  const source = unique('replace');
  const other = unique('other');
  await api.data(SYNC, { input: everyTypePayload(source) });
  await api.data(SYNC, {
    input: {
      source: other,
      assets: { owners: [{ externalId: 'owner-x', name: 'Other team' }] },
      relationships: [
        { type: 'OWNED_BY', from: { type: 'AIModel', externalId: 'model-base', source }, to: { type: 'Owner', externalId: 'owner-x' } },
        // Asserted by both sources: survives the first source's REPLACE because the other still sends it.
        { type: 'PROVIDED_BY', from: { type: 'AIModel', externalId: 'model-base', source }, to: { type: 'Vendor', externalId: 'vendor-a', source } },
      ],
    },
  });

  const payload = everyTypePayload(source);
  payload.assets.evidence = [];
  payload.relationships = payload.relationships.filter((rel) => !['SUPPORTS', 'PROVIDED_BY', 'CAN_INVOKE'].includes(rel.type));
  const result = await api.data(SYNC, { input: { ...payload, mode: 'REPLACE' } });
  expect(result.syncInventory.assets).toEqual({ created: 0, updated: 0, unchanged: 13, deleted: 1 });
  // SUPPORTS goes with the deleted evidence and CAN_INVOKE is withdrawn; PROVIDED_BY loses this source only.
  expect(result.syncInventory.relationships).toEqual({ created: 0, updated: 0, unchanged: 15, deleted: 3 });

  expect(await idOf(source, 'Evidence', 'evidence-test')).toBeUndefined();
  expect(await idOf(other, 'Owner', 'owner-x')).toBeDefined();
  const modelId = await idOf(source, 'AIModel', 'model-base');
  const { node } = await api.data(`query($id: ID!) { node(id: $id) { ... on AIModel { providedBy { name } owners { name } relationships(types: [PROVIDED_BY]) { sources } } } }`, { id: modelId });
  expect(node.providedBy).toEqual([{ name: 'Vendor A' }]);
  expect(node.relationships).toEqual([{ sources: [other] }]);
  expect(node.owners).toEqual([{ name: 'Other team' }]);
  const agentId = await idOf(source, 'Agent', 'agent-main');
  const agent = await api.data(`query($id: ID!) { node(id: $id) { ... on Agent { canInvoke { name } } } }`, { id: agentId });
  expect(agent.node.canInvoke).toEqual([]);
});

test('a dry run reports what a real run would do and writes nothing', async () => {
  const source = unique('dry');
  const dry = await api.data(SYNC, { input: { ...everyTypePayload(source), dryRun: true } });
  expect(dry.syncInventory).toMatchObject({ ok: true, dryRun: true, assets: { created: 14 }, relationships: { created: 18 } });
  expect(await countSource(source)).toBe(0);
  const real = await api.data(SYNC, { input: everyTypePayload(source) });
  expect(real.syncInventory.assets).toEqual(dry.syncInventory.assets);
  expect(real.syncInventory.relationships).toEqual(dry.syncInventory.relationships);
});

describe('bad input is refused whole, naming the offending item, and writes nothing', () => {
  test('an unknown enum value', async () => {
    const source = unique('bad');
    const payload = everyTypePayload(source);
    (payload.assets.aiModels[1] as Record<string, unknown>).riskTier = 'SCARY';
    const result = await api.execute(SYNC, { input: payload });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(/aiModels\[1\]\.riskTier/);
    expect(await countSource(source)).toBe(0);
  });

  test('relationships to missing records or between the wrong types', async () => {
    const source = unique('bad');
    const payload = everyTypePayload(source);
    payload.relationships.push({ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'model-base' }, to: { type: 'Dataset', externalId: 'ds-missing' } });
    payload.relationships.push({ type: 'INFORMS', from: { type: 'Dataset', externalId: 'ds-raw' }, to: { type: 'Decision', externalId: 'decision-refund' } });
    const result = await api.execute(SYNC, { input: payload });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const problems = result.errors?.[0].extensions?.problems as Array<{ path: string; message: string }>;
    expect(problems.map((problem) => problem.path)).toEqual(['relationships[18].to', 'relationships[19]']);
    expect(problems[1].message).toMatch(/INFORMS goes from AIModel or Agent to Decision, not from Dataset/);
    expect(await countSource(source)).toBe(0);
  });

  test('values out of range, duplicate keys and missing keys', async () => {
    const source = unique('bad');
    const payload = everyTypePayload(source);
    payload.assets.risks[0] = { ...payload.assets.risks[0], likelihood: 9 };
    payload.assets.owners.push({ externalId: 'owner-team', name: 'Again', kind: 'TEAM', email: 'x@example.com' });
    payload.relationships.push({ type: 'OWNED_BY', from: { type: 'AIModel' } as never, to: { type: 'Owner', externalId: 'owner-team' } });
    const result = await api.execute(SYNC, { input: payload });
    const problems = result.errors?.[0].extensions?.problems as Array<{ path: string }>;
    expect(problems.map((problem) => problem.path)).toEqual(['assets.owners[1].externalId', 'assets.risks[0].likelihood', 'relationships[18].from']);
    expect(await countSource(source)).toBe(0);
  });

  test('a dry run lists the problems in its report instead of failing', async () => {
    const source = unique('bad');
    const payload = everyTypePayload(source);
    payload.assets.risks[0] = { ...payload.assets.risks[0], impact: 0 };
    const result = await api.data(SYNC, { input: { ...payload, dryRun: true } });
    expect(result.syncInventory.ok).toBe(false);
    expect(result.syncInventory.errors).toEqual([{ path: 'assets.risks[0].impact', message: 'must be an integer from 1 to 5' }]);
  });

  test('a batch over the documented limit', async () => {
    const source = unique('bad');
    const aiModels = Array.from({ length: 41 }, (_, index) => ({ externalId: `m-${index}`, name: `Model ${index}` }));
    const result = await api.execute(SYNC, { input: { source, assets: { aiModels } } });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0].message).toMatch(/at most 40/);
    expect(await countSource(source)).toBe(0);
  });
});

test('a re-sent relationship counts as unchanged only when stored as sent, value for value', async () => {
  const source = unique('compare');
  const other = unique('compare-other');
  const assets = { datasets: [{ externalId: 'a', name: 'A' }, { externalId: 'b', name: 'B' }, { externalId: 'c', name: 'C' }] };
  const link = (to: string, properties: Record<string, unknown>) => ({ type: 'DERIVED_FROM', from: { type: 'Dataset', externalId: 'a', source }, to: { type: 'Dataset', externalId: to, source }, properties });
  const stored = { transformation: 'masking', weight: 3, steps: ['clean', 'mask'], exact: true, cleared: 'yes' };
  await api.data(SYNC, { input: { source, assets, relationships: [link('b', stored), link('c', { transformation: 'copy' })] } });
  const resend = (relationships: unknown[], from = source) => api.data(SYNC, { input: { source: from, relationships } });

  // As stored: 3.0 is the number 3, and a null for a property never set is no change.
  expect((await resend([link('b', { ...stored, weight: 3.0 }), link('c', { transformation: 'copy', note: null })])).syncInventory.relationships).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
  for (const changed of [{ weight: 3.5 }, { steps: ['mask', 'clean'] }, { exact: 'true' }, { cleared: null }, { transformation: 'Masking' }]) {
    const report = (await resend([link('b', { ...stored, ...changed })])).syncInventory;
    expect({ changed, relationships: report.relationships }).toEqual({ changed, relationships: { created: 0, updated: 1, unchanged: 0, deleted: 0 } });
    await resend([link('b', stored)]);
  }
  // Another source asserting the same relationship joins its sources: a change, though every value is equal.
  expect((await resend([link('c', { transformation: 'copy' })], other)).syncInventory.relationships).toMatchObject({ updated: 1, unchanged: 0 });
  expect((await resend([link('c', { transformation: 'copy' })], other)).syncInventory.relationships).toMatchObject({ updated: 0, unchanged: 1 });

  const { entityByKey } = await api.data(`query($s: String!) { entityByKey(type: Dataset, source: $s, externalId: "a") { relationships(types: [DERIVED_FROM], direction: OUTGOING) { to { name } properties } } }`, { s: source });
  expect(entityByKey.relationships.find((rel: { to: { name: string } }) => rel.to.name === 'B').properties).toMatchObject(stored);
});

test('a re-sent record counts as unchanged only when stored as sent, field for field', async () => {
  const source = unique('compare-records');
  const vendor = { externalId: 'v', name: 'Vendor V', services: ['hosting', 'inference'], riskRating: 'MEDIUM', dataProcessingAgreement: true, lastAssessedAt: '2026-01-15T00:00:00Z' };
  const model = { externalId: 'm', name: 'Model M', lifecycleStage: 'DESIGN', riskTier: 'LIMITED' };
  const send = (assets: Record<string, unknown[]>) => api.data(SYNC, { input: { source, assets } }).then((data) => data.syncInventory.assets);
  await send({ vendors: [vendor], aiModels: [model] });

  // The same instant written another way, and a null for a field never set, change nothing.
  expect(await send({ vendors: [{ ...vendor, lastAssessedAt: '2026-01-15T01:00:00+01:00', contractReference: null }], aiModels: [model] })).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
  for (const changed of [{ lastAssessedAt: '2026-01-15T00:00:00.001Z' }, { services: ['inference', 'hosting'] }, { riskRating: null }, { dataProcessingAgreement: false }, { name: 'vendor V' }]) {
    const counts = await send({ vendors: [{ ...vendor, ...changed }] });
    expect({ changed, counts }).toEqual({ changed, counts: { created: 0, updated: 1, unchanged: 0, deleted: 0 } });
    await send({ vendors: [vendor] });
  }
  expect(await send({ aiModels: [{ ...model, riskTier: 'HIGH' }] })).toMatchObject({ updated: 1, unchanged: 0 });

  const { entityByKey } = await api.data(`query($s: String!) { entityByKey(type: Vendor, source: $s, externalId: "v") { version ... on Vendor { services riskRating lastAssessedAt } } }`, { s: source });
  // Created, then five changes each sent back: eleven versions.
  expect(entityByKey).toEqual({ version: 11, services: vendor.services, riskRating: 'MEDIUM', lastAssessedAt: '2026-01-15T00:00:00.000Z' });
});

test('relationships sent in later calls than their records are created once and then found, whichever record they start from', async () => {
  const source = unique('later-links');
  const ref = (externalId: string) => ({ type: 'Dataset', externalId });
  const link = (from: string, to: string) => ({ type: 'DERIVED_FROM', from: ref(from), to: ref(to) });
  const relationshipsOf = async (relationships: unknown[]) => (await api.data(SYNC, { input: { source, relationships } })).syncInventory.relationships;
  await api.data(SYNC, { input: { source, assets: { datasets: ['a', 'b', 'c'].map((externalId) => ({ externalId, name: externalId })) } } });

  // a starts nothing yet; then it starts a -> b; c is only ever the far end until it starts c -> b.
  expect(await relationshipsOf([link('a', 'b')])).toMatchObject({ created: 1, unchanged: 0 });
  expect(await relationshipsOf([link('a', 'b'), link('a', 'c')])).toMatchObject({ created: 1, unchanged: 1 });
  expect(await relationshipsOf([link('c', 'b')])).toMatchObject({ created: 1, unchanged: 0 });
  expect(await relationshipsOf([link('a', 'b'), link('a', 'c'), link('c', 'b')])).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 0 });

  const { entityByKey } = await api.data(`query($s: String!) { entityByKey(type: Dataset, source: $s, externalId: "b") { relationships(types: [DERIVED_FROM], direction: INCOMING) { from { name } } } }`, { s: source });
  expect(entityByKey.relationships.map((rel: { from: { name: string } }) => rel.from.name).sort()).toEqual(['a', 'c']);
});
