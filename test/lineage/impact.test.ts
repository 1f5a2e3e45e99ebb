import fs from 'node:fs';
import path from 'node:path';
import { createTestApi, TestApi, unique } from '../support/api';
import { everyTypePayload, KEY_LOOKUP, SYNC } from '../support/estateFixture';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ TRAVERSAL_MAX_DEPTH: '8', TRAVERSAL_DEFAULT_DEPTH: '6' });
});
afterAll(() => api.close());

const ref = (type: string, externalId: string) => ({ type, externalId });
const rel = (type: string, from: [string, string], to: [string, string]) => ({ type, from: ref(...from), to: ref(...to) });

/**
 * A chain through every lineage relationship, with a diamond (two routes from raw data to the
 * loan decision) and two cycles (datasets deriving from each other, agents invoking each other).
 */
function chainEstate(source: string) {
  const named = (prefix: string, ids: string[]) => ids.map((externalId) => ({ externalId, name: `${prefix} ${externalId}` }));
  return {
    source,
    assets: {
      vendors: named('Vendor', ['v']),
      datasets: [
        { externalId: 'raw', name: 'raw', containsPersonalData: true },
        { externalId: 'clean', name: 'clean' },
        { externalId: 'eval', name: 'eval' },
        { externalId: 'loop-a', name: 'loop-a' },
        { externalId: 'loop-b', name: 'loop-b' },
      ],
      aiModels: [
        { externalId: 'base', name: 'base', lifecycleStage: 'APPROVED' },
        { externalId: 'tuned', name: 'tuned', lifecycleStage: 'DEPLOYED' },
        { externalId: 'scorer', name: 'scorer', lifecycleStage: 'VALIDATION' },
      ],
      agents: named('Agent', ['main', 'helper', 'reader']),
      decisions: [
        { externalId: 'loan', name: 'loan', impactLevel: 'CRITICAL', humanInTheLoop: false },
        { externalId: 'refund', name: 'refund', impactLevel: 'MEDIUM', humanInTheLoop: true },
      ],
      owners: [{ externalId: 'team', name: 'Owner team', approvesStages: ['APPROVED', 'DEPLOYED'] }],
      gateApprovals: [
        { externalId: 'base-use', name: 'base use', stage: 'APPROVED', outcome: 'APPROVED', decidedAt: '2026-06-01T00:00:00Z' },
        { externalId: 'tuned-deploy', name: 'tuned deployment', stage: 'DEPLOYED', outcome: 'CONDITIONAL', conditions: ['monitoring'], conditionsDueAt: '2027-01-01T00:00:00Z', decidedAt: '2026-06-01T00:00:00Z' },
      ],
    },
    relationships: [
      rel('DERIVED_FROM', ['Dataset', 'clean'], ['Dataset', 'raw']),
      rel('DERIVED_FROM', ['Dataset', 'eval'], ['Dataset', 'raw']),
      rel('DERIVED_FROM', ['Dataset', 'loop-a'], ['Dataset', 'loop-b']),
      rel('DERIVED_FROM', ['Dataset', 'loop-b'], ['Dataset', 'loop-a']),
      rel('DERIVED_FROM', ['Dataset', 'loop-a'], ['Dataset', 'raw']),
      rel('TRAINED_ON', ['AIModel', 'base'], ['Dataset', 'clean']),
      rel('FINE_TUNED_ON', ['AIModel', 'tuned'], ['Dataset', 'clean']),
      rel('EVALUATED_ON', ['AIModel', 'scorer'], ['Dataset', 'eval']),
      rel('BASED_ON', ['AIModel', 'tuned'], ['AIModel', 'base']),
      rel('PROVIDED_BY', ['AIModel', 'base'], ['Vendor', 'v']),
      rel('USES_MODEL', ['Agent', 'main'], ['AIModel', 'tuned']),
      rel('RETRIEVES_FROM', ['Agent', 'reader'], ['Dataset', 'loop-b']),
      rel('CAN_INVOKE', ['Agent', 'helper'], ['Agent', 'main']),
      rel('CAN_INVOKE', ['Agent', 'main'], ['Agent', 'helper']),
      rel('INFORMS', ['Agent', 'helper'], ['Decision', 'refund']),
      rel('INFORMS', ['AIModel', 'base'], ['Decision', 'loan']),
      rel('INFORMS', ['AIModel', 'scorer'], ['Decision', 'loan']),
      rel('OWNED_BY', ['AIModel', 'tuned'], ['Owner', 'team']),
      rel('APPROVES', ['GateApproval', 'base-use'], ['AIModel', 'base']),
      rel('APPROVED_BY', ['GateApproval', 'base-use'], ['Owner', 'team']),
      rel('APPROVES', ['GateApproval', 'tuned-deploy'], ['AIModel', 'tuned']),
      rel('APPROVED_BY', ['GateApproval', 'tuned-deploy'], ['Owner', 'team']),
    ],
  };
}

async function loadChain() {
  const source = unique('chain');
  await api.data(SYNC, { input: chainEstate(source) });
  const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  return { source, id };
}

const IMPACT = `query($id: ID!, $depth: Int) {
  impact(id: $id, maxDepth: $depth) {
    count truncated nodeLimit maxDepth
    groups { type count }
    items { entity { name } distance path { text } }
    decisions { decision { name } distance impactLevel humanInTheLoop path { text steps { type from { name } to { name } } } }
    vendors { name } owners { name }
  }
}`;

test('impact walks every lineage relationship the right way, with distances and explaining paths', async () => {
  const { id } = await loadChain();
  const result = await api.execute(IMPACT, { id: await id('Dataset', 'raw') });
  expect(result.errors).toBeUndefined();
  const impact = (result.data as any).impact;
  expect(result.context.db.queryCount).toBe(1);
  const byName = Object.fromEntries(impact.items.map((item: any) => [item.entity.name, item]));
  expect(Object.keys(byName).sort()).toEqual(['Agent helper', 'Agent main', 'Agent reader', 'base', 'clean', 'eval', 'loan', 'loop-a', 'loop-b', 'refund', 'scorer', 'tuned']);
  expect(byName['Agent reader']).toEqual({ entity: { name: 'Agent reader' }, distance: 3, path: { text: 'raw <-DERIVED_FROM- loop-a <-DERIVED_FROM- loop-b <-RETRIEVES_FROM- Agent reader' } });
  expect(byName.refund.path.text).toBe('raw <-DERIVED_FROM- clean <-FINE_TUNED_ON- tuned <-USES_MODEL- Agent main <-CAN_INVOKE- Agent helper -INFORMS-> refund');
  expect(impact.groups).toEqual([
    { type: 'AIModel', count: 3 },
    { type: 'Dataset', count: 4 },
    { type: 'Agent', count: 3 },
    { type: 'Decision', count: 2 },
  ]);
  // The diamond: the loan decision is reached through both base and scorer; the shorter route explains it.
  expect(impact.decisions).toEqual([
    {
      decision: { name: 'loan' }, distance: 3, impactLevel: 'CRITICAL', humanInTheLoop: false,
      path: {
        text: expect.stringMatching(/^raw <-DERIVED_FROM- (clean <-TRAINED_ON- base|eval <-EVALUATED_ON- scorer) -INFORMS-> loan$/),
        steps: expect.arrayContaining([expect.objectContaining({ type: 'INFORMS', to: { name: 'loan' } })]),
      },
    },
    expect.objectContaining({ decision: { name: 'refund' }, distance: 5, impactLevel: 'MEDIUM', humanInTheLoop: true }),
  ]);
  expect(impact.vendors).toEqual([{ name: 'Vendor v' }]);
  expect(impact.owners).toEqual([{ name: 'Owner team' }]);
  expect(impact.truncated).toBe(false);
});

test('depth bounds the walk and cycles end; dependencies walk the other way', async () => {
  const { id } = await loadChain();
  const shallow = await api.data(IMPACT, { id: await id('Dataset', 'raw'), depth: 1 });
  expect(shallow.impact.items.map((item: any) => item.entity.name).sort()).toEqual(['clean', 'eval', 'loop-a']);

  const looped = await api.data(IMPACT, { id: await id('Dataset', 'loop-a'), depth: 8 });
  expect(looped.impact.items.map((item: any) => item.entity.name).sort()).toEqual(['Agent reader', 'loop-b']);

  const result = await api.execute(
    `query($id: ID!) { dependencies(id: $id) { direction groups { type count } items { entity { name } distance } } }`,
    { id: await id('Decision', 'refund') },
  );
  expect(result.context.db.queryCount).toBe(1);
  const deps = (result.data as any).dependencies;
  expect(deps.direction).toBe('UPSTREAM');
  expect(deps.items.map((item: any) => item.entity.name).sort()).toEqual(['Agent helper', 'Agent main', 'Vendor v', 'base', 'clean', 'raw', 'tuned']);
});

test('maxDepth above the configured ceiling is refused, and an unknown id is NOT_FOUND', async () => {
  const { id } = await loadChain();
  const tooDeep = await api.execute(IMPACT, { id: await id('Dataset', 'raw'), depth: 9 });
  expect(tooDeep.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(tooDeep.errors?.[0].message).toMatch(/from 1 to 8/);
  const missing = await api.execute(IMPACT, { id: 'nope' });
  expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const neither = await api.execute('{ impact { count } }');
  expect(neither.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('lineage returns the subgraph with every edge among its nodes, in one query', async () => {
  const { id } = await loadChain();
  const query = `query($id: ID!, $dir: LineageDirection, $types: [RelationshipType!]) {
    lineage(id: $id, direction: $dir, relationshipTypes: $types) { truncated nodes { entity { name } distance direction } edges { type fromId toId } }
  }`;
  const result = await api.execute(query, { id: await id('Decision', 'loan'), dir: 'UPSTREAM' });
  expect(result.context.db.queryCount).toBe(1);
  const lineage = (result.data as any).lineage;
  expect(lineage.nodes.map((node: any) => `${node.entity.name}:${node.distance}:${node.direction}`).sort()).toEqual([
    'Vendor v:2:UPSTREAM', 'base:1:UPSTREAM', 'clean:2:UPSTREAM', 'eval:2:UPSTREAM', 'loan:0:BOTH', 'raw:3:UPSTREAM', 'scorer:1:UPSTREAM',
  ]);
  // Both arms of the diamond are present.
  expect(lineage.edges.map((edge: any) => edge.type).sort()).toEqual(['DERIVED_FROM', 'DERIVED_FROM', 'EVALUATED_ON', 'INFORMS', 'INFORMS', 'PROVIDED_BY', 'TRAINED_ON']);

  const onlyData = await api.data(query, { id: await id('Dataset', 'clean'), dir: 'BOTH', types: ['DERIVED_FROM'] });
  expect(onlyData.lineage.nodes.map((node: any) => node.entity.name).sort()).toEqual(['clean', 'raw']);
});

test('a result over the node limit is cut and says so', async () => {
  const limited = await createTestApi({ TRAVERSAL_NODE_LIMIT: '4' });
  try {
    const source = unique('chain');
    await limited.data(SYNC, { input: chainEstate(source) });
    const raw = (await limited.data(KEY_LOOKUP, { type: 'Dataset', source, externalId: 'raw' })).entityByKey.id;
    const { impact } = await limited.data(IMPACT, { id: raw });
    expect(impact).toMatchObject({ count: 4, truncated: true, nodeLimit: 4 });
    expect(impact.items.map((item: any) => item.distance)).toEqual([1, 1, 1, 2]);
    const { lineage } = await limited.data('query($id: ID!) { lineage(id: $id) { truncated nodeLimit nodes { distance } } }', { id: raw });
    expect(lineage).toMatchObject({ truncated: true, nodeLimit: 4 });
    expect(lineage.nodes).toHaveLength(5);
  } finally {
    await limited.close();
  }
});

test('markCompromised opens an incident, reports the impact, and flags everything downstream until cleared', async () => {
  const { id } = await loadChain();
  const clean = await id('Dataset', 'clean');
  const marked = await api.data(
    `mutation($id: ID!) { markCompromised(id: $id, reason: "Poisoned rows found in the March refresh") {
       entity { status } incident { name status severity description involves { name } } impact { count items { entity { name } } decisions { decision { name } } } } }`,
    { id: clean },
    'security-analyst',
  );
  const { incident, impact } = marked.markCompromised;
  expect(marked.markCompromised).toMatchObject({
    entity: { status: 'COMPROMISED' },
    incident: { name: 'Compromise of clean', status: 'OPEN', severity: 'HIGH', description: 'Poisoned rows found in the March refresh' },
    impact: { count: 6, decisions: [{ decision: { name: 'loan' } }, { decision: { name: 'refund' } }] },
  });
  // The incident is opened on what the impact report found: the record and everything downstream of it.
  const names = (list: Array<{ name: string }>) => list.map((record) => record.name).sort();
  expect(names(incident.involves)).toEqual(names([{ name: 'clean' }, ...impact.items.map((item: { entity: { name: string } }) => item.entity)]));
  const flags = `query($refund: ID!, $raw: ID!) {
    refund: node(id: $refund) { ... on Decision { compromisedUpstream { source { name } distance path { text } } } }
    raw: node(id: $raw) { ... on Dataset { compromisedUpstream { source { name } } } }
  }`;
  const ids = { refund: await id('Decision', 'refund'), raw: await id('Dataset', 'raw') };
  const flagged = await api.data(flags, ids);
  expect(flagged.refund.compromisedUpstream).toEqual([
    { source: { name: 'clean' }, distance: 4, path: { text: 'refund <-INFORMS- Agent helper -CAN_INVOKE-> Agent main -USES_MODEL-> tuned -FINE_TUNED_ON-> clean' } },
  ]);
  expect(flagged.raw.compromisedUpstream).toEqual([]);

  const cleared = await api.data('mutation($id: ID!) { clearCompromised(id: $id) { status } }', { id: clean });
  expect(cleared.clearCompromised.status).toBe('ACTIVE');
  expect((await api.data(flags, ids)).refund.compromisedUpstream).toEqual([]);
  const notCompromised = await api.execute('mutation($id: ID!) { clearCompromised(id: $id) { status } }', { id: clean });
  expect(notCompromised.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('exposure finds vendor concentration, personal data and ungated models behind decisions', async () => {
  const { source } = await loadChain();
  const { exposure } = await api.data(`{ exposure {
    vendorConcentration { vendor { name source } decisionCount decisions { name } }
    personalData { decision { name source } sources { name } }
    ungatedModels { decision { name source } sources { name } }
  } }`);
  const mine = <T extends { decision?: { source: string }; vendor?: { source: string } }>(rows: T[]) =>
    rows.filter((row) => (row.decision ?? row.vendor)!.source === source);
  expect(mine(exposure.vendorConcentration)).toEqual([{ vendor: { name: 'Vendor v', source }, decisionCount: 2, decisions: [{ name: 'loan' }, { name: 'refund' }] }]);
  expect(mine(exposure.personalData)).toEqual([
    { decision: { name: 'loan', source }, sources: [{ name: 'raw' }] },
    { decision: { name: 'refund', source }, sources: [{ name: 'raw' }] },
  ]);
  expect(mine(exposure.ungatedModels)).toEqual([{ decision: { name: 'loan', source }, sources: [{ name: 'scorer' }] }]);
});

test('the demo estate: which decisions depend on the poisoned fraud labels, and through what', async () => {
  const demo = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../seed/demo-estate.json'), 'utf8'));
  const source = unique('demo');
  const loaded = await api.data(SYNC, { input: { ...demo.input, source } });
  expect(loaded.syncInventory.ok).toBe(true);
  // By key, as someone typing in the playground would: one query all the same.
  const result = await api.execute(
    `query($key: EntityKeyInput!) { impact(key: $key) { decisions { decision { name } path { text } } } }`,
    { key: { type: 'Dataset', source, externalId: 'ds-fraud-labels' } },
  );
  expect(result.context.db.queryCount).toBe(1);
  const { impact } = result.data as any;
  const decisions = Object.fromEntries(impact.decisions.map((decision: any) => [decision.decision.name, decision.path.text]));
  expect(Object.keys(decisions)).toEqual(expect.arrayContaining(['Transaction fraud block', 'Chargeback dispute outcome']));
  // The detector is trained on one set and evaluated on another, both derived from the labels: two
  // shortest paths of one length, and the search may return either.
  expect(decisions['Transaction fraud block']).toMatch(/<-DERIVED_FROM- .* <-(TRAINED_ON|EVALUATED_ON)- .* -INFORMS-> Transaction fraud block$/);
  expect(decisions['Chargeback dispute outcome']).toMatch(/<-(TRAINED_ON|EVALUATED_ON)- .*<-USES_MODEL- Fraud triage agent -INFORMS-> Chargeback dispute outcome$/);
});

test('direction is part of the search: a shorter route the wrong way never hides a valid longer one', async () => {
  const source = unique('direction');
  const model = (externalId: string) => ({ externalId, name: externalId });
  await api.data(SYNC, {
    input: {
      source,
      assets: { aiModels: ['m', 'k1', 'k2', 'n'].map(model), datasets: [{ externalId: 'd', name: 'd' }] },
      relationships: [
        // n shares a training set with m (two hops, but upstream then downstream: not a dependency) ...
        rel('TRAINED_ON', ['AIModel', 'm'], ['Dataset', 'd']),
        rel('TRAINED_ON', ['AIModel', 'n'], ['Dataset', 'd']),
        // ... and really depends on m through three BASED_ON hops.
        rel('BASED_ON', ['AIModel', 'k1'], ['AIModel', 'm']),
        rel('BASED_ON', ['AIModel', 'k2'], ['AIModel', 'k1']),
        rel('BASED_ON', ['AIModel', 'n'], ['AIModel', 'k2']),
      ],
    },
  });
  const m = (await api.data(KEY_LOOKUP, { type: 'AIModel', source, externalId: 'm' })).entityByKey.id;
  const { impact } = await api.data(IMPACT, { id: m });
  expect(impact.items.map((item: any) => `${item.entity.name}:${item.distance}`)).toEqual(['k1:1', 'k2:2', 'n:3']);
});

test('lineage follows governance relationships when asked: risks, controls, evidence, incidents and owners', async () => {
  const source = unique('governance');
  await api.data(SYNC, { input: everyTypePayload(source) });
  const agent = (await api.data(KEY_LOOKUP, { type: 'Agent', source, externalId: 'agent-main' })).entityByKey.id;
  const all = ['DERIVED_FROM', 'TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON', 'BASED_ON', 'PROVIDED_BY', 'USES_MODEL', 'RETRIEVES_FROM', 'CAN_INVOKE', 'INFORMS', 'OWNED_BY', 'THREATENS', 'MITIGATED_BY', 'APPLIES_TO', 'INVOLVES', 'SUPPORTS'];
  const result = await api.execute(
    'query($id: ID!, $types: [RelationshipType!]) { lineage(id: $id, relationshipTypes: $types) { nodes { entity { name } direction } edges { type } } }',
    { id: agent, types: all },
  );
  expect(result.context.db.queryCount).toBe(1);
  const lineage = (result.data as any).lineage;
  const seen = (direction: string) => lineage.nodes.filter((node: any) => node.direction === direction).map((node: any) => node.entity.name).sort();
  // What rests on the agent: the records that describe it, and what describes those.
  expect(seen('DOWNSTREAM')).toEqual(['Injection via ticket', 'Input filtering', 'Prompt injection', 'Red-team report']);
  // What the agent rests on, ownership included.
  expect(seen('UPSTREAM')).toEqual(['AI platform team', 'Base LLM', 'Raw tickets', 'Refund agent', 'Training tickets', 'Tuned LLM', 'Vendor A']);
  expect(new Set(lineage.edges.map((edge: any) => edge.type))).toEqual(new Set(all.filter((type) => type !== 'INFORMS')));
});
