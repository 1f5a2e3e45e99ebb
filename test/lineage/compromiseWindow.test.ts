import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { pause, rel } from '../support/timeline';
import { syncFor, viewer } from '../support/principals';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code ?? 'ok';

const MARK = `mutation($id: ID!, $reason: String!, $since: DateTime, $incident: CompromiseIncidentInput) {
  markCompromised(id: $id, reason: $reason, since: $since, incident: $incident) {
    entity { id status } incident { id } window { since until reason asset { id } incident { id } } impact { count }
  }
}`;
const CLEAR = 'mutation($id: ID!, $until: DateTime, $reason: String) { clearCompromised(id: $id, until: $until, reason: $reason) { id status } }';
const WINDOWS = 'query($id: ID!) { node(id: $id) { ... on Incident { compromiseWindows { asset { id } since until reason } } } }';
const DURING = `query($id: ID!, $from: DateTime!, $to: DateTime, $maxDepth: Int) {
  impactDuring(id: $id, from: $from, to: $to, maxDepth: $maxDepth) {
    root { name } from to count truncated
    dependents { entity { id name } intervals { from to distance paths { from to distance path { text } } } }
  }
}`;

/**
 * The fraud labels feed a training set, a model trained on it informs a decision, and an agent
 * uses the model; another model is trained on clean data. Each step's instant is recorded once its
 * write has returned.
 */
async function estate() {
  const source = unique('window');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        datasets: [
          { externalId: 'labels', name: 'Fraud labels' },
          { externalId: 'train', name: 'Training set' },
          { externalId: 'clean', name: 'Clean set' },
        ],
        aiModels: [{ externalId: 'model', name: 'Fraud model' }],
        agents: [{ externalId: 'agent', name: 'Review agent' }],
        decisions: [{ externalId: 'block', name: 'Block card' }],
      },
      relationships: [
        rel('DERIVED_FROM', ['Dataset', 'train'], ['Dataset', 'labels']),
        rel('TRAINED_ON', ['AIModel', 'model'], ['Dataset', 'train']),
        rel('INFORMS', ['AIModel', 'model'], ['Decision', 'block']),
        rel('USES_MODEL', ['Agent', 'agent'], ['AIModel', 'model']),
      ],
    },
  });
  const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  const ids = { labels: await id('Dataset', 'labels'), train: await id('Dataset', 'train'), clean: await id('Dataset', 'clean'), model: await id('AIModel', 'model'), agent: await id('Agent', 'agent'), block: await id('Decision', 'block') };
  const loaded = new Date();
  await pause();
  return { source, ids, loaded };
}

/** The model retrained on the clean set: its TRAINED_ON the poisoned training set ends. */
async function retrain(ids: Awaited<ReturnType<typeof estate>>['ids']) {
  const before = new Date();
  await pause();
  await api.data('mutation($m: ID!, $d: ID!) { unlink(type: TRAINED_ON, fromId: $m, toId: $d) { removed } }', { m: ids.model, d: ids.train });
  await api.data('mutation($m: ID!, $d: ID!) { link(type: TRAINED_ON, fromId: $m, toId: $d) { created } }', { m: ids.model, d: ids.clean });
  const after = new Date();
  await pause();
  return { before, after };
}

const within = (iso: string | null, from: Date, to: Date) => iso !== null && Date.parse(iso) >= from.getTime() && Date.parse(iso) <= to.getTime();

test('the window: marked from the past, the model retrained mid-window still shows for the time it rested on the labels', async () => {
  const { ids, loaded } = await estate();
  // Found now, begun when the estate was loaded.
  const marked = (await api.data(MARK, { id: ids.labels, reason: 'Label flips', since: loaded.toISOString() })).markCompromised;
  expect(marked.entity.status).toBe('COMPROMISED');
  expect(marked.window).toEqual({ since: loaded.toISOString(), until: null, reason: 'Label flips', asset: { id: ids.labels }, incident: { id: marked.incident.id } });
  expect(marked.impact.count).toBe(4);
  const retrained = await retrain(ids);
  const cleared = (await api.data(CLEAR, { id: ids.labels, reason: 'Labels restored' })).clearCompromised;
  expect(cleared.status).toBe('ACTIVE');
  const end = new Date();

  const windows = (await api.data(WINDOWS, { id: marked.incident.id })).node.compromiseWindows;
  expect(windows).toEqual([{ asset: { id: ids.labels }, since: loaded.toISOString(), until: expect.any(String), reason: 'Label flips' }]);
  expect(within(windows[0].until, retrained.after, end)).toBe(true);

  const during = (await api.data(DURING, { id: ids.labels, from: windows[0].since, to: windows[0].until })).impactDuring;
  expect(during).toMatchObject({ root: { name: 'Fraud labels' }, from: loaded.toISOString(), to: windows[0].until, count: 4, truncated: false });
  const byName = Object.fromEntries(during.dependents.map((dependent: { entity: { name: string } }) => [dependent.entity.name, dependent]));
  expect(Object.keys(byName)).toEqual(['Training set', 'Fraud model', 'Block card', 'Review agent']);
  // The training set depended on the labels the whole window.
  expect(byName['Training set'].intervals).toEqual([
    { from: loaded.toISOString(), to: null, distance: 1, paths: [{ from: loaded.toISOString(), to: null, distance: 1, path: { text: 'Fraud labels <-DERIVED_FROM- Training set' } }] },
  ]);
  // The model, its decision and the agent until the model was retrained, by the path that held then.
  const [model] = byName['Fraud model'].intervals;
  expect(byName['Fraud model'].intervals).toHaveLength(1);
  expect(model).toMatchObject({ from: loaded.toISOString(), distance: 2 });
  expect(within(model.to, retrained.before, retrained.after)).toBe(true);
  expect(model.paths).toEqual([{ from: loaded.toISOString(), to: model.to, distance: 2, path: { text: 'Fraud labels <-DERIVED_FROM- Training set <-TRAINED_ON- Fraud model' } }]);
  expect(byName['Block card'].intervals).toEqual([expect.objectContaining({ from: loaded.toISOString(), to: model.to, distance: 3 })]);
  expect(byName['Block card'].intervals[0].paths[0].path.text).toBe('Fraud labels <-DERIVED_FROM- Training set <-TRAINED_ON- Fraud model -INFORMS-> Block card');
  expect(byName['Review agent'].intervals).toEqual([expect.objectContaining({ from: loaded.toISOString(), to: model.to, distance: 3 })]);

  // The clean set never depended on the labels; nor does anything after the retraining.
  const after = (await api.data(DURING, { id: ids.labels, from: retrained.after.toISOString() })).impactDuring;
  expect(after.dependents.map((dependent: { entity: { name: string } }) => dependent.entity.name)).toEqual(['Training set']);
  // maxDepth bounds the walk at every instant.
  const shallow = (await api.data(DURING, { id: ids.labels, from: loaded.toISOString(), maxDepth: 2 })).impactDuring;
  expect(shallow.dependents.map((dependent: { entity: { name: string } }) => dependent.entity.name)).toEqual(['Training set', 'Fraud model']);
});

test('a record deleted during the window shows, as it was last, until its deletion; so does one whose root was deleted', async () => {
  const { ids, loaded } = await estate();
  const before = new Date();
  await pause();
  await api.data('mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }', { id: ids.block });
  const after = new Date();
  const during = (await api.data(DURING, { id: ids.labels, from: loaded.toISOString() })).impactDuring;
  const block = during.dependents.find((dependent: { entity: { id: string } }) => dependent.entity.id === ids.block);
  expect(block.entity.name).toBe('Block card');
  expect(block.intervals).toHaveLength(1);
  expect(block.intervals[0].from).toBe(loaded.toISOString());
  expect(within(block.intervals[0].to, before, after)).toBe(true);
  // The labels themselves deleted: what rested on them while they existed is still answered.
  await api.data('mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }', { id: ids.labels });
  const gone = (await api.data(DURING, { id: ids.labels, from: loaded.toISOString() })).impactDuring;
  expect(gone.root.name).toBe('Fraud labels');
  expect(gone.dependents.map((dependent: { entity: { name: string }; intervals: Array<{ to: string | null }> }) => [dependent.entity.name, dependent.intervals[0].to !== null])).toEqual([
    ['Training set', true],
    ['Fraud model', true],
    ['Block card', true],
    ['Review agent', true],
  ]);
});

test('compromisedUpstream as of an instant inside the window reports it; before it and after the clearance not', async () => {
  const { ids, loaded } = await estate();
  const marked = (await api.data(MARK, { id: ids.labels, reason: 'Label flips', since: loaded.toISOString() })).markCompromised;
  const inside = new Date();
  await pause();
  await api.data(CLEAR, { id: ids.labels });
  const cleared = new Date();
  const UPSTREAM = 'query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Decision { compromisedUpstream(asOf: $asOf) { source { name } distance path { text } } } } }';
  const at = async (asOf: Date | null) => (await api.data(UPSTREAM, { id: ids.block, asOf: asOf?.toISOString() ?? null })).node.compromisedUpstream;
  expect(await at(inside)).toEqual([{ source: { name: 'Fraud labels' }, distance: 3, path: { text: 'Block card <-INFORMS- Fraud model -TRAINED_ON-> Training set -DERIVED_FROM-> Fraud labels' } }]);
  expect(await at(loaded)).toHaveLength(1);
  expect(await at(new Date(loaded.getTime() - 1))).toEqual([]);
  expect(await at(cleared)).toEqual([]);
  expect(await at(null)).toEqual([]);
  // Marked again with the same incident from a later instant: the ended window does not stretch over the gap.
  const again = await api.execute(MARK, { id: ids.labels, reason: 'Again', since: cleared.toISOString(), incident: { id: marked.incident.id } });
  expect(code(again)).toBe('BAD_USER_INPUT');
  expect(again.errors![0].message).toMatch(/new incident/);
  // Resumed from inside the window: the same compromise, reopened from its start.
  const resumed = (await api.data(MARK, { id: ids.labels, reason: 'Not over', since: inside.toISOString(), incident: { id: marked.incident.id } })).markCompromised;
  expect(resumed.window).toMatchObject({ since: loaded.toISOString(), until: null });
  expect(await at(null)).toHaveLength(1);
});

test('bad windows are BAD_USER_INPUT and write nothing', async () => {
  const { ids, loaded } = await estate();
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const ancient = '2001-01-01T00:00:00.000Z';
  for (const since of [future, ancient, 'last week']) {
    expect(code(await api.execute(MARK, { id: ids.labels, reason: 'x', since }))).toBe('BAD_USER_INPUT');
  }
  const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on Dataset { status incidents { id } } } }', { id: ids.labels });
  expect(node).toEqual({ status: null, incidents: [] });

  await api.data(MARK, { id: ids.labels, reason: 'x', since: loaded.toISOString() });
  for (const until of [future, ancient, new Date(loaded.getTime() - 1).toISOString()]) {
    expect(code(await api.execute(CLEAR, { id: ids.labels, until }))).toBe('BAD_USER_INPUT');
  }
  expect((await api.data('query($id: ID!) { node(id: $id) { ... on Dataset { status } } }', { id: ids.labels })).node.status).toBe('COMPROMISED');

  const now = new Date().toISOString();
  for (const [from, to] of [
    [now, loaded.toISOString()],
    [future, null],
    [ancient, now],
    [loaded.toISOString(), future],
  ]) {
    expect({ from, to, code: code(await api.execute(DURING, { id: ids.labels, from, to })) }).toEqual({ from, to, code: 'BAD_USER_INPUT' });
  }
  // A record created after the window did not exist during it.
  const { ids: later } = await estate();
  expect(code(await api.execute(DURING, { id: later.labels, from: loaded.toISOString(), to: loaded.toISOString() }))).toBe('NOT_FOUND');
  expect(code(await api.execute(DURING, { id: 'no-such-record', from: loaded.toISOString() }))).toBe('NOT_FOUND');
  expect(code(await api.execute(DURING, { id: ids.labels, from: loaded.toISOString(), maxDepth: 0 }))).toBe('BAD_USER_INPUT');
});

test('clearCompromised as each role: COMPLIANCE and ADMIN clear, a SYNC key (of its source or another) and a VIEWER are FORBIDDEN', async () => {
  const { source, ids } = await estate();
  const callers: Array<[Principal, string]> = [
    [{ name: 'viewer', kind: 'apiKey', role: 'VIEWER' }, 'FORBIDDEN'],
    [{ name: 'sync-own', kind: 'apiKey', role: 'SYNC', source }, 'FORBIDDEN'],
    [{ name: 'sync-other', kind: 'apiKey', role: 'SYNC', source: unique('elsewhere') }, 'FORBIDDEN'],
    [{ name: 'grc', kind: 'apiKey', role: 'COMPLIANCE' }, 'ok'],
    [{ name: 'admin', kind: 'apiKey', role: 'ADMIN' }, 'ok'],
  ];
  for (const [caller, expected] of callers) {
    await api.data(MARK, { id: ids.model, reason: `for ${caller.name}` });
    const result = await api.execute(CLEAR, { id: ids.model, reason: 'cleared' }, caller);
    expect({ caller: caller.name, code: code(result) }).toEqual({ caller: caller.name, code: expected });
    const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { status incidents { compromiseWindows { until } } } } }', { id: ids.model });
    const open = node.incidents.flatMap((incident: { compromiseWindows: Array<{ until: string | null }> }) => incident.compromiseWindows).filter((window: { until: string | null }) => window.until === null);
    if (expected === 'ok') {
      expect(node.status).toBe('ACTIVE');
      expect(open).toEqual([]);
    } else {
      expect(node.status).toBe('COMPROMISED');
      expect(open).toHaveLength(1);
      await api.data(CLEAR, { id: ids.model });
    }
  }
  // markCompromised's since is checked only for callers who may mark at all.
  const refused = await api.execute(MARK, { id: ids.model, reason: 'x', since: '2001-01-01T00:00:00Z' }, callers[0][0]);
  expect(code(refused)).toBe('FORBIDDEN');
});

test('concurrent clears and marks: one clear wins, and the status is COMPROMISED exactly when a window is open', async () => {
  const { ids } = await estate();
  const state = async () => {
    const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { status incidents { compromiseWindows { until } } } } }', { id: ids.model });
    const open = node.incidents.flatMap((incident: { compromiseWindows: Array<{ until: string | null }> }) => incident.compromiseWindows).filter((window: { until: string | null }) => window.until === null);
    return { status: node.status as string, open: open.length as number };
  };
  for (let trial = 0; trial < 4; trial += 1) {
    await api.data(MARK, { id: ids.model, reason: `trial ${trial}` });
    const clears = await Promise.all([0, 1].map(() => api.execute(CLEAR, { id: ids.model })));
    expect(clears.map(code).sort()).toEqual(['BAD_USER_INPUT', 'ok']);
    expect(await state()).toEqual({ status: 'ACTIVE', open: 0 });

    await api.data(MARK, { id: ids.model, reason: `trial ${trial} again` });
    const [mark, clear] = await Promise.all([api.execute(MARK, { id: ids.model, reason: `racing ${trial}` }), api.execute(CLEAR, { id: ids.model })]);
    expect([code(mark), code(clear)]).toEqual(['ok', 'ok']);
    const after = await state();
    // Clear then mark: one window open; mark then clear: none.
    expect([
      { status: 'COMPROMISED', open: 1 },
      { status: 'ACTIVE', open: 0 },
    ]).toContainEqual(after);
    if (after.open > 0) await api.data(CLEAR, { id: ids.model });
  }
});

test('hostile input: reasons and incident names are checked, an incident id must name an incident', async () => {
  const { ids, loaded } = await estate();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ id: ids.labels, reason: '   ' }, 'BAD_USER_INPUT'],
    [{ id: ids.labels, reason: 'x'.repeat(100_000) }, 'BAD_USER_INPUT'],
    [{ id: ids.labels, reason: 'x', incident: { name: 'a\u0000b' } }, 'BAD_USER_INPUT'],
    [{ id: ids.labels, reason: 'x', incident: { id: ids.model } }, 'NOT_FOUND'],
    [{ id: "' OR 1=1 //", reason: 'x', since: loaded.toISOString() }, 'NOT_FOUND'],
    [{ id: ids.labels, reason: 'x', since: { $gt: '' } }, 'BAD_USER_INPUT'],
  ];
  for (const [variables, expected] of cases) expect(code(await api.execute(MARK, variables))).toBe(expected);
  expect(code(await api.execute(CLEAR, { id: ids.labels, reason: 'x'.repeat(100_000) }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(CLEAR, { id: ids.labels }))).toBe('BAD_USER_INPUT');
  expect((await api.data('query($id: ID!) { node(id: $id) { ... on Dataset { status incidents { id } } } }', { id: ids.labels })).node).toEqual({ status: null, incidents: [] });
  // A window is written by these mutations only: a link cannot forge one on an incident's INVOLVES.
  const { markCompromised } = await api.data(MARK, { id: ids.model, reason: 'x' });
  const LINK = 'mutation($from: ID!, $to: ID!, $properties: JSONObject) { link(type: INVOLVES, fromId: $from, toId: $to, properties: $properties) { created } }';
  for (const property of ['compromisedSince', 'compromisedUntil']) {
    expect(code(await api.execute(LINK, { from: markCompromised.incident.id, to: ids.agent, properties: { [property]: '2020-01-01T00:00:00Z' } }))).toBe('BAD_USER_INPUT');
  }
  expect((await api.data(WINDOWS, { id: markCompromised.incident.id })).node.compromiseWindows).toEqual([expect.objectContaining({ asset: { id: ids.model }, until: null })]);
});

test('markCompromised checks the page arguments of the impact it answers with before it writes: a bad one leaves the asset unmarked', async () => {
  const { ids } = await estate();
  const paged = (items: string) => `mutation($id: ID!) { markCompromised(id: $id, reason: "Label flips") { entity { status } impact { count ${items} } } }`;
  const status = async () => (await api.data('query($id: ID!) { node(id: $id) { ... on Dataset { status } } }', { id: ids.labels })).node.status;

  const hostile = ['items(first: -1) { distance }', 'decisions(after: "not a cursor") { distance }', 'groups { items(first: 100000) { distance } }', `items(after: "\\u0000\\u001b[2J${'r'.repeat(5_000)}") { distance }`];
  for (const items of hostile) {
    expect(code(await api.execute(paged(items), { id: ids.labels }))).toBe('BAD_USER_INPUT');
    expect(await status()).not.toBe('COMPROMISED');
  }
  // A caller who may not mark is told so first, whatever it asks of the answer.
  expect(code(await api.execute(paged(hostile[0]), { id: ids.labels }, viewer))).toBe('FORBIDDEN');
  expect(code(await api.execute(paged(hostile[0]), { id: ids.labels }, syncFor(unique('other'))))).toBe('FORBIDDEN');
  const marked = await api.execute(paged('items(first: 2) { entity { id } }'), { id: ids.labels });
  expect(marked.errors).toBeUndefined();
  expect(marked.data!.markCompromised).toMatchObject({ entity: { status: 'COMPROMISED' }, impact: { count: 4 } });
  expect(marked.data!.markCompromised.impact.items).toHaveLength(2);
});
