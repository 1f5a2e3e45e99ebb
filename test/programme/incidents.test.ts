import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { rel, timeline } from '../support/timeline';
import { viewer, compliance, admin, syncFor } from '../support/principals';

/**
 * Incident playbooks (issue 15): an incident that FOLLOWS a playbook shows its steps, all PENDING
 * until progress is recorded; steps run in order, whoever records them (updateIncidentStep or a
 * sync); markCompromised opens its incident on the poisoning playbook with the impact report's
 * records; time to contain and to close per category and quarter, as of an instant.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());


const STEPS = ['Triage and declare', 'Contain', 'Scope with lineage', 'Recover'];

const INCIDENT = `query Incident($id: ID!, $asOf: DateTime) {
  node(id: $id, asOf: $asOf) { ... on Incident { id version category stepRecords follows { id } steps { position text status owner { id name } startedAt completedAt note } } }
}`;
const STEP = `mutation Step($input: IncidentStepInput!) {
  updateIncidentStep(input: $input) { id version steps { position status owner { name } startedAt completedAt note } }
}`;

const idOf = async (type: string, source: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;

/** A playbook and an incident that follows it (with no step records), in a source of the test's own. */
async function incidentOnPlaybook(extra: Record<string, unknown> = {}) {
  const source = unique('inc');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        playbooks: [{ externalId: 'pb', name: 'Poisoning playbook', scenario: 'TRAINING_DATA_POISONING', steps: STEPS }],
        incidents: [{ externalId: 'inc', name: 'Suspected poisoning', category: 'TRAINING_DATA_POISONING', detectedAt: '2026-11-18T14:00:00Z', ...extra }],
        owners: [{ externalId: 'lead', name: 'Incident lead' }],
      },
      relationships: [rel('FOLLOWS', ['Incident', 'inc'], ['Playbook', 'pb'])],
    },
  });
  return { source, incidentId: await idOf('Incident', source, 'inc'), ownerId: await idOf('Owner', source, 'lead') };
}

test('an incident that follows a playbook and has no step records shows every step PENDING, in order', async () => {
  const { incidentId } = await incidentOnPlaybook();
  const { node } = await api.data(INCIDENT, { id: incidentId });
  expect(node.category).toBe('TRAINING_DATA_POISONING');
  expect(node.stepRecords).toEqual([]);
  expect(node.steps).toEqual(STEPS.map((text, index) => ({ position: index + 1, text, status: 'PENDING', owner: null, startedAt: null, completedAt: null, note: null })));
});

test('steps run in order: starting or completing a step before the ones before it ended is BAD_USER_INPUT, and writes nothing', async () => {
  const { incidentId, ownerId } = await incidentOnPlaybook();
  const outOfOrder = await api.execute(STEP, { input: { incidentId, position: 2, status: 'IN_PROGRESS' } }, compliance);
  expect(outOfOrder.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(outOfOrder.errors?.[0].message).toMatch(/step 2 is IN_PROGRESS while step 1 is PENDING/);

  await api.data(STEP, { input: { incidentId, position: 1, status: 'IN_PROGRESS', ownerId } }, compliance);
  const stillRunning = await api.execute(STEP, { input: { incidentId, position: 2, status: 'DONE' } }, compliance);
  expect(stillRunning.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const done = await api.data(STEP, { input: { incidentId, position: 1, status: 'DONE', note: 'declared' } }, compliance);
  expect(done.updateIncidentStep.steps[0]).toMatchObject({ status: 'DONE', owner: { name: 'Incident lead' }, note: 'declared' });
  // A skip needs its reason; once skipped, the next step may start.
  const noReason = await api.execute(STEP, { input: { incidentId, position: 2, status: 'SKIPPED' } }, compliance);
  expect(noReason.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  await api.data(STEP, { input: { incidentId, position: 2, status: 'SKIPPED', note: 'nothing left to contain' } }, compliance);
  const third = await api.data(STEP, { input: { incidentId, position: 3, status: 'DONE' } }, admin);
  expect(third.updateIncidentStep.steps.map((step: { status: string }) => step.status)).toEqual(['DONE', 'SKIPPED', 'DONE', 'PENDING']);

  // A step never goes back, and the playbook has no step 5.
  for (const input of [
    { position: 1, status: 'IN_PROGRESS' },
    { position: 3, status: 'PENDING' },
    { position: 5, status: 'DONE' },
    { position: 0, status: 'DONE' },
  ]) {
    const refused = await api.execute(STEP, { input: { incidentId, ...input } }, compliance);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
  const { node } = await api.data(INCIDENT, { id: incidentId });
  expect(node.version).toBe(third.updateIncidentStep.version);
});

test('a sync that sends step records out of order, or malformed, is refused with the item named', async () => {
  const source = unique('inc-sync');
  const send = (stepRecords: string[]) =>
    api.execute(SYNC, { input: { source, assets: { incidents: [{ externalId: 'inc', name: 'Incident', stepRecords }] } } });
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 18, 14, minutes)).toISOString();
  const cases = [
    [JSON.stringify({ position: 2, status: 'DONE', startedAt: at(0), completedAt: at(5) })],
    [JSON.stringify({ position: 1, status: 'DONE', startedAt: at(0), completedAt: at(10) }), JSON.stringify({ position: 2, status: 'IN_PROGRESS', startedAt: at(5) })],
    [JSON.stringify({ position: 1, status: 'DONE', startedAt: at(10), completedAt: at(5) })],
    [JSON.stringify({ position: 1, status: 'DONE' })],
    ['not json'],
    [JSON.stringify({ position: 1, status: 'FINISHED', startedAt: at(0) })],
    [JSON.stringify({ position: 1, status: 'IN_PROGRESS', startedAt: at(0), owner: { source: 'x\u0000', externalId: 'y' } })],
    [JSON.stringify({ position: 1, status: 'IN_PROGRESS', startedAt: at(0), extra: true })],
    [JSON.stringify({ position: 1, status: 'IN_PROGRESS', startedAt: at(0) }), JSON.stringify({ position: 1, status: 'IN_PROGRESS', startedAt: at(0) })],
  ];
  for (const records of cases) {
    const result = await send(records);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result.errors?.[0].extensions?.problems)).toContain('assets.incidents[0].stepRecords');
  }
  const nothing = await api.execute(KEY_LOOKUP, { type: 'Incident', source, externalId: 'inc' });
  expect(nothing.data?.entityByKey).toBeNull();

  const inOrder = [JSON.stringify({ position: 1, status: 'DONE', startedAt: at(0), completedAt: at(5), owner: { source, externalId: 'lead' } }), JSON.stringify({ status: 'IN_PROGRESS', position: 2, startedAt: at(6) })];
  const first = await api.data(SYNC, { input: { source, assets: { incidents: [{ externalId: 'inc', name: 'Incident', stepRecords: inOrder }] } } });
  expect(first.syncInventory.assets.created).toBe(1);
  // Stored canonical: the same progress sent again, keys in another order, is no change.
  const again = await api.data(SYNC, { input: { source, assets: { incidents: [{ externalId: 'inc', name: 'Incident', stepRecords: [...inOrder].reverse() }] } } });
  expect(again.syncInventory.assets.unchanged).toBe(1);
});

test('who may record a step: COMPLIANCE, ADMIN and the SYNC key of the incident source; not a VIEWER nor another source', async () => {
  const { source, incidentId } = await incidentOnPlaybook();
  const refused = [viewer, syncFor(unique('other'))];
  for (const caller of refused) {
    const result = await api.execute(STEP, { input: { incidentId, position: 1, status: 'IN_PROGRESS' } }, caller);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  await api.data(STEP, { input: { incidentId, position: 1, status: 'IN_PROGRESS' } }, syncFor(source));
  await api.data(STEP, { input: { incidentId, position: 1, status: 'DONE' } }, compliance);
  const history = await api.data(`query($id: ID!) { history(id: $id, first: 5) { actor reason action } }`, { id: incidentId });
  expect(history.history.slice(0, 2)).toEqual([
    { actor: 'key:grc-key', reason: 'playbook step 1 DONE', action: 'UPDATE' },
    { actor: `key:sync-${source}`, reason: 'playbook step 1 IN_PROGRESS', action: 'UPDATE' },
  ]);
  // A SYNC key cannot write playbooks, even of its own source; COMPLIANCE can.
  const playbook = (caller: Principal) =>
    api.execute(`mutation($input: PlaybookInput!, $source: String) { createPlaybook(input: $input, source: $source) { id steps } }`, { input: { externalId: unique('pb'), name: 'P', steps: ['a'] }, source }, caller);
  expect((await playbook(syncFor(source))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await playbook(viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await playbook(compliance)).data?.createPlaybook.steps).toEqual(['a']);
});

test('two callers at once: the same step started twice is recorded once; two steps at once are serialised and checked in order', async () => {
  const { incidentId } = await incidentOnPlaybook();
  const same = await Promise.all([1, 2].map(() => api.execute(STEP, { input: { incidentId, position: 1, status: 'IN_PROGRESS' } }, compliance)));
  expect(same.map((result) => result.errors)).toEqual([undefined, undefined]);
  const history = await api.data(`query($id: ID!) { history(id: $id) { reason } }`, { id: incidentId });
  expect(history.history.filter((event: { reason: string | null }) => event.reason === 'playbook step 1 IN_PROGRESS')).toHaveLength(1);

  // Finishing step 1 and starting step 2 at once: step 2 passes only if it runs after step 1 ended.
  const [finish, next] = await Promise.all([
    api.execute(STEP, { input: { incidentId, position: 1, status: 'DONE' } }, compliance),
    api.execute(STEP, { input: { incidentId, position: 2, status: 'IN_PROGRESS' } }, admin),
  ]);
  expect(finish.errors).toBeUndefined();
  const { node } = await api.data(INCIDENT, { id: incidentId });
  if (next.errors) {
    expect(next.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(node.steps[1].status).toBe('PENDING');
  } else expect(node.steps[1].status).toBe('IN_PROGRESS');
});

test('hostile input: unknown ids, a record of another type, a stale version, a future or malformed instant, control characters', async () => {
  const { incidentId, ownerId, source } = await incidentOnPlaybook();
  const playbookId = await idOf('Playbook', source, 'pb');
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ incidentId: '00000000-0000-0000-0000-000000000000', position: 1, status: 'DONE' }, 'NOT_FOUND'],
    [{ incidentId: playbookId, position: 1, status: 'DONE' }, 'BAD_USER_INPUT'],
    [{ incidentId, position: 1, status: 'DONE', ownerId: playbookId }, 'BAD_USER_INPUT'],
    [{ incidentId, position: 1, status: 'DONE', ownerId: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
    [{ incidentId, position: 1, status: 'DONE', expectedVersion: 99 }, 'CONFLICT'],
    [{ incidentId, position: 1, status: 'DONE', at: '2999-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    [{ incidentId, position: 1, status: 'DONE', note: 'a\u0000b' }, 'BAD_USER_INPUT'],
    [{ incidentId, position: 2_147_483_647, status: 'DONE' }, 'BAD_USER_INPUT'],
  ];
  for (const [input, code] of cases) {
    const result = await api.execute(STEP, { input }, compliance);
    expect(result.errors?.[0].extensions?.code).toBe(code);
  }
  const noPlaybook = unique('inc-none');
  await api.data(SYNC, { input: { source: noPlaybook, assets: { incidents: [{ externalId: 'i', name: 'Alone' }] } } });
  const alone = await api.execute(STEP, { input: { incidentId: await idOf('Incident', noPlaybook, 'i'), position: 1, status: 'DONE' } }, compliance);
  expect(alone.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const { node } = await api.data(INCIDENT, { id: incidentId });
  expect(node.stepRecords).toEqual([]);
  expect(ownerId).toBeTruthy();
});

test('as of an instant: the steps as they stood then, and the owner then', async () => {
  const { incidentId, ownerId } = await incidentOnPlaybook();
  const { instants, step } = timeline();
  await step(() => api.data(STEP, { input: { incidentId, position: 1, status: 'DONE', ownerId } }, compliance));
  await step(() => api.data('mutation($id: ID!) { updateEntity(id: $id, patch: { name: "Renamed lead" }) { id } }', { id: ownerId }));
  await step(() => api.data(STEP, { input: { incidentId, position: 2, status: 'IN_PROGRESS' } }, compliance));
  const then = (await api.data(INCIDENT, { id: incidentId, asOf: instants[0].toISOString() })).node;
  expect(then.steps.map((s: { status: string }) => s.status)).toEqual(['DONE', 'PENDING', 'PENDING', 'PENDING']);
  expect(then.steps[0].owner.name).toBe('Incident lead');
  const now = (await api.data(INCIDENT, { id: incidentId })).node;
  expect(now.steps.map((s: { status: string }) => s.status)).toEqual(['DONE', 'IN_PROGRESS', 'PENDING', 'PENDING']);
  expect(now.steps[0].owner.name).toBe('Renamed lead');
});

const METRICS = `query($asOf: DateTime) { incidentMetrics(asOf: $asOf) { category quarter incidents uncontained open meanHoursToContain medianHoursToContain maxHoursToContain meanHoursToClose medianHoursToClose maxHoursToClose } }`;

test('time to contain and to close per category and quarter, as the graph knew it at an instant', async () => {
  // A category of its own would be shared with other tests: dates far in the past give the test its own quarter.
  const source = unique('metrics');
  const incident = (externalId: string, detectedAt: string, containedAt: string | null, closedAt: string | null) => ({
    externalId,
    name: externalId,
    category: 'AGENT_MISFIRE',
    detectedAt,
    ...(containedAt ? { containedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
  });
  const { instants, step } = timeline();
  await step(() =>
    api.data(SYNC, {
      input: {
        source,
        assets: {
          incidents: [
            incident('a', '1991-01-10T00:00:00Z', '1991-01-10T06:00:00Z', '1991-01-12T00:00:00Z'),
            incident('b', '1991-02-01T00:00:00Z', '1991-02-01T02:00:00Z', null),
            incident('c', '1991-03-31T23:00:00Z', null, null),
          ],
        },
      },
    }),
  );
  await step(() => api.data(SYNC, { input: { source, assets: { incidents: [incident('b', '1991-02-01T00:00:00Z', '1991-02-01T02:00:00Z', '1991-02-03T02:00:00Z')] } } }));
  const row = (data: { incidentMetrics: Array<{ quarter: string; category: string }> }) => data.incidentMetrics.find((m) => m.quarter === '1991-Q1' && m.category === 'AGENT_MISFIRE');
  expect(row(await api.data(METRICS, {}))).toEqual({
    category: 'AGENT_MISFIRE',
    quarter: '1991-Q1',
    incidents: 3,
    uncontained: 1,
    open: 1,
    meanHoursToContain: 4,
    medianHoursToContain: 4,
    maxHoursToContain: 6,
    meanHoursToClose: 49,
    medianHoursToClose: 49,
    maxHoursToClose: 50,
  });
  // Before b's closure was recorded, only a was closed.
  expect(row(await api.data(METRICS, { asOf: instants[0].toISOString() }))).toMatchObject({ incidents: 3, open: 2, meanHoursToClose: 48, maxHoursToClose: 48 });
  const bad = await api.execute(METRICS, { asOf: '2999-01-01T00:00:00Z' });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('markCompromised opens its incident on the poisoning playbook with the records the impact report reaches', async () => {
  const source = unique('poison');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        datasets: [{ externalId: 'labels', name: 'Labels' }, { externalId: 'train', name: 'Training set' }],
        aiModels: [{ externalId: 'model', name: 'Detector' }],
        decisions: [{ externalId: 'block', name: 'Block' }],
        playbooks: [{ externalId: 'pb', name: 'Poisoning', scenario: 'TRAINING_DATA_POISONING', steps: ['Contain', 'Recover'] }],
      },
      relationships: [rel('DERIVED_FROM', ['Dataset', 'train'], ['Dataset', 'labels']), rel('TRAINED_ON', ['AIModel', 'model'], ['Dataset', 'train']), rel('INFORMS', ['AIModel', 'model'], ['Decision', 'block'])],
    },
  });
  const labels = await idOf('Dataset', source, 'labels');
  const marked = await api.data(
    `mutation($id: ID!) { markCompromised(id: $id, reason: "flipped labels") { incident { id category follows { scenario } steps { status } involves { name } } } }`,
    { id: labels },
    compliance,
  );
  const { incident } = marked.markCompromised;
  expect(incident.category).toBe('TRAINING_DATA_POISONING');
  expect(incident.involves.map((asset: { name: string }) => asset.name).sort()).toEqual(['Block', 'Detector', 'Labels', 'Training set']);
  // The programme's own poisoning playbook when the demo is loaded, else this test's.
  expect(incident.follows).toEqual([{ scenario: 'TRAINING_DATA_POISONING' }]);
  expect(new Set(incident.steps.map((step: { status: string }) => step.status))).toEqual(new Set(['PENDING']));
  // The window stays on the compromised record's INVOLVES only.
  const windows = await api.data(`query($id: ID!) { node(id: $id) { ... on Incident { compromiseWindows { asset { name } } } } }`, { id: incident.id });
  expect(windows.node.compromiseWindows).toEqual([{ asset: { name: 'Labels' } }]);
});
