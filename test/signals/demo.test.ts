import { createTestApi, TestApi } from '../support/api';

/** The demo's monitoring (seed/demo-signals.json): the spike that opened an incident, the model nobody watches. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ SEED_DEMO: 'true' });
}, 600_000);
afterAll(() => api.close());

test("the support assistant's prompt-injection spike opened an incident on the prompt-injection playbook, with the signals behind it", async () => {
  const { agent } = await api.data(`{ agent: entityByKey(type: Agent, source: "demo", externalId: "agent-customer-support") {
    id ... on Agent { incidents { id source name status severity ... on Incident { category follows { scenario } } } }
  } }`);
  const opened = agent.incidents.filter((incident: { source: string }) => incident.source === 'signals');
  expect(opened).toEqual([
    expect.objectContaining({ name: 'Prompt-injection burst: Nia customer-support assistant', status: 'OPEN', severity: 'HIGH', category: 'PROMPT_INJECTION', follows: [{ scenario: 'PROMPT_INJECTION' }] }),
  ]);
  const { incidentSignals } = await api.data(
    `query($id: ID!) { incidentSignals(id: $id) { rule { name markCompromised } kind count threshold buckets { count } signals { severity evidenceUrl tool { name } } } }`,
    { id: opened[0].id },
  );
  expect(incidentSignals).toHaveLength(1);
  expect(incidentSignals[0]).toMatchObject({ rule: { name: 'Prompt-injection burst', markCompromised: null }, kind: 'PROMPT_INJECTION_ATTEMPT', threshold: 10 });
  // Twelve in this hour (a second start sharing the database may have pushed the feed again).
  expect(incidentSignals[0].count).toBeGreaterThanOrEqual(12);
  expect(incidentSignals[0].signals.map((signal: { evidenceUrl: string }) => signal.evidenceUrl)).toEqual(
    expect.arrayContaining(['https://guardrails.example/nia/events/pi-1104', 'https://guardrails.example/nia/events/pi-1107']),
  );
});

test('the HIGH-tier income verification model is deployed with no monitoring; the scorecard and the fraud detector report drift', async () => {
  const { unmonitoredAssets } = await api.data(`{ unmonitoredAssets(days: 7) { asset { name source ... on AIModel { riskTier lifecycleStage } } lastSignalAt } }`);
  const demo = unmonitoredAssets.filter((row: { asset: { source: string } }) => row.asset.source === 'demo');
  expect(demo).toEqual([{ asset: { name: 'Income Verification Document Model v2', source: 'demo', riskTier: 'HIGH', lifecycleStage: 'DEPLOYED' }, lastSignalAt: null }]);
  const { model } = await api.data(`{ model: entityByKey(type: AIModel, source: "demo", externalId: "model-credit-score-v3") { id } }`);
  const { assetSignals } = await api.data(`query($id: ID!) { assetSignals(id: $id, kinds: [DRIFT]) { buckets { windowStart lastValue } } }`, { id: model.id });
  expect(assetSignals.buckets.length).toBeGreaterThanOrEqual(5);
});
