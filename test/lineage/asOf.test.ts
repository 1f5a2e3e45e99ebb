import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { pause, rel } from '../support/timeline';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

/**
 * A small estate that changes at real instants, each recorded once its write has returned:
 *   t1  raw <-DERIVED_FROM- clean <-TRAINED_ON- model -INFORMS-> loan; other, unused; vendor v provides the model
 *   t2  the model renamed ("Model v2") and moved to APPROVED, once its approver approved that gate
 *   t3  the model retrained on `other` (TRAINED_ON clean unlinked, TRAINED_ON other linked)
 *   t4  the loan decision deleted (cascade: its INFORMS ends)
 */
async function history() {
  const source = unique('asof');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        datasets: [
          { externalId: 'raw', name: 'Raw', containsPersonalData: true },
          { externalId: 'clean', name: 'Clean' },
          { externalId: 'other', name: 'Other' },
        ],
        aiModels: [{ externalId: 'model', name: 'Model', lifecycleStage: 'VALIDATION' }],
        decisions: [{ externalId: 'loan', name: 'Loan' }],
        vendors: [{ externalId: 'v', name: 'Vendor' }],
        owners: [{ externalId: 'approver', name: 'Approver', approvesStages: ['APPROVED'] }],
      },
      relationships: [
        rel('DERIVED_FROM', ['Dataset', 'clean'], ['Dataset', 'raw']),
        rel('TRAINED_ON', ['AIModel', 'model'], ['Dataset', 'clean']),
        rel('INFORMS', ['AIModel', 'model'], ['Decision', 'loan']),
        rel('PROVIDED_BY', ['AIModel', 'model'], ['Vendor', 'v']),
      ],
    },
  });
  const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  const ids = { raw: await id('Dataset', 'raw'), clean: await id('Dataset', 'clean'), other: await id('Dataset', 'other'), model: await id('AIModel', 'model'), loan: await id('Decision', 'loan'), vendor: await id('Vendor', 'v') };
  const t1 = new Date();
  await pause();
  await api.data('mutation($input: RecordGateApprovalInput!) { recordGateApproval(input: $input) { id } }', {
    input: {
      source,
      approval: { externalId: 'approval', name: 'Use approval', stage: 'APPROVED', outcome: 'APPROVED', decidedAt: new Date().toISOString() },
      subject: { type: 'AIModel', externalId: 'model', source },
      approver: { type: 'Owner', externalId: 'approver', source },
    },
  });
  await api.data('mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { name: "Model v2", lifecycleStage: "APPROVED" } }) { id } }', { id: ids.model });
  const t2 = new Date();
  await pause();
  await api.data('mutation($m: ID!, $d: ID!) { unlink(type: TRAINED_ON, fromId: $m, toId: $d) { removed } }', { m: ids.model, d: ids.clean });
  await api.data('mutation($m: ID!, $d: ID!) { link(type: TRAINED_ON, fromId: $m, toId: $d) { created } }', { m: ids.model, d: ids.other });
  const t3 = new Date();
  await pause();
  await api.data('mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }', { id: ids.loan });
  const t4 = new Date();
  return { source, ids, t1, t2, t3, t4 };
}

const IMPACT = `query($id: ID!, $asOf: DateTime, $compareTo: DateTime) {
  impact(id: $id, asOf: $asOf, compareTo: $compareTo) {
    asOf count truncated root { name }
    items { entity { id name } distance path { text } }
    groups { type count items(first: 1) { entity { name } } }
    decisions { decision { name } distance }
    vendors { name }
  }
}`;
const byName = (items: Array<{ entity: { name: string }; distance: number }>) => Object.fromEntries(items.map((item) => [item.entity.name, item.distance]));

test('impact as of each instant: the relationships that held then, each record as it was then, with the path then', async () => {
  const { ids, t1, t2, t3, t4 } = await history();
  const at = async (asOf: Date | null) => (await api.data(IMPACT, { id: ids.raw, asOf: asOf?.toISOString() ?? null })).impact;

  const first = await at(t1);
  expect(first.asOf).toBe(t1.toISOString());
  expect(byName(first.items)).toEqual({ Clean: 1, Model: 2, Loan: 3 });
  expect(first.count).toBe(3);
  expect(first.items.find((item: { entity: { name: string } }) => item.entity.name === 'Loan').path.text).toBe('Raw <-DERIVED_FROM- Clean <-TRAINED_ON- Model -INFORMS-> Loan');
  expect(first.decisions).toEqual([{ decision: { name: 'Loan' }, distance: 3 }]);
  expect(first.groups).toEqual([
    { type: 'AIModel', count: 1, items: [{ entity: { name: 'Model' } }] },
    { type: 'Dataset', count: 1, items: [{ entity: { name: 'Clean' } }] },
    { type: 'Decision', count: 1, items: [{ entity: { name: 'Loan' } }] },
  ]);
  expect(first.vendors).toEqual([{ name: 'Vendor' }]);

  // Renamed at t2: the same radius, the new name on the record and in the path.
  const renamed = await at(t2);
  expect(byName(renamed.items)).toEqual({ Clean: 1, 'Model v2': 2, Loan: 3 });
  expect(renamed.items.map((item: { path: { text: string } }) => item.path.text)).toContain('Raw <-DERIVED_FROM- Clean <-TRAINED_ON- Model v2 -INFORMS-> Loan');

  // Retrained on other data at t3: the model and its decision left the radius of raw.
  for (const instant of [t3, t4, null]) expect(byName((await at(instant)).items)).toEqual({ Clean: 1 });
  expect((await at(null)).asOf).toBeNull();

  // The instant is inclusive: a question asked at the exact instant of a change sees it.
  const other = (await api.data(IMPACT, { id: ids.other, asOf: t3.toISOString() })).impact;
  expect(byName(other.items)).toEqual({ 'Model v2': 1, Loan: 2 });
});

test('dependencies and lineage as of then reach a record deleted since; a root that did not exist then is NOT_FOUND', async () => {
  const { ids, t1, t3, t4 } = await history();
  const DEPENDENCIES = 'query($id: ID!, $asOf: DateTime) { dependencies(id: $id, asOf: $asOf) { root { name } items { entity { name } distance path { text } } } }';
  const before = (await api.data(DEPENDENCIES, { id: ids.loan, asOf: t1.toISOString() })).dependencies;
  expect(before.root).toEqual({ name: 'Loan' });
  expect(byName(before.items)).toEqual({ Model: 1, Clean: 2, Vendor: 2, Raw: 3 });
  const retrained = (await api.data(DEPENDENCIES, { id: ids.loan, asOf: t3.toISOString() })).dependencies;
  expect(byName(retrained.items)).toEqual({ 'Model v2': 1, Other: 2, Vendor: 2 });

  // What a record reached then leads to is read then too.
  const NESTED = 'query($id: ID!, $asOf: DateTime) { dependencies(id: $id, asOf: $asOf) { items { entity { name ... on AIModel { trainedOn { name } } } } } }';
  const model = (answer: { dependencies: { items: Array<{ entity: { name: string; trainedOn?: unknown } }> } }) => answer.dependencies.items.find((item) => item.entity.trainedOn)!.entity;
  expect(model(await api.data(NESTED, { id: ids.loan, asOf: t1.toISOString() }))).toEqual({ name: 'Model', trainedOn: [{ name: 'Clean' }] });
  expect(model(await api.data(NESTED, { id: ids.loan, asOf: t3.toISOString() }))).toEqual({ name: 'Model v2', trainedOn: [{ name: 'Other' }] });

  // Deleted at t4: gone now and as of t4, with a message that says why.
  const now = await api.execute(DEPENDENCIES, { id: ids.loan });
  expect(code(now)).toBe('NOT_FOUND');
  const gone = await api.execute(DEPENDENCIES, { id: ids.loan, asOf: t4.toISOString() });
  expect(code(gone)).toBe('NOT_FOUND');
  expect(gone.errors![0].message).toMatch(/did not exist at/);
  // A record created after the instant asked did not exist then either.
  const { ids: later } = await history();
  expect(code(await api.execute(DEPENDENCIES, { id: later.loan, asOf: t1.toISOString() }))).toBe('NOT_FOUND');

  const LINEAGE = `query($id: ID!, $asOf: DateTime) { lineage(id: $id, asOf: $asOf) {
    root { name } nodes { entity { id name } distance direction } edges { type fromId toId properties }
  } }`;
  const graph = (await api.data(LINEAGE, { id: ids.model, asOf: t1.toISOString() })).lineage;
  expect(graph.root).toEqual({ name: 'Model' });
  expect(graph.nodes.map((node: { entity: { name: string }; distance: number; direction: string }) => [node.entity.name, node.distance, node.direction]).sort()).toEqual([
    ['Clean', 1, 'UPSTREAM'],
    ['Loan', 1, 'DOWNSTREAM'],
    ['Model', 0, 'BOTH'],
    ['Raw', 2, 'UPSTREAM'],
    ['Vendor', 1, 'UPSTREAM'],
  ]);
  const edges = graph.edges.map((edge: { type: string; fromId: string; toId: string }) => `${edge.fromId}-${edge.type}->${edge.toId}`).sort();
  expect(edges).toEqual(
    [`${ids.clean}-DERIVED_FROM->${ids.raw}`, `${ids.model}-INFORMS->${ids.loan}`, `${ids.model}-PROVIDED_BY->${ids.vendor}`, `${ids.model}-TRAINED_ON->${ids.clean}`].sort(),
  );
  // An ended relationship's bookkeeping (was, validFrom, validTo) is not one of its properties.
  for (const edge of graph.edges) expect(edge.properties).toEqual({});
  const now2 = (await api.data(LINEAGE, { id: ids.model })).lineage;
  expect(now2.nodes.map((node: { entity: { name: string } }) => node.entity.name).sort()).toEqual(['Model v2', 'Other', 'Vendor']);
});

test('compareTo reports what entered, left and moved, with the distance at each side', async () => {
  const { ids, t1, t3 } = await history();
  const COMPARE = `query($id: ID!, $asOf: DateTime, $compareTo: DateTime) {
    impact(id: $id, asOf: $asOf, compareTo: $compareTo) {
      count
      comparison { compareTo truncated entered { entity { name } distanceBefore distanceAfter } left { entity { name } distanceBefore distanceAfter } moved { entity { name } } }
    }
  }`;
  const raw = (await api.data(COMPARE, { id: ids.raw, compareTo: t1.toISOString() })).impact;
  expect(raw.count).toBe(1);
  expect(raw.comparison).toEqual({
    compareTo: t1.toISOString(),
    truncated: false,
    entered: [],
    // As they were before, when they were reached: the model under its old name.
    left: [
      { entity: { name: 'Model' }, distanceBefore: 2, distanceAfter: null },
      { entity: { name: 'Loan' }, distanceBefore: 3, distanceAfter: null },
    ],
    moved: [],
  });
  const other = (await api.data(COMPARE, { id: ids.other, asOf: t3.toISOString(), compareTo: t1.toISOString() })).impact.comparison;
  expect(other.entered).toEqual([
    { entity: { name: 'Model v2' }, distanceBefore: null, distanceAfter: 1 },
    { entity: { name: 'Loan' }, distanceBefore: null, distanceAfter: 2 },
  ]);
  expect(other.left).toEqual([]);
  // Without compareTo there is no comparison; an instant out of bounds is refused like asOf.
  expect((await api.data(COMPARE, { id: ids.raw })).impact.comparison).toBeNull();
  expect(code(await api.execute(COMPARE, { id: ids.raw, compareTo: '2001-01-01T00:00:00Z' }))).toBe('BAD_USER_INPUT');

  // dependencies compare the other way: what the decision rested on.
  const DEPS = 'query($id: ID!, $asOf: DateTime, $compareTo: DateTime) { dependencies(id: $id, asOf: $asOf, compareTo: $compareTo) { comparison { entered { entity { name } distanceAfter } left { entity { name } distanceBefore } moved { entity { name } distanceBefore distanceAfter } } } }';
  const rested = (await api.data(DEPS, { id: ids.loan, asOf: t3.toISOString(), compareTo: t1.toISOString() })).dependencies.comparison;
  expect(rested).toEqual({
    entered: [{ entity: { name: 'Other' }, distanceAfter: 2 }],
    left: [{ entity: { name: 'Clean' }, distanceBefore: 2 }, { entity: { name: 'Raw' }, distanceBefore: 3 }],
    moved: [],
  });
});

test('exposure as of then: personal data and ungated models as they stood, decisions deleted since included', async () => {
  const { source, t1, t2 } = await history();
  const EXPOSURE = `query($asOf: DateTime) { exposure(asOf: $asOf) {
    personalData { decision { name source } sources { name } }
    ungatedModels { decision { name source } sources { name ... on AIModel { lifecycleStage } } }
    vendorConcentration { vendor { name source } decisionCount decisions { name } }
  } }`;
  const mine = <T extends { decision?: { source: string }; vendor?: { source: string } }>(list: T[]) => list.filter((entry) => (entry.decision ?? entry.vendor)!.source === source);
  const then = (await api.data(EXPOSURE, { asOf: t1.toISOString() })).exposure;
  expect(mine(then.personalData)).toEqual([{ decision: { name: 'Loan', source }, sources: [{ name: 'Raw' }] }]);
  expect(mine(then.ungatedModels)).toEqual([{ decision: { name: 'Loan', source }, sources: [{ name: 'Model', lifecycleStage: 'VALIDATION' }] }]);
  expect(mine(then.vendorConcentration)).toEqual([{ vendor: { name: 'Vendor', source }, decisionCount: 1, decisions: [{ name: 'Loan' }] }]);
  // Its APPROVED gate passed at t2 (an approval, not the stage's name): no longer ungated.
  expect(mine((await api.data(EXPOSURE, { asOf: t2.toISOString() })).exposure.ungatedModels)).toEqual([]);
  const now = (await api.data(EXPOSURE, {})).exposure;
  expect(mine(now.personalData)).toEqual([]);
  expect(mine(now.vendorConcentration)).toEqual([]);
});

test('compromisedUpstream as of then follows the lineage then and the compromise window as recorded', async () => {
  const { ids, t1, t2 } = await history();
  // The clean data was compromised from t1 (found later, now); the model then rested on it.
  await api.data('mutation($id: ID!, $since: DateTime) { markCompromised(id: $id, reason: "Poisoned rows", since: $since) { incident { id } } }', { id: ids.clean, since: t1.toISOString() });
  const UPSTREAM = 'query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on AIModel { compromisedUpstream(asOf: $asOf) { source { name } distance path { text } } } } }';
  const at = async (asOf: Date | null) => (await api.data(UPSTREAM, { id: ids.model, asOf: asOf?.toISOString() ?? null })).node.compromisedUpstream;
  expect(await at(t2)).toEqual([{ source: { name: 'Clean' }, distance: 1, path: { text: 'Model v2 -TRAINED_ON-> Clean' } }]);
  // Before the window began nothing was compromised; now the model rests on other data.
  const before = new Date(t1.getTime() - 1);
  expect(code(await api.execute(UPSTREAM, { id: ids.model, asOf: before.toISOString() }))).toBeUndefined();
  expect(await at(null)).toEqual([]);
  // A record read as of an instant answers as of that instant unless asked otherwise.
  const READ_THEN = 'query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on AIModel { name compromisedUpstream { source { name } } } } }';
  expect((await api.data(READ_THEN, { id: ids.model, asOf: t2.toISOString() })).node).toEqual({ name: 'Model v2', compromisedUpstream: [{ source: { name: 'Clean' } }] });
  // Several records and instants in one request: one query per instant, not per record.
  const MANY = `query($a: ID!, $b: ID!, $t: DateTime) {
    a: node(id: $a) { ... on AIModel { then: compromisedUpstream(asOf: $t) { distance } now: compromisedUpstream { distance } } }
    b: node(id: $b) { ... on Dataset { then: compromisedUpstream(asOf: $t) { distance } now: compromisedUpstream { distance } } }
  }`;
  const result = await api.execute(MANY, { a: ids.model, b: ids.raw, t: t2.toISOString() });
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ a: { then: [{ distance: 1 }], now: [] }, b: { then: [], now: [] } });
});

describe('bad and hostile instants are refused as BAD_USER_INPUT before any traversal', () => {
  const cases: Array<[string, string]> = [
    ['in the future', new Date(Date.now() + 3_600_000).toISOString()],
    ['before the graph\'s first record', '2001-01-01T00:00:00.000Z'],
    ['not a date-time', 'yesterday'],
    ['a date without a time', '2026-08-02'],
    ['an injection attempt', "2026-01-01T00:00:00Z' OR 1=1 //"],
    ['far out of range', '+275760-09-13T00:00:00.000Z'],
  ];
  test.each(cases)('asOf %s', async (_what, asOf) => {
    const { ids } = await history();
    for (const query of [
      'query($id: ID!, $asOf: DateTime) { impact(id: $id, asOf: $asOf) { count } }',
      'query($id: ID!, $asOf: DateTime) { dependencies(id: $id, asOf: $asOf) { count } }',
      'query($id: ID!, $asOf: DateTime) { lineage(id: $id, asOf: $asOf) { truncated } }',
      'query($id: ID!, $asOf: DateTime) { impact(id: $id, compareTo: $asOf) { count } }',
      'query($asOf: DateTime) { exposure(asOf: $asOf) { personalData { sources { id } } } }',
      'query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Dataset { compromisedUpstream(asOf: $asOf) { distance } } } }',
    ]) {
      const result = await api.execute(query, { id: ids.raw, asOf });
      expect({ query, code: code(result) }).toEqual({ query, code: 'BAD_USER_INPUT' });
    }
  });

  test('a key naming nothing, with hostile text in it, is NOT_FOUND as of any instant', async () => {
    const { t1 } = await history();
    const result = await api.execute('query($key: EntityKeyInput!, $asOf: DateTime) { impact(key: $key, asOf: $asOf) { count } }', {
      key: { type: 'Dataset', source: "x' }) MATCH (n) DETACH DELETE n //", externalId: '\u0000raw' },
      asOf: t1.toISOString(),
    });
    expect(code(result)).toBe('NOT_FOUND');
  });
});
