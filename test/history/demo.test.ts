import { loadDemoEstate, readDemoRounds } from '../../src/seed/demoEstate';
import { silentLogger } from '../../src/logger';
import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  // The demo loads at start, as for a newcomer; other test files may be loading it at the same time.
  api = await createTestApi({ SEED_DEMO: 'true' });
});
afterAll(() => api.close());

const HISTORY = `query($type: EntityType!, $externalId: String!) {
  entityByKey(type: $type, source: "demo", externalId: $externalId) { id name ... on AIModel { modelVersion } history(first: 100) { at recordedAt action entityId source relationshipType relatedEntityId changes { field before after } } }
}`;
const historyOf = async (type: string, externalId: string) => (await api.data(HISTORY, { type, externalId })).entityByKey;

test('the demo is loaded as dated syncs: a record’s history shows the instants its changes took effect', async () => {
  const model = await historyOf('AIModel', 'model-fraud-detect-v5');
  expect(model.modelVersion).toBe('5.1.3');
  const bySync = model.history.filter((event: { source: string }) => event.source === 'demo');
  const instants = [...new Set(bySync.map((event: { at: string }) => event.at))];
  // Created with the first inventory, retrained in October, placed under review on 18 November.
  expect(instants).toEqual(['2026-11-18T15:00:00.000Z', '2026-10-12T09:00:00.000Z', '2026-07-01T08:00:00.000Z']);
  expect(bySync.every((event: { recordedAt: string | null }) => event.recordedAt !== null && Date.parse(event.recordedAt) > Date.parse('2026-11-20T16:00:00Z'))).toBe(true);
  const retrain = bySync.filter((event: { at: string }) => event.at === '2026-10-12T09:00:00.000Z');
  expect(retrain.find((event: { action: string }) => event.action === 'UPDATE').changes).toEqual(
    expect.arrayContaining([{ field: 'modelVersion', before: '5.0.4', after: '5.1.3' }]),
  );
  expect(retrain.filter((event: { action: string }) => event.action !== 'UPDATE').map((event: { action: string; relationshipType: string }) => [event.action, event.relationshipType]).sort()).toEqual([
    ['LINK', 'TRAINED_ON'],
    ['UNLINK', 'TRAINED_ON'],
  ]);
});

test('loading the demo again, with every round already there, changes nothing', async () => {
  const before = await historyOf('Dataset', 'ds-fraud-labels');
  expect(await loadDemoEstate(api.app.server, silentLogger)).toBe(0);
  expect(await historyOf('Dataset', 'ds-fraud-labels')).toEqual(before);
  // The labels' history holds each dated change once, however many starts loaded the demo meanwhile:
  // its own (created, refreshed, quarantined) and its relationships' (the incident, the retrain's set).
  const demoEvents = before.history.filter((event: { source: string }) => event.source === 'demo');
  const signatures = demoEvents.map(({ recordedAt: _recordedAt, ...event }: Record<string, unknown>) => JSON.stringify(event));
  expect(new Set(signatures).size).toBe(signatures.length);
  expect([...new Set(demoEvents.map((event: { at: string }) => event.at))]).toEqual(['2026-11-19T10:00:00.000Z', '2026-11-18T15:00:00.000Z', '2026-10-12T09:00:00.000Z', '2026-10-03T02:10:00.000Z', '2026-07-01T08:00:00.000Z']);
});

test('a replaced vendor is retired, not erased: the key is free, the record and its history remain', async () => {
  const { entityByKey } = await api.data('{ entityByKey(type: Vendor, source: "demo", externalId: "vendor-nimbus-agents") { id } }');
  expect(entityByKey).toBeNull();
  expect(readDemoRounds()[0].input.assets?.vendors?.map((vendor) => vendor.externalId)).toContain('vendor-nimbus-agents');
});

test('two starts loading the demo at once (as parallel test files do) leave one history, and a third load changes nothing', async () => {
  const source = unique('demo-twice');
  const loads = await Promise.all([loadDemoEstate(api.app.server, silentLogger, source), loadDemoEstate(api.app.server, silentLogger, source)]);
  const rounds = readDemoRounds().length;
  // Each round was applied by one of them, or found already there by the other.
  expect(loads[0] + loads[1]).toBeGreaterThanOrEqual(rounds);
  expect(await loadDemoEstate(api.app.server, silentLogger, source)).toBe(0);
  const { entityByKey } = await api.data(
    'query($source: String!) { entityByKey(type: AIModel, source: $source, externalId: "model-fraud-detect-v5") { ... on AIModel { modelVersion } history(first: 100) { at action entityId relationshipType relatedEntityId changes { field before after } } } }',
    { source },
  );
  expect(entityByKey.modelVersion).toBe('5.1.3');
  const signatures = entityByKey.history.map((event: unknown) => JSON.stringify(event));
  expect(new Set(signatures).size).toBe(signatures.length);
  expect([...new Set(entityByKey.history.map((event: { at: string }) => event.at))]).toEqual(['2026-11-18T15:00:00.000Z', '2026-10-12T09:00:00.000Z', '2026-07-01T08:00:00.000Z']);
});
