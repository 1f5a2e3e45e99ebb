import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { viewer, compliance, admin, syncFor } from '../support/principals';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const demoVisitor: Principal = { name: 'anonymous', kind: 'anonymous', role: 'ADMIN' };

/** Two sources' estates, each with a model, a dataset, a control and a link, written by the system. */
async function twoSources() {
  const a = unique('src-a');
  const b = unique('src-b');
  for (const source of [a, b]) {
    await api.data(SYNC, {
      input: {
        source,
        assets: {
          aiModels: [{ externalId: 'm', name: 'Model' }, { externalId: 'm2', name: 'Model 2', status: 'COMPROMISED' }],
          datasets: [{ externalId: 'd', name: 'Data' }],
          controls: [{ externalId: 'c', name: 'Control' }],
          vendors: [{ externalId: 'v', name: 'Vendor' }],
          aiSystems: [{ externalId: 's', name: 'System' }],
          owners: [{ externalId: 'o', name: 'Approver', approvesStages: ['APPROVED'] }],
        },
        relationships: [{ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'm' }, to: { type: 'Dataset', externalId: 'd' } }],
      },
    });
  }
  const id = async (source: string, type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  return {
    a,
    b,
    ids: {
      a: { system: await id(a, 'AISystem', 's'), model: await id(a, 'AIModel', 'm'), compromised: await id(a, 'AIModel', 'm2'), dataset: await id(a, 'Dataset', 'd'), control: await id(a, 'Control', 'c') },
      b: { model: await id(b, 'AIModel', 'm'), compromised: await id(b, 'AIModel', 'm2'), dataset: await id(b, 'Dataset', 'd'), control: await id(b, 'Control', 'c') },
    },
  };
}

type Outcome = 'ok' | 'FORBIDDEN';
interface Case {
  mutation: string;
  caller: Principal;
  expect: Outcome;
  query: string;
  variables: (world: Awaited<ReturnType<typeof twoSources>>) => Record<string, unknown>;
}

const CREATE_TYPES = ['AIModel', 'Dataset', 'Vendor', 'Agent', 'Decision', 'Owner', 'Risk', 'Incident', 'Control', 'Evidence', 'Tool', 'AISystem'];
const GOVERNANCE = ['Risk', 'Control', 'Evidence'];
const requirement = { framework: 'owasp-llm-top10', identifier: 'LLM01:2025' };
const otherRequirement = { framework: 'owasp-llm-top10', identifier: 'LLM02:2025' };

const create = (type: string, caller: Principal, source: 'a' | 'b', expect: Outcome): Case => ({
  mutation: `create${type}`,
  caller,
  expect,
  query: `mutation($input: ${type}Input!, $source: String) { create${type}(input: $input, source: $source) { id } }`,
  variables: (world) => ({ input: { externalId: unique('x'), name: 'New' }, source: world[source] }),
});

/** A vendor review of source a's vendor, written under `source`; a gate approval of its model. */
const assessment = (caller: Principal, source: 'a' | 'b', expect: Outcome): Case => ({
  mutation: 'recordVendorAssessment',
  caller,
  expect,
  query: 'mutation($input: RecordVendorAssessmentInput!) { recordVendorAssessment(input: $input) { id } }',
  variables: (world) => ({
    input: {
      source: world[source],
      assessment: { externalId: unique('va'), name: 'Review', assessedAt: '2026-11-01T00:00:00Z' },
      vendor: { type: 'Vendor', source: world.a, externalId: 'v' },
      assessor: { type: 'Owner', source: world.a, externalId: 'o' },
    },
  }),
});
const gateApproval = (caller: Principal, expect: Outcome): Case => ({
  mutation: 'recordGateApproval',
  caller,
  expect,
  query: 'mutation($input: RecordGateApprovalInput!) { recordGateApproval(input: $input) { id } }',
  variables: (world) => ({
    input: {
      source: world.a,
      approval: { externalId: unique('ga'), name: 'Use approval', stage: 'APPROVED', outcome: 'APPROVED', decidedAt: '2026-11-01T00:00:00Z' },
      subject: { type: 'AIModel', source: world.a, externalId: 'm' },
      approver: { type: 'Owner', source: world.a, externalId: 'o' },
    },
  }),
});

const CASES: Case[] = [
  // The security programme: COMPLIANCE reviews vendors and approves; a SYNC key pushes its own source's reviews, never approvals.
  assessment(compliance, 'a', 'ok'),
  assessment(syncFor('__a__'), 'a', 'ok'),
  assessment(syncFor('__a__'), 'b', 'FORBIDDEN'),
  assessment(viewer, 'a', 'FORBIDDEN'),
  gateApproval(compliance, 'ok'),
  gateApproval(admin, 'ok'),
  gateApproval(syncFor('__a__'), 'FORBIDDEN'),
  gateApproval(viewer, 'FORBIDDEN'),
  // Inventory sync: a SYNC key writes its own source only; COMPLIANCE only governance records.
  ...[
    [syncFor('__a__'), 'a', 'aiModels', 'ok'],
    [syncFor('__a__'), 'b', 'aiModels', 'FORBIDDEN'],
    [viewer, 'a', 'aiModels', 'FORBIDDEN'],
    [compliance, 'a', 'aiModels', 'FORBIDDEN'],
    [compliance, 'a', 'controls', 'ok'],
    [admin, 'b', 'aiModels', 'ok'],
  ].map(([caller, source, field, expect]): Case => ({
    mutation: 'syncInventory',
    caller: caller as Principal,
    expect: expect as Outcome,
    query: SYNC,
    variables: (world) => ({ input: { source: world[source as 'a' | 'b'], assets: { [field as string]: [{ externalId: unique('x'), name: 'Synced' }] } } }),
  })),
  // An import is a sync: the same callers may write what it makes (a model here; nothing at all, for COMPLIANCE's ok).
  ...(
    [
      [syncFor('__a__'), 'a', 'model', 'ok'],
      [syncFor('__a__'), 'b', 'model', 'FORBIDDEN'],
      [viewer, 'a', 'empty', 'FORBIDDEN'],
      [compliance, 'a', 'model', 'FORBIDDEN'],
      [compliance, 'a', 'empty', 'ok'],
      [admin, 'b', 'model', 'ok'],
    ] as const
  ).map(([caller, source, content, expect]): Case => ({
    mutation: 'importDocument',
    caller,
    expect,
    query: 'mutation($input: ImportDocumentInput!) { importDocument(input: $input) { sync { ok } } }',
    variables: (world) => ({
      input: {
        source: world[source],
        document: { bomFormat: 'CycloneDX', specVersion: '1.6', components: content === 'model' ? [{ type: 'machine-learning-model', 'bom-ref': unique('m'), name: 'Imported' }] : [] },
      },
    }),
  })),
  // A SYNC key cannot hang its relationships on another source's record.
  {
    mutation: 'syncInventory',
    caller: syncFor('__a__'),
    expect: 'FORBIDDEN',
    query: SYNC,
    variables: (world) => ({ input: { source: world.a, relationships: [{ type: 'TRAINED_ON', from: { id: world.ids.b.model }, to: { id: world.ids.a.dataset } }] } }),
  },
  // Signal rules act on every source's assets: COMPLIANCE and ADMIN write them, never a SYNC key.
  ...([[compliance, 'ok'], [admin, 'ok'], [syncFor('__a__'), 'FORBIDDEN'], [viewer, 'FORBIDDEN']] as const).map(([caller, expect]): Case => ({
    mutation: 'createSignalRule',
    caller,
    expect,
    query: 'mutation($input: SignalRuleInput!, $source: String) { createSignalRule(input: $input, source: $source) { id } }',
    variables: (world) => ({ input: { externalId: unique('rule'), name: 'Drift', signalKind: 'DRIFT', threshold: 1_000_000 }, source: world.a }),
  })),
  // Signals: a SYNC key about its own source's assets, or ADMIN naming the source.
  ...(
    [
      [syncFor('__a__'), 'a', 'ok'],
      [syncFor('__a__'), 'b', 'FORBIDDEN'],
      [admin, 'b', 'ok'],
      [compliance, 'a', 'FORBIDDEN'],
      [viewer, 'a', 'FORBIDDEN'],
    ] as const
  ).map(([caller, source, expect]): Case => ({
    mutation: 'recordSignals',
    caller,
    expect,
    query: 'mutation($input: RecordSignalsInput!) { recordSignals(input: $input) { recorded } }',
    variables: (world) => ({ input: { source: world[source], signals: [{ kind: 'DRIFT', asset: { id: world.ids[source].model }, at: new Date().toISOString() }] } }),
  })),
  // The programme (issue 15): COMPLIANCE and ADMIN write playbooks and policies, never a SYNC key, even in its own source.
  ...(['Playbook', 'Policy'] as const).flatMap((type) => [
    create(type, compliance, 'a', 'ok'),
    create(type, admin, 'b', 'ok'),
    create(type, syncFor('__a__'), 'a', 'FORBIDDEN'),
    create(type, viewer, 'a', 'FORBIDDEN'),
  ]),
  // Running an incident's playbook, deciding about a discovery, declaring a discovery source and
  // recording an acknowledgement are refused these callers before any rule of the record applies;
  // the allowed calls (and a SYNC key on its own source's incident or discovery) are in test/programme.
  ...([viewer, syncFor('__a__')] as const).flatMap((caller): Case[] => [
    {
      mutation: 'updateIncidentStep',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($id: ID!) { updateIncidentStep(input: { incidentId: $id, position: 1, status: DONE }) { id } }',
      variables: (world) => ({ id: world.ids.b.model }),
    },
    {
      mutation: 'registerDiscoveredAsset',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($id: ID!) { registerDiscoveredAsset(id: $id, assetId: $id) { id } }',
      variables: (world) => ({ id: world.ids.b.model }),
    },
    {
      mutation: 'dismissDiscoveredAsset',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($id: ID!) { dismissDiscoveredAsset(id: $id, reason: "test") { id } }',
      variables: (world) => ({ id: world.ids.a.model }),
    },
    {
      mutation: 'declareDiscoverySource',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($source: String!) { declareDiscoverySource(source: $source, kind: CASB) { id } }',
      variables: (world) => ({ source: world.a }),
    },
    {
      mutation: 'acknowledgePolicy',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($id: ID!) { acknowledgePolicy(policyId: $id, ownerId: $id) { acknowledgedAt } }',
      variables: (world) => ({ id: world.ids.a.control }),
    },
  ]),
  // Classifying an AI system is a compliance decision: never a SYNC key's, even for its own source.
  ...([[compliance, 'ok'], [admin, 'ok'], [syncFor('__a__'), 'FORBIDDEN'], [viewer, 'FORBIDDEN']] as const).map(([caller, expect]): Case => ({
    mutation: 'classifyAISystem',
    caller,
    expect,
    query: 'mutation($id: ID!) { classifyAISystem(systemId: $id, input: { category: MINIMAL, roles: [DEPLOYER], rationale: "Internal drafting aid." }) { version } }',
    variables: (world) => ({ id: world.ids.a.system }),
  })),
  ...CREATE_TYPES.flatMap((type) => [
    create(type, viewer, 'a', 'FORBIDDEN'),
    create(type, syncFor('__a__'), 'a', 'ok'),
    create(type, syncFor('__a__'), 'b', 'FORBIDDEN'),
    create(type, compliance, 'a', GOVERNANCE.includes(type) ? 'ok' : 'FORBIDDEN'),
  ]),
  ...(
    [
      [syncFor('__a__'), 'a', 'model', 'ok'],
      [syncFor('__a__'), 'b', 'model', 'FORBIDDEN'],
      [compliance, 'b', 'control', 'ok'],
      [compliance, 'b', 'model', 'FORBIDDEN'],
      [viewer, 'a', 'control', 'FORBIDDEN'],
    ] as const
  ).flatMap(([caller, source, record, expect]): Case[] => [
    {
      mutation: 'updateEntity',
      caller,
      expect,
      query: 'mutation($id: ID!) { updateEntity(id: $id, patch: { description: "changed" }) { id } }',
      variables: (world) => ({ id: world.ids[source][record] }),
    },
    {
      mutation: 'deleteEntity',
      caller,
      expect,
      query: 'mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }',
      variables: (world) => ({ id: world.ids[source][record] }),
    },
  ]),
  ...(
    [
      [syncFor('__a__'), 'a', 'ok'],
      [syncFor('__a__'), 'b', 'FORBIDDEN'],
      [compliance, 'a', 'FORBIDDEN'],
      [viewer, 'a', 'FORBIDDEN'],
    ] as const
  ).flatMap(([caller, source, expect]): Case[] => [
    {
      mutation: 'link',
      caller,
      expect,
      query: 'mutation($from: ID!, $to: ID!) { link(type: EVALUATED_ON, fromId: $from, toId: $to) { created } }',
      variables: (world) => ({ from: world.ids[source].model, to: world.ids[source].dataset }),
    },
    {
      mutation: 'unlink',
      caller,
      expect,
      query: 'mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }',
      variables: (world) => ({ from: world.ids[source].model, to: world.ids[source].dataset }),
    },
  ]),
  {
    mutation: 'link',
    caller: compliance,
    expect: 'ok',
    query: 'mutation($from: ID!, $to: ID!) { link(type: APPLIES_TO, fromId: $from, toId: $to) { created } }',
    variables: (world) => ({ from: world.ids.b.control, to: world.ids.b.model }),
  },
  ...([compliance, syncFor('__a__'), viewer] as const).flatMap((caller): Case[] => [
    {
      mutation: 'markCompromised',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($id: ID!) { markCompromised(id: $id, reason: "test") { entity { id } } }',
      variables: (world) => ({ id: world.ids.a.model }),
    },
    {
      mutation: 'clearCompromised',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($id: ID!) { clearCompromised(id: $id) { id } }',
      variables: (world) => ({ id: world.ids.a.compromised }),
    },
    {
      mutation: 'mapRequirements',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($input: MapRequirementsInput!) { mapRequirements(input: $input) { type } }',
      variables: (world) => ({ input: { from: requirement, to: otherRequirement, type: 'INTERSECTS', rationale: 'test', source: world.a } }),
    },
    {
      mutation: 'unmapRequirements',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($from: RequirementRefInput!, $to: RequirementRefInput!, $source: String) { unmapRequirements(from: $from, to: $to, source: $source) { removed } }',
      variables: (world) => ({ from: requirement, to: otherRequirement, source: world.a }),
    },
    {
      mutation: 'satisfy',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($id: ID!, $req: RequirementRefInput!) { satisfy(controlId: $id, requirement: $req, coverage: PARTIAL, rationale: "test") { coverage } }',
      variables: (world) => ({ id: world.ids.a.control, req: requirement }),
    },
    {
      mutation: 'unsatisfy',
      caller,
      expect: caller === compliance ? 'ok' : 'FORBIDDEN',
      query: 'mutation($id: ID!, $req: RequirementRefInput!) { unsatisfy(controlId: $id, requirement: $req) { removed } }',
      variables: (world) => ({ id: world.ids.a.control, req: requirement }),
    },
  ]),
  // Applicability is organisation-wide, so these run against a test-owned requirement only for the
  // refused callers; the allowed round trip is covered in the compliance tests.
  ...([syncFor('__a__'), viewer] as const).flatMap((caller): Case[] => [
    {
      mutation: 'declareNotApplicable',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($req: RequirementRefInput!) { declareNotApplicable(requirement: $req, rationale: "test") { rationale } }',
      variables: () => ({ req: requirement }),
    },
    {
      mutation: 'withdrawNotApplicable',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($req: RequirementRefInput!) { withdrawNotApplicable(requirement: $req) { removed } }',
      variables: () => ({ req: requirement }),
    },
    {
      mutation: 'decideApplicability',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation($req: RequirementRefInput!) { decideApplicability(requirement: $req, included: false, justification: "test") { included } }',
      variables: () => ({ req: requirement }),
    },
  ]),
  ...([admin, demoVisitor, compliance] as const).flatMap((caller): Case[] => [
    {
      mutation: 'createApiKey',
      caller,
      expect: caller === admin ? 'ok' : 'FORBIDDEN',
      query: 'mutation($name: String!) { createApiKey(name: $name, role: VIEWER) { key } }',
      variables: () => ({ name: unique('key') }),
    },
    {
      mutation: 'revokeApiKey',
      caller,
      expect: 'FORBIDDEN',
      query: 'mutation { revokeApiKey(name: "no-such-key") { name } }',
      variables: () => ({}),
    },
  ]).map((testCase) => (testCase.mutation === 'revokeApiKey' && testCase.caller === admin ? { ...testCase, expect: 'ok' as Outcome } : testCase)),
];

test('every mutation in the schema has access cases', () => {
  const mutations = Object.keys(api.app.server.schema.getMutationType()!.getFields()).sort();
  expect([...new Set(CASES.map((testCase) => testCase.mutation))].sort()).toEqual(mutations);
});

test.each(CASES.map((testCase, index) => [index, testCase.mutation, testCase.caller.role, testCase.expect, testCase] as const))(
  '#%i %s as %s: %s',
  async (_index, _mutation, _role, expected, testCase) => {
    const world = await twoSources();
    const caller = testCase.caller.source === '__a__' ? syncFor(world.a) : testCase.caller;
    const result = await api.execute(testCase.query, testCase.variables(world), caller);
    if (expected === 'FORBIDDEN') {
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } else if (testCase.mutation === 'revokeApiKey') {
      // Allowed for ADMIN; the key does not exist, which is the next check after access.
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    } else {
      expect(result.errors).toBeUndefined();
    }
  },
);

test('a refused sync writes nothing, and the audit names the key that wrote', async () => {
  const world = await twoSources();
  const before = await api.data('query($s: String) { entities(filter: { source: $s }) { totalCount } }', { s: world.b });
  const refused = await api.execute(SYNC, { input: { source: world.b, assets: { aiModels: [{ externalId: 'intruder', name: 'Intruder' }] } } }, syncFor(world.a));
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const after = await api.data('query($s: String) { entities(filter: { source: $s }) { totalCount } }', { s: world.b });
  expect(after).toEqual(before);

  await api.data('mutation($id: ID!) { updateEntity(id: $id, patch: { description: "by sync" }) { id } }', { id: world.ids.a.model }, syncFor(world.a));
  const { history } = await api.data('query($id: ID!) { history(id: $id, first: 1) { actor } }', { id: world.ids.a.model });
  expect(history).toEqual([{ actor: `key:sync-${world.a}` }]);
});
