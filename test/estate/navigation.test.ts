import { createTestApi, TestApi, unique } from '../support/api';
import { everyTypePayload, KEY_LOOKUP, SYNC } from '../support/estateFixture';

let api: TestApi;
let source: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await createTestApi();
  source = unique('nav');
  await api.data(SYNC, { input: everyTypePayload(source) });
  const keys: Array<[string, string]> = [
    ['AIModel', 'model-base'], ['AIModel', 'model-tuned'], ['Dataset', 'ds-raw'], ['Dataset', 'ds-train'], ['Vendor', 'vendor-a'],
    ['Agent', 'agent-main'], ['Agent', 'agent-helper'], ['Decision', 'decision-refund'], ['Owner', 'owner-team'], ['Risk', 'risk-injection'],
    ['Incident', 'incident-1'], ['Control', 'control-filter'], ['Evidence', 'evidence-test'],
  ];
  for (const [type, externalId] of keys) {
    ids[externalId] = (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id;
  }
});
afterAll(() => api.close());

const names = (list: Array<{ name: string }>) => list.map((item) => item.name);

test('every relationship is navigable from both ends', async () => {
  const { model, tuned, raw, train, vendor, agent, helper, decision, owner, risk, incident, control, evidence } = await api.data(
    `query($model: ID!, $tuned: ID!, $raw: ID!, $train: ID!, $vendor: ID!, $agent: ID!, $helper: ID!, $decision: ID!, $owner: ID!, $risk: ID!, $incident: ID!, $control: ID!, $evidence: ID!) {
      model: node(id: $model) { ... on AIModel { trainedOn { name } derivedModels { name } providedBy { name } } }
      tuned: node(id: $tuned) { ... on AIModel { fineTunedOn { name } evaluatedOn { name } basedOn { name } usedByAgents { name } owners { name } } }
      raw: node(id: $raw) { ... on Dataset { derivedDatasets { name } trainedModels { name } evaluatedModels { name } } }
      train: node(id: $train) { ... on Dataset { derivedFrom { name } fineTunedModels { name } retrievedByAgents { name } } }
      vendor: node(id: $vendor) { ... on Vendor { models { name } datasets { name } agents { name } } }
      agent: node(id: $agent) { ... on Agent { usesModels { name } retrievesFrom { name } canInvoke { name } risks { name } controls { name } incidents { name } } }
      helper: node(id: $helper) { ... on Agent { invokedBy { name } informs { name } } }
      decision: node(id: $decision) { ... on Decision { informedBy { name __typename } } }
      owner: node(id: $owner) { ... on Owner { owns { name } } }
      risk: node(id: $risk) { ... on Risk { threatens { name } mitigatedBy { name } inherentScore } }
      incident: node(id: $incident) { ... on Incident { involves { name } } }
      control: node(id: $control) { ... on Control { appliesTo { name } mitigates { name } evidence { name expired } } }
      evidence: node(id: $evidence) { ... on Evidence { supports { name } } }
    }`,
    {
      model: ids['model-base'], tuned: ids['model-tuned'], raw: ids['ds-raw'], train: ids['ds-train'], vendor: ids['vendor-a'], agent: ids['agent-main'],
      helper: ids['agent-helper'], decision: ids['decision-refund'], owner: ids['owner-team'], risk: ids['risk-injection'], incident: ids['incident-1'],
      control: ids['control-filter'], evidence: ids['evidence-test'],
    },
  );
  expect(names(model.trainedOn)).toEqual(['Raw tickets']);
  expect(names(model.derivedModels)).toEqual(['Tuned LLM']);
  expect(names(model.providedBy)).toEqual(['Vendor A']);
  expect(tuned).toEqual({ fineTunedOn: [{ name: 'Training tickets' }], evaluatedOn: [{ name: 'Raw tickets' }], basedOn: [{ name: 'Base LLM' }], usedByAgents: [{ name: 'Support agent' }], owners: [{ name: 'AI platform team' }] });
  expect(raw).toEqual({ derivedDatasets: [{ name: 'Training tickets' }], trainedModels: [{ name: 'Base LLM' }], evaluatedModels: [{ name: 'Tuned LLM' }] });
  expect(train).toEqual({ derivedFrom: [{ name: 'Raw tickets' }], fineTunedModels: [{ name: 'Tuned LLM' }], retrievedByAgents: [{ name: 'Support agent' }] });
  expect(vendor).toEqual({ models: [{ name: 'Base LLM' }], datasets: [], agents: [] });
  expect(agent).toEqual({
    usesModels: [{ name: 'Tuned LLM' }], retrievesFrom: [{ name: 'Training tickets' }], canInvoke: [{ name: 'Refund agent' }],
    risks: [{ name: 'Prompt injection' }], controls: [{ name: 'Input filtering' }], incidents: [{ name: 'Injection via ticket' }],
  });
  expect(helper).toEqual({ invokedBy: [{ name: 'Support agent' }], informs: [{ name: 'Refund approval' }] });
  expect(decision.informedBy).toEqual([{ name: 'Refund agent', __typename: 'Agent' }]);
  expect(names(owner.owns)).toEqual(['Tuned LLM']);
  expect(risk).toEqual({ threatens: [{ name: 'Support agent' }], mitigatedBy: [{ name: 'Input filtering' }], inherentScore: 12 });
  expect(names(incident.involves)).toEqual(['Support agent']);
  expect(control).toEqual({ appliesTo: [{ name: 'Support agent' }], mitigates: [{ name: 'Prompt injection' }], evidence: [{ name: 'Red-team report', expired: true }] });
  expect(names(evidence.supports)).toEqual(['Input filtering']);
});

test('relationships carry their type, direction, properties and sources', async () => {
  const { node } = await api.data(
    `query($id: ID!) { node(id: $id) { ... on Dataset { relationships(direction: OUTGOING) { type direction properties sources from { name } to { name } other { name } } } } }`,
    { id: ids['ds-train'] },
  );
  expect(node.relationships).toEqual([
    { type: 'DERIVED_FROM', direction: 'OUTGOING', properties: { transformation: 'PII masking' }, sources: [source], from: { name: 'Training tickets' }, to: { name: 'Raw tickets' }, other: { name: 'Raw tickets' } },
  ]);
});

test('a nested query makes one round trip per level, however many records each level holds', async () => {
  const nested = `query($source: String) {
    aiModels(filter: { source: $source }) { nodes { name trainedOn { name derivedFrom { name trainedModels { name } } } owners { name } } }
  }`;
  const small = unique('depth');
  const large = unique('depth');
  const estate = (src: string, models: number) => ({
    source: src,
    assets: {
      datasets: [{ externalId: 'root', name: 'root' }, ...Array.from({ length: models }, (_, i) => ({ externalId: `d${i}`, name: `d${i}` }))],
      aiModels: Array.from({ length: models }, (_, i) => ({ externalId: `m${i}`, name: `m${i}` })),
      owners: [{ externalId: 'o', name: 'owner' }],
    },
    relationships: Array.from({ length: models }, (_, i) => [
      { type: 'TRAINED_ON', from: { type: 'AIModel', externalId: `m${i}` }, to: { type: 'Dataset', externalId: `d${i}` } },
      { type: 'DERIVED_FROM', from: { type: 'Dataset', externalId: `d${i}` }, to: { type: 'Dataset', externalId: 'root' } },
      { type: 'OWNED_BY', from: { type: 'AIModel', externalId: `m${i}` }, to: { type: 'Owner', externalId: 'o' } },
    ]).flat(),
  });
  await api.data(SYNC, { input: estate(small, 2) });
  await api.data(SYNC, { input: estate(large, 40) });

  const few = await api.execute(nested, { source: small });
  const many = await api.execute(nested, { source: large });
  expect(few.errors).toBeUndefined();
  expect(many.errors).toBeUndefined();
  expect((many.data as any).aiModels.nodes).toHaveLength(40);
  expect((many.data as any).aiModels.nodes[0].trainedOn[0].derivedFrom[0].trainedModels).toEqual([]);
  // list + (trainedOn, owners) + derivedFrom + trainedModels: four levels, four queries.
  expect(few.context.db.queryCount).toBe(4);
  expect(many.context.db.queryCount).toBe(4);
});

test('lists filter by status, tier, owner, vendor and text, and page with cursors', async () => {
  const src = unique('list');
  await api.data(SYNC, {
    input: {
      source: src,
      assets: {
        aiModels: [
          { externalId: 'a', name: 'Alpha scorer', riskTier: 'HIGH', status: 'ACTIVE' },
          { externalId: 'b', name: 'Beta scorer', riskTier: 'HIGH', status: 'COMPROMISED' },
          { externalId: 'c', name: 'Gamma chat', riskTier: 'MINIMAL', status: 'ACTIVE', description: 'A SCORER of sorts' },
        ],
        owners: [{ externalId: 'o', name: 'Owner' }],
        vendors: [{ externalId: 'v', name: 'Vendor' }],
      },
      relationships: [
        { type: 'OWNED_BY', from: { type: 'AIModel', externalId: 'a' }, to: { type: 'Owner', externalId: 'o' } },
        { type: 'PROVIDED_BY', from: { type: 'AIModel', externalId: 'c' }, to: { type: 'Vendor', externalId: 'v' } },
      ],
    },
  });
  const owner = (await api.data(KEY_LOOKUP, { type: 'Owner', source: src, externalId: 'o' })).entityByKey.id;
  const vendor = (await api.data(KEY_LOOKUP, { type: 'Vendor', source: src, externalId: 'v' })).entityByKey.id;
  const query = `query($filter: EntityFilter, $first: Int, $after: String) { aiModels(filter: $filter, first: $first, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`;
  const run = async (filter: Record<string, unknown>, first = 50, after?: string) => (await api.data(query, { filter: { source: src, ...filter }, first, after })).aiModels;

  expect(names((await run({ riskTier: ['HIGH'] })).nodes)).toEqual(['Alpha scorer', 'Beta scorer']);
  expect(names((await run({ status: ['COMPROMISED'] })).nodes)).toEqual(['Beta scorer']);
  expect(names((await run({ ownerId: owner })).nodes)).toEqual(['Alpha scorer']);
  expect(names((await run({ vendorId: vendor })).nodes)).toEqual(['Gamma chat']);
  expect(names((await run({ text: 'scorer' })).nodes)).toEqual(['Alpha scorer', 'Beta scorer', 'Gamma chat']);

  const page1 = await run({}, 2);
  expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
  const page2 = await run({}, 2, page1.pageInfo.endCursor);
  expect(names([...page1.nodes, ...page2.nodes])).toEqual(['Alpha scorer', 'Beta scorer', 'Gamma chat']);
  expect(page2.pageInfo.hasNextPage).toBe(false);

  const bad = await api.execute(query, { filter: { source: src }, first: 100000 });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const badCursor = await api.execute(query, { filter: { source: src }, after: 'garbage' });
  expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
