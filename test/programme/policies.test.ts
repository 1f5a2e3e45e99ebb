import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { rel, timeline } from '../support/timeline';
import { viewer, compliance, admin, syncFor } from '../support/principals';

/**
 * Policies and accountability (issue 15): Policy records that controls implement and owners
 * acknowledge (with when), written by COMPLIANCE; the assets nobody is accountable for, now or as
 * of an instant.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());


const ACKNOWLEDGE = `mutation($policyId: ID!, $ownerId: ID!, $at: DateTime) {
  acknowledgePolicy(policyId: $policyId, ownerId: $ownerId, at: $at) { owner { name } acknowledgedAt policyVersion }
}`;
const POLICY = `query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on Policy {
  name kind policyVersion implementedBy { name } acknowledgedBy { name } acknowledgements { owner { name } acknowledgedAt policyVersion }
} } }`;
const UNOWNED = `query($types: [EntityType!], $source: String, $first: Int, $asOf: DateTime) { unownedAssets(types: $types, source: $source, first: $first, asOf: $asOf) { asOf total items { __typename name source } } }`;

const idOf = async (type: string, source: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;

async function policyWorld() {
  const source = unique('pol');
  await api.data(
    SYNC,
    {
      input: {
        source,
        assets: {
          policies: [{ externalId: 'aup', name: 'AI acceptable use', kind: 'AI_ACCEPTABLE_USE', policyVersion: '2.0', effectiveFrom: '2026-03-01T00:00:00Z' }],
          controls: [{ externalId: 'egress', name: 'GenAI egress monitoring' }],
        },
        relationships: [rel('IMPLEMENTS', ['Control', 'egress'], ['Policy', 'aup'])],
      },
    },
    compliance,
  );
  const people = unique('people');
  await api.data(SYNC, { input: { source: people, assets: { owners: [{ externalId: 'a', name: 'Ada' }, { externalId: 'b', name: 'Bo' }] } } });
  return { source, policy: await idOf('Policy', source, 'aup'), ada: await idOf('Owner', people, 'a'), bo: await idOf('Owner', people, 'b') };
}

test('COMPLIANCE writes policies that controls implement; owners acknowledge them with when and which version', async () => {
  const world = await policyWorld();
  const at = '2026-03-05T09:00:00.000Z';
  const first = await api.data(ACKNOWLEDGE, { policyId: world.policy, ownerId: world.ada, at }, compliance);
  expect(first.acknowledgePolicy).toEqual({ owner: { name: 'Ada' }, acknowledgedAt: at, policyVersion: '2.0' });
  await api.data(ACKNOWLEDGE, { policyId: world.policy, ownerId: world.bo }, admin);
  const { node } = await api.data(POLICY, { id: world.policy });
  expect(node).toMatchObject({ name: 'AI acceptable use', kind: 'AI_ACCEPTABLE_USE', implementedBy: [{ name: 'GenAI egress monitoring' }] });
  expect(node.acknowledgedBy.map((owner: { name: string }) => owner.name)).toEqual(['Ada', 'Bo']);
  expect(node.acknowledgements[0]).toEqual({ owner: { name: 'Ada' }, acknowledgedAt: at, policyVersion: '2.0' });
  const owner = await api.data(`query($id: ID!) { node(id: $id) { ... on Owner { acknowledgedPolicies { name } } } }`, { id: world.ada });
  expect(owner.node.acknowledgedPolicies).toEqual([{ name: 'AI acceptable use' }]);
});

test('roles: a VIEWER and a SYNC key neither write policies nor record acknowledgements; hostile input is coded and writes nothing', async () => {
  const world = await policyWorld();
  const create = (caller: Principal, source: string) =>
    api.execute(`mutation($input: PolicyInput!, $source: String) { createPolicy(input: $input, source: $source) { id } }`, { input: { externalId: unique('p'), name: 'P' }, source }, caller);
  expect((await create(viewer, world.source)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await create(syncFor(world.source), world.source)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await create(compliance, world.source)).errors).toBeUndefined();
  const viaSync = await api.execute(SYNC, { input: { source: world.source, assets: { policies: [{ externalId: 'x', name: 'X' }] } } }, syncFor(world.source));
  expect(viaSync.errors?.[0].extensions?.code).toBe('FORBIDDEN');

  const cases: Array<[Record<string, unknown>, Principal, string]> = [
    [{ policyId: world.policy, ownerId: world.ada }, viewer, 'FORBIDDEN'],
    [{ policyId: world.policy, ownerId: world.ada }, syncFor(world.source), 'FORBIDDEN'],
    [{ policyId: world.ada, ownerId: world.ada }, compliance, 'BAD_USER_INPUT'],
    [{ policyId: world.policy, ownerId: world.policy }, compliance, 'BAD_USER_INPUT'],
    [{ policyId: world.policy, ownerId: '00000000-0000-0000-0000-000000000000' }, compliance, 'NOT_FOUND'],
    [{ policyId: 'nonsense', ownerId: world.ada }, compliance, 'NOT_FOUND'],
    [{ policyId: world.policy, ownerId: world.ada, at: '2999-01-01T00:00:00Z' }, compliance, 'BAD_USER_INPUT'],
  ];
  for (const [variables, caller, code] of cases) {
    const result = await api.execute(ACKNOWLEDGE, variables, caller);
    expect(result.errors?.[0].extensions?.code).toBe(code);
  }
  expect((await api.data(POLICY, { id: world.policy })).node.acknowledgements).toEqual([]);
});

test('two callers acknowledging at once leave one acknowledgement (serialised on the policy), not two', async () => {
  const world = await policyWorld();
  const results = await Promise.all(
    ['2026-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z'].map((at) => api.execute(ACKNOWLEDGE, { policyId: world.policy, ownerId: world.ada, at }, compliance)),
  );
  expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);
  const { node } = await api.data(POLICY, { id: world.policy });
  expect(node.acknowledgements).toHaveLength(1);
  expect(['2026-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z']).toContain(node.acknowledgements[0].acknowledgedAt);
});

test('as of an instant: acknowledgements and the policy version then', async () => {
  const world = await policyWorld();
  const { instants, step } = timeline();
  await step(() => api.data(ACKNOWLEDGE, { policyId: world.policy, ownerId: world.ada, at: '2026-03-05T09:00:00Z' }, compliance));
  await step(() => api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { policyVersion: "3.0" } }) { id } }`, { id: world.policy }, compliance));
  await step(() => api.data(ACKNOWLEDGE, { policyId: world.policy, ownerId: world.ada, at: '2026-06-01T09:00:00Z' }, compliance));
  const then = (await api.data(POLICY, { id: world.policy, asOf: instants[0].toISOString() })).node;
  expect(then.acknowledgements).toEqual([{ owner: { name: 'Ada' }, acknowledgedAt: '2026-03-05T09:00:00.000Z', policyVersion: '2.0' }]);
  const now = (await api.data(POLICY, { id: world.policy })).node;
  expect(now).toMatchObject({ policyVersion: '3.0', acknowledgements: [{ owner: { name: 'Ada' }, acknowledgedAt: '2026-06-01T09:00:00.000Z', policyVersion: '3.0' }] });
});

test('unowned assets: every asset without OWNED_BY, now and as of an instant; only asset types; bounded page', async () => {
  const source = unique('unowned');
  const { instants, step } = timeline();
  await step(() =>
    api.data(SYNC, {
      input: {
        source,
        assets: {
          aiModels: [{ externalId: 'm', name: `Model ${source}` }],
          datasets: [{ externalId: 'd', name: `Data ${source}` }],
          owners: [{ externalId: 'o', name: 'Owner' }],
        },
        relationships: [rel('OWNED_BY', ['Dataset', 'd'], ['Owner', 'o'])],
      },
    }),
  );
  await step(() => api.data(SYNC, { input: { source, assets: {}, relationships: [rel('OWNED_BY', ['AIModel', 'm'], ['Owner', 'o'])] } }));
  await step(() => api.data(SYNC, { input: { source, mode: 'REPLACE', assets: { aiModels: [{ externalId: 'm', name: `Model ${source}` }], datasets: [{ externalId: 'd', name: `Data ${source}` }], owners: [{ externalId: 'o', name: 'Owner' }] }, relationships: [rel('OWNED_BY', ['AIModel', 'm'], ['Owner', 'o'])] } }));
  const ours = (data: Record<string, any>) => (data.unownedAssets.items as Array<{ name: string; source: string }>).filter((item) => item.source === source).map((item) => item.name);
  const maxPage = api.config.limits.maxPageSize;
  // Of this test's source: every test's unowned records together run past one page.
  const at = (index: number) => api.data(UNOWNED, { types: ['AIModel', 'Dataset'], source, first: maxPage, asOf: instants[index].toISOString() });
  expect(ours(await at(0))).toEqual([`Model ${source}`]);
  expect(ours(await at(1))).toEqual([]);
  expect(ours(await at(2))).toEqual([`Data ${source}`]);
  const now = await api.data(UNOWNED, { types: ['Dataset'], source, first: maxPage });
  expect(now.unownedAssets.asOf).toBeNull();
  expect(ours(now)).toEqual([`Data ${source}`]);
  expect(now.unownedAssets.total).toBeGreaterThanOrEqual(1);
  const page = await api.data(UNOWNED, { first: 0 });
  expect(page.unownedAssets.items).toEqual([]);
  for (const variables of [{ types: ['Owner'] }, { types: ['Policy'] }, { first: -1 }, { first: maxPage + 1 }, { asOf: '2999-01-01T00:00:00Z' }]) {
    const result = await api.execute(UNOWNED, variables, viewer);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});
