import { loadDemoEstate, readDemoHistory } from '../../src/seed/demoEstate';
import { silentLogger } from '../../src/logger';
import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  // The demo loads at start, as for a newcomer; other test files may be loading it at the same time.
  // Loading every dated round of the demo, and its programme, takes minutes on a loaded machine.
  api = await createTestApi({ SEED_DEMO: 'true' });
}, 600_000);
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
    ['LINK', 'EVALUATED_ON'],
    ['LINK', 'TRAINED_ON'],
    ['UNLINK', 'EVALUATED_ON'],
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
  expect(readDemoHistory().rounds[0].input.assets?.vendors?.map((vendor) => vendor.externalId)).toContain('vendor-nimbus-agents');
});

test('two starts loading the demo at once (as parallel test files do) leave one history, and a third load changes nothing', async () => {
  const source = unique('demo-twice');
  const loads = await Promise.all([loadDemoEstate(api.app.server, silentLogger, source), loadDemoEstate(api.app.server, silentLogger, source)]);
  const rounds = readDemoHistory().rounds.length;
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

// The README's tour ("The graph remembers"): its three questions, answered on the demo.

test('tour: Article 10 on 2 August 2026 was satisfied by the label review, with evidence valid then and expired since', async () => {
  const { then, coverage } = await api.data(`{
    then: controlsFor(requirement: { framework: "eu-ai-act", identifier: "Article 10" }, asOf: "2026-08-02T00:00:00Z") {
      control { name source implementationStatus evidence { name expired } } coverage
    }
    coverage(framework: "eu-ai-act", asOf: "2026-08-02T00:00:00Z") { items { requirement { identifier } status } }
  }`);
  const { coverageChanges } = await api.data(`{
    coverageChanges(framework: "eu-ai-act", from: "2026-08-02T00:00:00Z", to: "2026-11-30T00:00:00Z") {
      items { requirement { identifier } before after causes { reason control { name source } evidence { name } before after } }
      pageInfo { hasNextPage }
    }
  }`);
  expect(coverageChanges.pageInfo.hasNextPage).toBe(false);
  // Other tests claim requirements too (this file's copies of the demo among them): the demo's alone.
  expect(then.filter((match: { control: { source: string } }) => match.control.source === 'demo')).toEqual([
    { control: { name: 'Dual review of fraud label changes', source: 'demo', implementationStatus: 'IMPLEMENTED', evidence: [{ name: 'Fraud label dual review sample 2026Q2', expired: false }] }, coverage: 'FULL' },
    { control: { name: 'PII redaction gateway for LLM calls', source: 'demo', implementationStatus: 'IMPLEMENTED', evidence: [{ name: 'PII redaction gateway DLP test', expired: false }] }, coverage: 'PARTIAL' },
  ]);
  expect(coverage.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === 'Article 10').status).toBe('SATISFIED');
  const changed = (identifier: string) => {
    const item = coverageChanges.items.find((entry: { requirement: { identifier: string } }) => entry.requirement.identifier === identifier);
    const causes = item.causes.filter((cause: { control: { source: string } | null }) => cause.control?.source === 'demo');
    return [item.before, item.after, causes.map((cause: { reason: string; control: { name: string }; evidence: { name: string } | null; before: string | null; after: string | null }) => [cause.reason, cause.control.name, cause.evidence?.name ?? null, cause.before, cause.after])];
  };
  expect(changed('Article 10')).toEqual([
    'SATISFIED',
    'PARTIAL',
    [
      ['CLAIM_ADDED', 'Dataset lineage and integrity hashing', null, null, 'FULL'],
      ['COVERAGE_CHANGED', 'Dual review of fraud label changes', null, 'FULL', 'PARTIAL'],
      ['EVIDENCE_EXPIRED', 'Dual review of fraud label changes', 'Fraud label dual review sample 2026Q2', '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
    ],
  ]);
  expect(changed('Article 26')).toEqual(['SATISFIED', 'PARTIAL', [['EVIDENCE_EXPIRED', 'Agent tool allow-list and scoped credentials', 'Agent tool allow-list configuration', '2026-11-12T00:00:00.000Z', '2026-11-12T00:00:00.000Z']]]);
  expect(changed('Article 72')).toEqual(['PARTIAL', 'SATISFIED', [['EVIDENCE_ADDED', 'Model performance and drift monitoring', 'Drift monitoring dashboard November 2026', null, '2027-02-01T00:00:00.000Z']]]);
});

test('tour: what changed in the fraud pipeline between 1 and 15 October', async () => {
  const { changes } = await api.data(`{
    changes(from: "2026-10-01T00:00:00Z", to: "2026-10-15T00:00:00Z", source: "demo", types: [AIModel, Dataset], first: 100) {
      nodes {
        kind fields { field before after }
        ... on RecordChange { before { name } after { name } }
        ... on RelationshipChange { relationshipType before { from { name } to { name } } after { from { name } to { name } } }
      }
      pageInfo { hasNextPage }
    }
  }`);
  expect(changes.pageInfo.hasNextPage).toBe(false);
  type Node = { kind: string; relationshipType?: string; fields: Array<{ field: string; before: unknown; after: unknown }>; before: any; after: any };
  const records = changes.nodes.filter((node: Node) => !node.relationshipType).map((node: Node) => {
    const fields = node.kind === 'CHANGED' ? node.fields.filter((field) => field.field !== 'description').map((field) => `${field.field} ${field.before} -> ${field.after}`) : [];
    return `${node.kind} ${(node.after ?? node.before).name}${fields.length ? `: ${fields.join(', ')}` : ''}`;
  });
  expect(records.sort()).toEqual([
    'ADDED Fraud evaluation set 2026Q3',
    'ADDED Fraud training set 2026Q3',
    'CHANGED Card Transaction Fraud Detector v5: modelVersion 5.0.4 -> 5.1.3',
    'CHANGED Fraud evaluation set 2026Q1: status ACTIVE -> RETIRED',
    'CHANGED Fraud labels: recordCount 1912000 -> 1940000',
    'CHANGED Fraud training set 2026Q1: status ACTIVE -> RETIRED',
    'CHANGED Sentinel consortium confirmed-fraud signals: recordCount 2540000 -> 2600000',
  ]);
  const relationships = changes.nodes
    .filter((node: Node) => node.relationshipType)
    .map((node: Node) => `${node.kind} ${(node.after ?? node.before).from.name} -${node.relationshipType}-> ${(node.after ?? node.before).to.name}`);
  expect(relationships.sort()).toEqual([
    'ADDED Card Transaction Fraud Detector v5 -EVALUATED_ON-> Fraud evaluation set 2026Q3',
    'ADDED Card Transaction Fraud Detector v5 -TRAINED_ON-> Fraud training set 2026Q3',
    'ADDED Dataset lineage and integrity hashing -APPLIES_TO-> Fraud training set 2026Q3',
    'ADDED Fraud evaluation set 2026Q3 -DERIVED_FROM-> Fraud labels',
    'ADDED Fraud evaluation set 2026Q3 -OWNED_BY-> Fraud Analytics',
    'ADDED Fraud training set 2026Q3 -DERIVED_FROM-> Fraud labels',
    'ADDED Fraud training set 2026Q3 -OWNED_BY-> Hannah Mercer',
    'ADDED Poisoning of fraud labels -THREATENS-> Fraud training set 2026Q3',
    'REMOVED Card Transaction Fraud Detector v5 -EVALUATED_ON-> Fraud evaluation set 2026Q1',
    'REMOVED Card Transaction Fraud Detector v5 -TRAINED_ON-> Fraud training set 2026Q1',
  ]);
});

test('tour: the compromise window on the fraud labels, with the retrained detector shown before and after its retrain', async () => {
  const { entityByKey, impactDuring } = await api.data(`{
    entityByKey(type: Incident, source: "demo", externalId: "incident-fraud-label-poisoning-2026-11") {
      ... on Incident { compromiseWindows { asset { name status } since until } }
    }
    impactDuring(key: { type: Dataset, source: "demo", externalId: "ds-fraud-labels" }, from: "2026-10-03T02:10:00Z", to: "2026-11-20T16:00:00Z") {
      count truncated
      dependents { entity { name } intervals { from to distance paths { from to path { text } } } }
    }
  }`);
  // Marked once, however many starts loaded the demo.
  expect(entityByKey.compromiseWindows).toEqual([{ asset: { name: 'Fraud labels', status: 'COMPROMISED' }, since: '2026-10-03T02:10:00.000Z', until: null }]);
  expect([impactDuring.count, impactDuring.truncated]).toEqual([8, false]);
  const spans = Object.fromEntries(
    impactDuring.dependents.map((dependent: { entity: { name: string }; intervals: Array<{ from: string; to: string | null; distance: number; paths: unknown[] }> }) => [
      dependent.entity.name,
      dependent.intervals.map((interval) => [interval.from, interval.to, interval.distance, interval.paths.length]),
    ]),
  );
  const start = '2026-10-03T02:10:00.000Z';
  const retrain = '2026-10-12T09:00:00.000Z';
  expect(spans).toEqual({
    'Fraud evaluation set 2026Q1': [[start, null, 1, 1]],
    'Fraud training set 2026Q1': [[start, null, 1, 1]],
    'Fraud evaluation set 2026Q3': [[retrain, null, 1, 1]],
    'Fraud training set 2026Q3': [[retrain, null, 1, 1]],
    'Card Transaction Fraud Detector v5': [[start, null, 2, 2]],
    'Fraud triage agent': [[start, null, 3, 2]],
    'Transaction fraud block': [[start, null, 3, 2]],
    'Chargeback dispute outcome': [[start, null, 4, 2]],
  });
  const detector = impactDuring.dependents.find((dependent: { entity: { name: string } }) => dependent.entity.name === 'Card Transaction Fraud Detector v5');
  const [before, after] = detector.intervals[0].paths;
  expect([before.from, before.to, after.from, after.to]).toEqual([start, retrain, retrain, null]);
  expect(before.path.text).toMatch(/^Fraud labels <-DERIVED_FROM- Fraud (training|evaluation) set 2026Q1 <-(TRAINED|EVALUATED)_ON- Card Transaction Fraud Detector v5$/);
  expect(after.path.text).toMatch(/^Fraud labels <-DERIVED_FROM- Fraud (training|evaluation) set 2026Q3 <-(TRAINED|EVALUATED)_ON- Card Transaction Fraud Detector v5$/);
});

test('least privilege: the support assistant quietly reaches the refund payments API and the KYC identity records, which its owner never approved', async () => {
  const { head } = await api.data('{ head: entityByKey(type: Agent, source: "demo", externalId: "agent-customer-support") { id } }');
  const { agentPrivileges, overPrivilegedAgents } = await api.data(
    `query($id: ID!) {
      agentPrivileges(id: $id) { privileges { target { name source } scopes grant direct chain { name } } }
      overPrivilegedAgents { agent { id } findings { kind target { name source } scopes path { name } cut { type from { name } to { name } } collateral } }
    }`,
    { id: head.id },
  );
  // A restart's migration 011 may add tools from the agents' old allow-list strings: the demo's own alone.
  type Privilege = { target: { name: string; source: string }; scopes: string[]; grant: string; direct: boolean; chain: Array<{ name: string }> };
  const reached = (agentPrivileges.privileges as Privilege[])
    .filter((privilege) => privilege.target.source === 'demo' && !privilege.direct)
    .map((privilege) => [privilege.target.name, privilege.scopes, privilege.grant, privilege.chain.map((agent) => agent.name)]);
  expect(reached).toEqual(
    expect.arrayContaining([
      ['Refund payments API', ['refund', 'reverse_fee'], 'CAN_USE', ['Nia customer-support assistant', 'Refund execution agent']],
      ['KYC identity verification records', ['read'], 'RETRIEVES_FROM', ['Nia customer-support assistant', 'KYC lookup agent']],
    ]),
  );
  type Finding = { kind: string; target: { name: string; source: string }; scopes: string[]; path: Array<{ name: string }>; cut: Array<{ type: string; from: { name: string }; to: { name: string } }>; collateral: number };
  const findings = ((overPrivilegedAgents.find((entry: { agent: { id: string } }) => entry.agent.id === head.id)?.findings ?? []) as Finding[])
    .filter((finding) => finding.target.source === 'demo')
    .map((finding) => [finding.kind, finding.target.name, finding.scopes, finding.path.map((entity) => entity.name), finding.cut.map((cut) => `${cut.from.name} -${cut.type}-> ${cut.to.name}`), finding.collateral]);
  const toRefunds = ['Nia customer-support assistant', 'Refund execution agent', 'Refund payments API'];
  const toKyc = ['Nia customer-support assistant', 'KYC lookup agent', 'KYC identity verification records'];
  // Cheapest for this agent: the holder's grant (cutting the invocation would lose the ledger or the screening too).
  const refundCut = ['Refund execution agent -CAN_USE-> Refund payments API'];
  const kycCut = ['KYC lookup agent -RETRIEVES_FROM-> KYC identity verification records'];
  expect(findings).toEqual(
    expect.arrayContaining([
      ['EXCEEDS_APPROVAL', 'Refund payments API', ['refund', 'reverse_fee'], toRefunds, refundCut, 0],
      ['SENSITIVE_TOOL_THROUGH_INVOCATION', 'Refund payments API', ['refund', 'reverse_fee'], toRefunds, refundCut, 0],
      ['EXCEEDS_APPROVAL', 'KYC identity verification records', ['read'], toKyc, kycCut, 0],
      ['PERSONAL_DATA_THROUGH_INVOCATION', 'KYC identity verification records', ['read'], toKyc, kycCut, 0],
    ]),
  );
  // Its own tools and corpus were approved: nothing reported on them.
  expect(findings.map((finding) => finding[1])).not.toContain('Policy search');
});
