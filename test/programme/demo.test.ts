import { silentLogger } from '../../src/logger';
import { loadDemoEstate } from '../../src/seed/demoEstate';
import { createTestApi, TestApi } from '../support/api';

/**
 * The demo's security programme (seed/demo-programme.json, issue 15): nine playbooks, the closed
 * poisoning incident with its steps done, two shadow AI discoveries, policies with
 * acknowledgements. Other test files load the demo (or copies of it) into the same database.
 */

let api: TestApi;
// Loading the whole demo takes minutes on a loaded machine.
beforeAll(async () => {
  api = await createTestApi({ SEED_DEMO: 'true' });
}, 600_000);
afterAll(() => api.close());

const CATEGORIES = ['SHADOW_AI', 'PROMPT_DATA_LEAKAGE', 'PROMPT_INJECTION', 'ADVERSARIAL_INPUT', 'TRAINING_DATA_POISONING', 'CROSS_MODEL_LEAKAGE', 'HALLUCINATION', 'AGENT_MISFIRE', 'THIRD_PARTY'];

test('nine playbooks, one per risk category of the register, each with its steps', async () => {
  const { playbooks } = await api.data(`{ playbooks(filter: { source: "programme" }, first: 50) { nodes { externalId scenario steps incidents { name } } } }`);
  const demo = playbooks.nodes.filter((playbook: { externalId: string }) => playbook.externalId.startsWith('playbook-'));
  expect(demo.map((playbook: { scenario: string }) => playbook.scenario).sort()).toEqual([...CATEGORIES].sort());
  for (const playbook of demo) expect(playbook.steps.length).toBeGreaterThanOrEqual(5);
  const poisoning = demo.find((playbook: { scenario: string }) => playbook.scenario === 'TRAINING_DATA_POISONING');
  expect(poisoning.incidents.map((incident: { name: string }) => incident.name)).toContain('INC-2026-031 Suspected poisoning of fraud labels');
});

const INCIDENT = `query($asOf: DateTime) {
  entityByKey(type: Incident, source: "demo", externalId: "incident-fraud-label-poisoning-2026-11", asOf: $asOf) {
    ... on Incident {
      status category containedAt closedAt rootCause lessonsLearned
      follows { name }
      steps { position status owner { name } startedAt completedAt }
      followUpRisks { name } followUpControls { name }
    }
  }
}`;

test('INC-2026-031 closed on the poisoning playbook with every step done; as of 19 November, contained and scoping', async () => {
  const { entityByKey: now } = await api.data(INCIDENT);
  expect(now).toMatchObject({
    status: 'CLOSED',
    category: 'TRAINING_DATA_POISONING',
    containedAt: '2026-11-19T09:40:00.000Z',
    closedAt: '2026-11-27T16:00:00.000Z',
    follows: [{ name: 'PB-AI-07 Training data integrity compromise' }],
    followUpRisks: [{ name: expect.any(String) }],
  });
  expect(now.rootCause).toMatch(/consortium feed batch/);
  expect(now.followUpControls).toHaveLength(2);
  expect(now.steps.map((step: { status: string }) => step.status)).toEqual(Array(7).fill('DONE'));
  expect(now.steps.map((step: { owner: { name: string } }) => step.owner.name)[0]).toBe('Tomas Lindqvist');

  const { entityByKey: then } = await api.data(INCIDENT, { asOf: '2026-11-19T12:00:00Z' });
  expect(then).toMatchObject({ status: 'CONTAINED', closedAt: null, rootCause: null, followUpRisks: [], follows: [{ name: 'PB-AI-07 Training data integrity compromise' }] });
  expect(then.steps.map((step: { status: string }) => step.status)).toEqual(['DONE', 'DONE', 'IN_PROGRESS', 'PENDING', 'PENDING', 'PENDING', 'PENDING']);
  const { entityByKey: opened } = await api.data(INCIDENT, { asOf: '2026-11-18T15:00:00Z' });
  expect(opened.steps.map((step: { status: string }) => step.status)).toEqual(['DONE', ...Array(6).fill('PENDING')]);
});

test('time to contain and to close, as the demo stood on 28 November (copies of the demo count the same times)', async () => {
  const { incidentMetrics } = await api.data(`{ incidentMetrics(asOf: "2026-11-28T00:00:00Z") { category quarter incidents uncontained open meanHoursToContain maxHoursToClose } }`);
  const row = (category: string, quarter: string) => incidentMetrics.find((metric: { category: string; quarter: string }) => metric.category === category && metric.quarter === quarter);
  expect(row('TRAINING_DATA_POISONING', '2026-Q4')).toMatchObject({ uncontained: 0, open: 0, meanHoursToContain: 19.3, maxHoursToClose: 217.63 });
  // INC-2026-014 was resolved, not closed: resolvedAt stands for its close.
  expect(row('PROMPT_INJECTION', '2026-Q3')).toMatchObject({ uncontained: 0, open: 0, meanHoursToContain: 1.82, maxHoursToClose: 79.32 });
});

const SHADOW = `query($asOf: DateTime) { shadowAI(asOf: $asOf) { items { name source department shadowStatus } byData { dataset { name } items { name } } } }`;
const DEMO_FINDS = ['Parley meeting-notes bot', 'Quillwise browser extension', 'Sheetsage spreadsheet copilot'];

test('two shadow AI discoveries (Quillwise was registered as it was found), by the data they touch, and as of October', async () => {
  const ours = (items: Array<{ name: string }>) => items.filter((item) => DEMO_FINDS.includes(item.name));
  const { shadowAI } = await api.data(SHADOW);
  expect(ours(shadowAI.items)).toEqual([
    { name: 'Parley meeting-notes bot', source: 'demo-egress-monitor', department: 'Collections', shadowStatus: 'SHADOW' },
    { name: 'Sheetsage spreadsheet copilot', source: 'demo-expense-scan', department: 'Credit Risk Analytics', shadowStatus: 'SHADOW' },
  ]);
  const cleaned = shadowAI.byData.find((group: { dataset: { name: string } }) => group.dataset.name === 'Cleaned applications joined with bureau data');
  expect(ours(cleaned.items)).toEqual([{ name: 'Sheetsage spreadsheet copilot' }]);
  const { shadowAI: october } = await api.data(SHADOW, { asOf: '2026-10-25T00:00:00Z' });
  expect(ours(october.items).map((item) => item.name)).toEqual(['Parley meeting-notes bot']);
  const { entityByKey } = await api.data(`{ entityByKey(type: DiscoveredAsset, source: "demo-egress-monitor", externalId: "egress-quillwise") { ... on DiscoveredAsset { shadowStatus registeredAs { name } } } }`);
  expect(entityByKey).toEqual({ shadowStatus: 'REGISTERED', registeredAs: [{ name: 'Quillwise AI writing assistant (unsanctioned)' }] });
});

test('policies with the controls that implement them and who acknowledged them when; a second load changes nothing', async () => {
  const POLICY = `{ entityByKey(type: Policy, source: "programme", externalId: "policy-ai-acceptable-use") { ... on Policy {
    kind policyVersion implementedBy { name } acknowledgements { owner { name } acknowledgedAt policyVersion } history { action }
  } } }`;
  const { entityByKey: policy } = await api.data(POLICY);
  expect(policy.kind).toBe('AI_ACCEPTABLE_USE');
  expect(policy.implementedBy.map((control: { name: string }) => control.name).sort()).toEqual(['GenAI egress monitoring and blocking', 'PII redaction gateway for LLM calls']);
  expect(policy.acknowledgements).toEqual(
    expect.arrayContaining([
      { owner: { name: 'Grace Achebe' }, acknowledgedAt: '2026-07-03T10:00:00.000Z', policyVersion: '2.0' },
      { owner: { name: 'Elena Kowalski' }, acknowledgedAt: '2026-07-10T14:00:00.000Z', policyVersion: '2.0' },
    ]),
  );
  expect(await loadDemoEstate(api.app.server, silentLogger)).toBe(0);
  expect((await api.data(POLICY)).entityByKey).toEqual(policy);
});
