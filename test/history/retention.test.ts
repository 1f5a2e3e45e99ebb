import { pruneHistory, PruneScope } from '../../src/history/retention';
import { createTestFramework } from '../compliance/support';
import { createTestApi, TestApi, unique } from '../support/api';
import { pause, timeline } from '../support/timeline';

/**
 * The retention prune on history this test owns: the prune is confined to its source and its
 * framework (other tests' history in the shared database must survive it), with a horizon between
 * two of its steps. What ended before the horizon goes; current state, and every state still valid
 * at the horizon, stays and answers as before.
 */

let api: TestApi;
let source: string;
let scope: PruneScope;
const { instants: t, step } = timeline();
let horizon: Date;
const ids: Record<string, string> = {};


const SYNC = `mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok errors { path message } } }`;
const NA = (action: 'declare' | 'withdraw') =>
  action === 'declare'
    ? `mutation($framework: String!) { declareNotApplicable(requirement: { framework: $framework, identifier: "Art. 1" }, rationale: "not ours") { id } }`
    : `mutation($framework: String!) { withdrawNotApplicable(requirement: { framework: $framework, identifier: "Art. 1" }) { __typename } }`;

beforeAll(async () => {
  api = await createTestApi();
  source = unique('retention');
  const framework = await createTestFramework(api, [{ identifier: 'Art. 1', kind: 'ARTICLE' }], 'retention');
  scope = { source, framework };
  // t0: Alpha trained on Data, Beta; Art. 1 declared not applicable.
  await step(async () => {
    await api.data(SYNC, {
      input: {
        source,
        assets: { aiModels: [{ externalId: 'm', name: 'Alpha' }, { externalId: 'gone', name: 'Beta' }], datasets: [{ externalId: 'd', name: 'Data' }] },
        relationships: [{ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'm' }, to: { type: 'Dataset', externalId: 'd' } }],
      },
    });
    await api.data(NA('declare'), { framework });
  });
  const { entities } = await api.data(`query($source: String!) { entities(filter: { source: $source }) { nodes { id externalId } } }`, { source });
  for (const node of entities.nodes) ids[node.externalId] = node.id;
  // t1: Alpha renamed, no longer trained on Data; Beta deleted; the declaration withdrawn.
  await step(async () => {
    await api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { name: "Alpha 2" }) { id } }`, { id: ids.m });
    await api.data(`mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }`, { from: ids.m, to: ids.d });
    await api.data(`mutation($id: ID!) { deleteEntity(id: $id) { id } }`, { id: ids.gone });
    await api.data(NA('withdraw'), { framework });
  });
  await pause();
  horizon = new Date();
  // t2: after the horizon, Alpha renamed again; Art. 1 declared again.
  await step(async () => {
    await api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { name: "Alpha 3" }) { id } }`, { id: ids.m });
    await api.data(NA('declare'), { framework });
  });
});
afterAll(() => api.close());

const NODE = `query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on AIModel { name trainedOn { name } } } }`;
const nameAt = async (id: string, asOf: Date) => (await api.data(NODE, { id, asOf: asOf.toISOString() })).node;
const CURRENT = `query($source: String!, $framework: String!) {
  entities(filter: { source: $source }) { nodes { id name } }
  requirement(framework: $framework, identifier: "Art. 1") { notApplicable { rationale } applicabilityHistory { withdrawnAt } }
}`;

test('a dry run counts what ended before the horizon; the prune removes exactly that, and never current state', async () => {
  const prune = (dryRun: boolean) => pruneHistory(api.app.gateway, horizon, { dryRun, actor: 'retention test', reason: 'test', scope });
  // Before: the past reads as it was.
  expect(await nameAt(ids.m, t[0])).toEqual({ name: 'Alpha', trainedOn: [{ name: 'Data' }] });
  expect(await nameAt(ids.gone, t[0])).toEqual({ name: 'Beta', trainedOn: [] });
  const current = await api.data(CURRENT, { source, framework: scope.framework });
  expect(current.requirement.applicabilityHistory).toHaveLength(2);

  // The sync at t0, Alpha's rename and Beta's deletion at t1 (unlinking and declarations are not the source's change sets).
  const expected = { changeSets: 3, versions: 1, relationships: 1, retired: 1, declarations: 1 };
  const dry = await prune(true);
  expect(dry).toMatchObject({ dryRun: true, removed: expected });
  expect((await prune(true)).removed).toEqual(expected);
  expect((await prune(false)).removed).toEqual(expected);
  expect((await prune(true)).removed).toEqual({ changeSets: 0, versions: 0, relationships: 0, retired: 0, declarations: 0 });

  // Current state is untouched.
  expect(await api.data(CURRENT, { source, framework: scope.framework })).toEqual({
    ...current,
    requirement: { ...current.requirement, applicabilityHistory: current.requirement.applicabilityHistory.filter((d: { withdrawnAt: string | null }) => d.withdrawnAt === null) },
  });
  // Every state valid at the horizon or after still reads: Alpha 2 until t2, Alpha 3 since.
  expect(await nameAt(ids.m, horizon)).toEqual({ name: 'Alpha 2', trainedOn: [] });
  expect(await nameAt(ids.m, t[2])).toEqual({ name: 'Alpha 3', trainedOn: [] });
  // What ended before it is gone: Alpha's first state and link, Beta altogether.
  expect(await nameAt(ids.m, t[0])).toBeNull();
  expect(await nameAt(ids.gone, t[0])).toBeNull();
  // Beta sent again is a new record: its retired node went with its history.
  await api.data(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'gone', name: 'Beta again' }] } } });
  const { entityByKey } = await api.data(`query($source: String!) { entityByKey(type: AIModel, source: $source, externalId: "gone") { id name } }`, { source });
  expect(entityByKey.name).toBe('Beta again');
  expect(entityByKey.id).not.toBe(ids.gone);
});
