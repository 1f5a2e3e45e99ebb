import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, SATISFY } from './support';

/**
 * Compliance as it stood at an instant: claims, controls, evidence and declarations read as they
 * were then, and what changed between two instants. Each test makes its own framework and records
 * and reads the past through instants taken between its own writes, so concurrent tests change
 * nothing it asks about.
 */

let api: TestApi;
let base: string;
beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

const json = (response: Response): Promise<any> => response.json();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An instant strictly after every write made so far and before any made next (same clock as the API's). */
async function instant(): Promise<string> {
  await pause(5);
  const at = new Date().toISOString();
  await pause(5);
  return at;
}

const ref = (type: string, externalId: string) => ({ type, externalId });
const control = (source: string, externalId: string, implementationStatus: string) => ({ externalId, name: `${externalId} ${source}`, implementationStatus });
const UNSATISFY = 'mutation($id: ID!, $r: RequirementRefInput!) { unsatisfy(controlId: $id, requirement: $r) { removed } }';

const COVERAGE = `query($f: String!, $scope: CoverageScope, $asOf: DateTime) {
  coverage(framework: $f, scope: $scope, asOf: $asOf) {
    asOf total
    items {
      requirement { identifier } status
      notApplicable { rationale active }
      controls { control { name implementationStatus } coverage rationale evidence { name expired } owners { name } }
    }
  }
}`;

type Item = { requirement: { identifier: string }; status: string; controls: Array<{ control: { name: string; implementationStatus: string }; coverage: string; evidence: Array<{ name: string; expired: boolean }> }> };
const statusOf = (map: { items: Item[] }) => Object.fromEntries(map.items.map((item) => [item.requirement.identifier, item.status]));
const itemOf = (map: { items: Item[] }, identifier: string) => map.items.find((item) => item.requirement.identifier === identifier)!;

async function coverageAt(f: string, asOf: string | null, scope: Record<string, unknown> | null = null): Promise<{ asOf: string | null; items: Item[] }> {
  return (await api.data(COVERAGE, { f, scope, asOf })).coverage;
}

test('an Article 10 question at a past instant: the claim, the control and the evidence as they were then', async () => {
  const source = unique('asof-article');
  const fw = await createTestFramework(api, [
    { identifier: 'Chapter III', kind: 'CHAPTER' },
    { identifier: 'Article 10', kind: 'ARTICLE', parent: 'Chapter III' },
    { identifier: 'Article 12', kind: 'ARTICLE', parent: 'Chapter III' },
  ]);
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        aiModels: [{ externalId: 'model', name: `Scoring ${source}`, riskTier: 'HIGH' }],
        owners: [{ externalId: 'owner', name: `Data team ${source}` }],
        controls: [control(source, 'lineage', 'IMPLEMENTED')],
        evidence: [{ externalId: 'hashes', name: `hashes ${source}` }],
      },
      relationships: [
        { type: 'SUPPORTS', from: ref('Evidence', 'hashes'), to: ref('Control', 'lineage') },
        { type: 'OWNED_BY', from: ref('Control', 'lineage'), to: ref('Owner', 'owner') },
        { type: 'APPLIES_TO', from: ref('Control', 'lineage'), to: ref('AIModel', 'model') },
      ],
    },
  });
  const controlId = await idOf(api, source, 'Control', 'lineage');
  const modelId = await idOf(api, source, 'AIModel', 'model');
  const beforeClaim = await instant();
  await api.data(SATISFY, { controlId, r: { framework: fw, identifier: 'Article 10' }, coverage: 'FULL', why: 'Lineage and integrity hashes.' });
  // The evidence is renewed for a moment only: the question at an instant within it is answered
  // with its validity then, not now.
  const expiresAt = new Date(Date.now() + 3_000).toISOString();
  await api.data(SYNC, { input: { source, assets: { evidence: [{ externalId: 'hashes', name: `hashes ${source}`, expiresAt }] } } });
  const then = await instant();
  expect(Date.parse(then)).toBeLessThan(Date.parse(expiresAt));
  // Since then: the evidence expired, and the control was set back to PLANNED (a new version).
  await pause(Math.max(0, Date.parse(expiresAt) - Date.now()) + 50);
  await api.data(SYNC, { input: { source, assets: { controls: [control(source, 'lineage', 'PLANNED')] } } });

  const scope = { assetId: modelId };
  const now = await coverageAt(fw, null, scope);
  expect(now.asOf).toBeNull();
  expect(itemOf(now, 'Article 10')).toMatchObject({
    status: 'PARTIAL',
    controls: [{ control: { implementationStatus: 'PLANNED' }, evidence: [{ name: `hashes ${source}`, expired: true }] }],
  });

  const past = await coverageAt(fw, then, scope);
  expect(past.asOf).toBe(then);
  expect(past.items).toEqual([
    {
      requirement: { identifier: 'Article 10' },
      status: 'SATISFIED',
      notApplicable: null,
      controls: [
        {
          control: { name: `lineage ${source}`, implementationStatus: 'IMPLEMENTED' },
          coverage: 'FULL',
          rationale: 'Lineage and integrity hashes.',
          evidence: [{ name: `hashes ${source}`, expired: false }],
          owners: [{ name: `Data team ${source}` }],
        },
      ],
    },
  ]);
  // Before the claim nothing covered it; the whole framework, unscoped, says so.
  expect(statusOf(await coverageAt(fw, beforeClaim))).toEqual({ 'Article 10': 'GAP', 'Article 12': 'GAP' });

  // The OSCAL document of the map as of then states that instant and that status.
  const { coverage } = await api.data(`query($f: String!, $asOf: DateTime) { coverage(framework: $f, asOf: $asOf) { oscal } }`, { f: fw, asOf: then });
  const results = coverage.oscal['assessment-results'];
  expect(results.metadata['last-modified']).toBe(then);
  expect(results.results[0].findings.map((finding: { target: { status: { state: string } } }) => finding.target.status.state)).toEqual(['satisfied', 'not-satisfied']);
});

test('a claim withdrawn later, a coverage changed later and a control retired later count as they stood before', async () => {
  const source = unique('asof-claims');
  const fw = await createTestFramework(api, [
    { identifier: 'A1', kind: 'ARTICLE' },
    { identifier: 'A2', kind: 'ARTICLE' },
    { identifier: 'A3', kind: 'ARTICLE' },
  ]);
  await api.data(SYNC, {
    input: {
      source,
      assets: { controls: [control(source, 'ca', 'IMPLEMENTED'), control(source, 'cb', 'IMPLEMENTED')], evidence: [{ externalId: 'e', name: `e ${source}`, expiresAt: '2999-01-01T00:00:00Z' }] },
      relationships: [
        { type: 'SUPPORTS', from: ref('Evidence', 'e'), to: ref('Control', 'ca') },
        { type: 'SUPPORTS', from: ref('Evidence', 'e'), to: ref('Control', 'cb') },
      ],
    },
  });
  const ca = await idOf(api, source, 'Control', 'ca');
  const cb = await idOf(api, source, 'Control', 'cb');
  const r = (identifier: string) => ({ framework: fw, identifier });
  await api.data(SATISFY, { controlId: ca, r: r('A1'), coverage: 'FULL', why: 'First claim.' });
  await api.data(SATISFY, { controlId: cb, r: r('A2'), coverage: 'FULL', why: 'Claim of a control deleted later.' });
  await api.data(SATISFY, { controlId: ca, r: r('A3'), coverage: 'PARTIAL', why: 'Partly, at first.' });
  const then = await instant();
  await api.data(UNSATISFY, { id: ca, r: r('A1') });
  await api.data('mutation($id: ID!) { deleteEntity(id: $id, cascade: true) { id } }', { id: cb });
  await api.data(SATISFY, { controlId: ca, r: r('A3'), coverage: 'FULL', why: 'Fully, now.' });

  expect(statusOf(await coverageAt(fw, null))).toEqual({ A1: 'GAP', A2: 'GAP', A3: 'SATISFIED' });
  const past = await coverageAt(fw, then);
  expect(statusOf(past)).toEqual({ A1: 'SATISFIED', A2: 'SATISFIED', A3: 'PARTIAL' });
  expect(itemOf(past, 'A2').controls.map((claim) => claim.control.name)).toEqual([`cb ${source}`]);
  expect(itemOf(past, 'A3').controls).toMatchObject([{ coverage: 'PARTIAL', rationale: 'Partly, at first.' }]);

  const CONTROLS_FOR = `query($r: RequirementRefInput!, $asOf: DateTime) { controlsFor(requirement: $r, depth: 0, asOf: $asOf) { control { id name requirements { requirement { identifier } } } coverage rationale direct } }`;
  expect((await api.data(CONTROLS_FOR, { r: r('A2') })).controlsFor).toEqual([]);
  expect((await api.data(CONTROLS_FOR, { r: r('A2'), asOf: then })).controlsFor).toEqual([
    // The control read as of then leads on at that instant: its claims then.
    { control: { id: cb, name: `cb ${source}`, requirements: [{ requirement: { identifier: 'A2' } }] }, coverage: 'FULL', rationale: 'Claim of a control deleted later.', direct: true },
  ]);

  const REQUIREMENTS_FOR = `query($id: ID!, $asOf: DateTime) { requirementsFor(controlId: $id, depth: 0, asOf: $asOf) { requirement { identifier } coverage } }`;
  expect((await api.data(REQUIREMENTS_FOR, { id: ca, asOf: then })).requirementsFor).toEqual([
    { requirement: { identifier: 'A1' }, coverage: 'FULL' },
    { requirement: { identifier: 'A3' }, coverage: 'PARTIAL' },
  ]);
  expect((await api.data(REQUIREMENTS_FOR, { id: ca })).requirementsFor).toEqual([{ requirement: { identifier: 'A3' }, coverage: 'FULL' }]);
  // The retired control answers for the time it existed, and is not found now.
  expect((await api.data(REQUIREMENTS_FOR, { id: cb, asOf: then })).requirementsFor).toEqual([{ requirement: { identifier: 'A2' }, coverage: 'FULL' }]);
  const gone = await api.execute(REQUIREMENTS_FOR, { id: cb });
  expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test('a threat chain and the posture as they stood before a claim was withdrawn and a risk closed', async () => {
  const source = unique('asof-threat');
  const fw = await createTestFramework(api, [{ identifier: 'R1', kind: 'RISK' }]);
  const risk = (status: string) => ({ externalId: 'risk', name: `Risk ${source}`, category: 'PROMPT_INJECTION', likelihood: 3, impact: 3, status });
  await api.data(SYNC, {
    input: {
      source,
      assets: { aiModels: [{ externalId: 'model', name: `Model ${source}` }], controls: [control(source, 'filter', 'IMPLEMENTED')], risks: [risk('TREATING')] },
      relationships: [{ type: 'APPLIES_TO', from: ref('Control', 'filter'), to: ref('AIModel', 'model') }],
    },
  });
  const filter = await idOf(api, source, 'Control', 'filter');
  await api.data(SATISFY, { controlId: filter, r: { framework: fw, identifier: 'R1' }, coverage: 'FULL', why: 'Filters input.' });
  const then = await instant();
  await api.data(UNSATISFY, { id: filter, r: { framework: fw, identifier: 'R1' } });
  await api.data(SYNC, { input: { source, assets: { risks: [risk('CLOSED')] } } });

  const THREAT = `query($r: RequirementRefInput!, $asOf: DateTime) { threatChain(requirement: $r, asOf: $asOf) { controls { control { name } implements { identifier } protects { name } satisfies { requirement { identifier } coverage } } } }`;
  expect((await api.data(THREAT, { r: { framework: fw, identifier: 'R1' } })).threatChain.controls).toEqual([]);
  expect((await api.data(THREAT, { r: { framework: fw, identifier: 'R1' }, asOf: then })).threatChain.controls).toEqual([
    { control: { name: `filter ${source}` }, implements: [{ identifier: 'R1' }], protects: [{ name: `Model ${source}` }], satisfies: [{ requirement: { identifier: 'R1' }, coverage: 'FULL' }] },
  ]);

  const POSTURE = `query($asOf: DateTime) { postureSummary(asOf: $asOf) { asOf openRisks { name status } coverage { framework { key } total counts { status count } } } }`;
  const open = (summary: { openRisks: Array<{ name: string; status: string }> }) => summary.openRisks.filter((r) => r.name === `Risk ${source}`);
  const postureNow = (await api.data(POSTURE, {})).postureSummary;
  expect(open(postureNow)).toEqual([]);
  const postureThen = (await api.data(POSTURE, { asOf: then })).postureSummary;
  expect(postureThen.asOf).toBe(then);
  expect(open(postureThen)).toEqual([{ name: `Risk ${source}`, status: 'TREATING' }]);
  // Its one requirement: claimed then (without evidence, so PARTIAL), unclaimed now.
  const counts = (summary: { coverage: Array<{ framework: { key: string }; counts: Array<{ status: string; count: number }> }> }) =>
    summary.coverage.find((entry) => entry.framework.key === fw)!.counts.filter((count) => count.count > 0);
  expect(counts(postureThen)).toEqual([{ status: 'PARTIAL', count: 1 }]);
  expect(counts(postureNow)).toEqual([{ status: 'GAP', count: 1 }]);
});

const CHANGES = `query($f: String!, $from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
  coverageChanges(framework: $f, from: $from, to: $to, first: $first, after: $after) {
    from to totalCount
    pageInfo { hasNextPage endCursor }
    items { requirement { identifier } before after causes { reason control { name } evidence { name } before after } }
  }
}`;

test('coverageChanges lists the requirements whose status changed between two instants, each with why', async () => {
  const source = unique('asof-changes');
  const ids = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10', 'A11'];
  const fw = await createTestFramework(api, ids.map((identifier) => ({ identifier, kind: 'ARTICLE' as const })));
  const far = '2999-01-01T00:00:00.000Z';
  const controls = (c3: string, c5: string) => [
    control(source, 'c1', 'IMPLEMENTED'),
    control(source, 'c2', 'IMPLEMENTED'),
    control(source, 'c3', c3),
    control(source, 'c4', 'IMPLEMENTED'),
    control(source, 'c5', c5),
    control(source, 'c6', 'IMPLEMENTED'),
    control(source, 'c7', 'IMPLEMENTED'),
  ];
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        controls: controls('IMPLEMENTED', 'PLANNED'),
        evidence: [
          { externalId: 'e1', name: `e1 ${source}`, expiresAt: far },
          { externalId: 'e4', name: `e4 ${source}`, expiresAt: far },
          { externalId: 'e7', name: `e7 ${source}`, expiresAt: far },
        ],
      },
      relationships: [
        ...['c1', 'c2', 'c3', 'c5'].map((c) => ({ type: 'SUPPORTS', from: ref('Evidence', 'e1'), to: ref('Control', c) })),
        { type: 'SUPPORTS', from: ref('Evidence', 'e4'), to: ref('Control', 'c4') },
        { type: 'SUPPORTS', from: ref('Evidence', 'e7'), to: ref('Control', 'c7') },
      ],
    },
  });
  const id: Record<string, string> = {};
  for (const c of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']) id[c] = await idOf(api, source, 'Control', c);
  const e7 = await idOf(api, source, 'Evidence', 'e7');
  const r = (identifier: string) => ({ framework: fw, identifier });
  const satisfy = (c: string, identifier: string, coverage: string, why = 'Test claim.') => api.data(SATISFY, { controlId: id[c], r: r(identifier), coverage, why });
  const declare = (identifier: string) => api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "Out of scope.") { id } }', { r: r(identifier) });
  await satisfy('c1', 'A1', 'FULL');
  await satisfy('c2', 'A2', 'FULL');
  await satisfy('c3', 'A3', 'FULL');
  await satisfy('c4', 'A4', 'FULL');
  await satisfy('c5', 'A6', 'FULL');
  await satisfy('c6', 'A8', 'FULL');
  await satisfy('c1', 'A9', 'FULL', 'First wording.');
  await declare('A10');
  await satisfy('c7', 'A11', 'FULL');
  const from = await instant();

  await api.data(UNSATISFY, { id: id.c1, r: r('A1') });
  await satisfy('c2', 'A2', 'PARTIAL');
  await api.data(SYNC, {
    input: {
      source,
      assets: { controls: controls('PLANNED', 'IMPLEMENTED'), evidence: [{ externalId: 'e4', name: `e4 ${source}`, expiresAt: '2020-01-01T00:00:00.000Z' }] },
      relationships: [{ type: 'SUPPORTS', from: ref('Evidence', 'e1'), to: ref('Control', 'c6') }],
    },
  });
  await declare('A5');
  await satisfy('c1', 'A7', 'FULL');
  await satisfy('c1', 'A9', 'FULL', 'Second wording: the status stays.');
  await api.data('mutation($r: RequirementRefInput!) { withdrawNotApplicable(requirement: $r) { removed } }', { r: r('A10') });
  await api.data('mutation($from: ID!, $to: ID!) { unlink(type: SUPPORTS, fromId: $from, toId: $to) { removed } }', { from: e7, to: id.c7 });
  const to = await instant();

  const { coverageChanges } = await api.data(CHANGES, { f: fw, from, to });
  expect(coverageChanges).toMatchObject({ from, to, totalCount: 10, pageInfo: { hasNextPage: false } });
  const name = (c: string) => ({ name: `${c} ${source}` });
  const cause = (reason: string, c: string | null, extra: Record<string, unknown> = {}) => ({ reason, control: c ? name(c) : null, evidence: null, before: null, after: null, ...extra });
  expect(coverageChanges.items).toEqual([
    { requirement: { identifier: 'A1' }, before: 'SATISFIED', after: 'GAP', causes: [cause('CLAIM_WITHDRAWN', 'c1', { before: 'FULL' })] },
    { requirement: { identifier: 'A2' }, before: 'SATISFIED', after: 'PARTIAL', causes: [cause('COVERAGE_CHANGED', 'c2', { before: 'FULL', after: 'PARTIAL' })] },
    { requirement: { identifier: 'A3' }, before: 'SATISFIED', after: 'PARTIAL', causes: [cause('CONTROL_STATUS_CHANGED', 'c3', { before: 'IMPLEMENTED', after: 'PLANNED' })] },
    {
      requirement: { identifier: 'A4' },
      before: 'SATISFIED',
      after: 'PARTIAL',
      causes: [cause('EVIDENCE_EXPIRED', 'c4', { evidence: { name: `e4 ${source}` }, before: far, after: '2020-01-01T00:00:00.000Z' })],
    },
    { requirement: { identifier: 'A5' }, before: 'GAP', after: 'NOT_APPLICABLE', causes: [cause('DECLARED_NOT_APPLICABLE', null, { after: 'Out of scope.' })] },
    { requirement: { identifier: 'A6' }, before: 'PARTIAL', after: 'SATISFIED', causes: [cause('CONTROL_STATUS_CHANGED', 'c5', { before: 'PLANNED', after: 'IMPLEMENTED' })] },
    { requirement: { identifier: 'A7' }, before: 'GAP', after: 'SATISFIED', causes: [cause('CLAIM_ADDED', 'c1', { after: 'FULL' })] },
    { requirement: { identifier: 'A8' }, before: 'PARTIAL', after: 'SATISFIED', causes: [cause('EVIDENCE_ADDED', 'c6', { evidence: { name: `e1 ${source}` }, after: far })] },
    { requirement: { identifier: 'A10' }, before: 'NOT_APPLICABLE', after: 'GAP', causes: [cause('NOT_APPLICABLE_WITHDRAWN', null, { before: 'Out of scope.' })] },
    { requirement: { identifier: 'A11' }, before: 'SATISFIED', after: 'PARTIAL', causes: [cause('EVIDENCE_REMOVED', 'c7', { evidence: { name: `e7 ${source}` }, before: far })] },
  ]);

  // Pages of it follow one another in catalogue order.
  const first = (await api.data(CHANGES, { f: fw, from, to, first: 4 })).coverageChanges;
  expect(first.items.map((item: Item) => item.requirement.identifier)).toEqual(['A1', 'A2', 'A3', 'A4']);
  expect(first.pageInfo.hasNextPage).toBe(true);
  const rest = (await api.data(CHANGES, { f: fw, from, to, first: 100, after: first.pageInfo.endCursor })).coverageChanges;
  expect(rest.items.map((item: Item) => item.requirement.identifier)).toEqual(['A5', 'A6', 'A7', 'A8', 'A10', 'A11']);
  expect(rest).toMatchObject({ totalCount: 10, pageInfo: { hasNextPage: false } });

  // An empty window changes nothing.
  expect((await api.data(CHANGES, { f: fw, from: to, to })).coverageChanges).toMatchObject({ totalCount: 0, items: [] });
});

test('exports as of an instant: the coverage CSV, OSCAL and posture routes, and a bad instant as a 400 with its code', async () => {
  const source = unique('asof-export');
  const fw = await createTestFramework(api, [{ identifier: 'Art. 1', kind: 'ARTICLE' }]);
  await api.data(SYNC, {
    input: {
      source,
      assets: { controls: [control(source, 'ctl', 'IMPLEMENTED')], evidence: [{ externalId: 'ev', name: `ev ${source}`, expiresAt: '2999-01-01T00:00:00Z' }] },
      relationships: [{ type: 'SUPPORTS', from: ref('Evidence', 'ev'), to: ref('Control', 'ctl') }],
    },
  });
  const ctl = await idOf(api, source, 'Control', 'ctl');
  await api.data(SATISFY, { controlId: ctl, r: { framework: fw, identifier: 'Art. 1' }, coverage: 'FULL', why: 'Logged.' });
  const then = await instant();
  await api.data(UNSATISFY, { id: ctl, r: { framework: fw, identifier: 'Art. 1' } });

  const csv = (asOf?: string) => fetch(`${base}/exports/coverage?framework=${encodeURIComponent(fw)}&format=csv${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`);
  const statusColumn = async (response: Response) => (await response.text()).trim().split('\r\n')[1].split(',')[5];
  expect(await statusColumn(await csv())).toBe('"GAP"');
  const past = await csv(then);
  expect(past.status).toBe(200);
  expect(await statusColumn(past)).toBe('"SATISFIED"');

  const markdown = await (await fetch(`${base}/exports/coverage?framework=${encodeURIComponent(fw)}&format=md&asOf=${encodeURIComponent(then)}`)).text();
  expect(markdown).toContain(`As of ${then}`);
  const oscal = await fetch(`${base}/exports/oscal?framework=${encodeURIComponent(fw)}&asOf=${encodeURIComponent(then)}`);
  expect(oscal.status).toBe(200);
  const results = await json(oscal);
  expect(results['assessment-results'].metadata['last-modified']).toBe(then);
  expect(results['assessment-results'].results[0].findings[0].target.status.state).toBe('satisfied');

  // An instant the graph cannot answer for: the GraphQL error's code, as its HTTP status.
  const future = await csv('2999-01-01T00:00:00Z');
  expect(future.status).toBe(400);
  expect((await json(future)).error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/future/) });
  const ancient = await fetch(`${base}/exports/oscal?framework=${encodeURIComponent(fw)}&asOf=1990-01-01`);
  expect(ancient.status).toBe(400);
  expect((await json(ancient)).error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/before the oldest history/) });
  const garbled = await csv('last tuesday');
  expect(garbled.status).toBe(400);
  expect((await json(garbled)).error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/asOf must be a date-time/) });
  const posture = await fetch(`${base}/exports/posture?asOf=${encodeURIComponent(then)}`);
  expect(posture.status).toBe(200);
  expect(await posture.text()).toContain(`As of ${then}`);
  expect((await fetch(`${base}/exports/posture?asOf=2999-01-01`)).status).toBe(400);
});

test('npm run coverage -- --as-of prints the map as it stood then, and refuses an instant it cannot read', async () => {
  const source = unique('asof-cli');
  const fw = await createTestFramework(api, [{ identifier: 'Art. 1', kind: 'ARTICLE' }]);
  await api.data(SYNC, { input: { source, assets: { controls: [control(source, 'ctl', 'IMPLEMENTED')] } } });
  const ctl = await idOf(api, source, 'Control', 'ctl');
  await api.data(SATISFY, { controlId: ctl, r: { framework: fw, identifier: 'Art. 1' }, coverage: 'PARTIAL', why: 'Some.' });
  const then = await instant();
  await api.data(UNSATISFY, { id: ctl, r: { framework: fw, identifier: 'Art. 1' } });

  const root = path.resolve(__dirname, '../..');
  const run = (...args: string[]) =>
    spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/coverage.ts', '--framework', fw, '--format', 'csv', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NEO4J_URI: process.env.NEO4J_URI, SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
  const past = run('--as-of', then);
  expect(past.stderr).toBe('');
  expect(past.status).toBe(0);
  expect(past.stdout.split('\r\n')[1].split(',')[5]).toBe('"PARTIAL"');
  const bad = run('--as-of', '2026-13-45');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/--as-of must be a date-time/);
});

test('an instant in the future, before the oldest history, or a window backwards is a BAD_USER_INPUT', async () => {
  const fw = await createTestFramework(api, [{ identifier: 'A1', kind: 'ARTICLE' }]);
  // History begins, whatever else runs: the instants below are after it.
  await api.data(SYNC, { input: { source: unique('asof-bounds'), assets: { controls: [{ externalId: 'ctl', name: 'Bounds' }] } } });
  await pause(5);
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const ancient = '1990-01-01T00:00:00Z';
  const now = new Date().toISOString();
  const code = async (query: string, variables: Record<string, unknown>) => (await api.execute(query, variables)).errors?.map((error) => error.extensions?.code);
  const r = { framework: fw, identifier: 'A1' };
  for (const asOf of [future, ancient]) {
    expect(await code(COVERAGE, { f: fw, asOf })).toEqual(['BAD_USER_INPUT']);
    expect(await code('query($r: RequirementRefInput!, $asOf: DateTime) { controlsFor(requirement: $r, asOf: $asOf) { coverage } }', { r, asOf })).toEqual(['BAD_USER_INPUT']);
    expect(await code('query($asOf: DateTime) { requirementsFor(controlId: "x", asOf: $asOf) { coverage } }', { asOf })).toEqual(['BAD_USER_INPUT']);
    expect(await code('query($asOf: DateTime) { postureSummary(asOf: $asOf) { asOf } }', { asOf })).toEqual(['BAD_USER_INPUT']);
  }
  const tooEarly = await api.execute(COVERAGE, { f: fw, asOf: ancient });
  expect(tooEarly.errors?.[0].message).toMatch(/before the oldest history/);
  expect(await code(CHANGES, { f: fw, from: now, to: ancient })).toEqual(['BAD_USER_INPUT']);
  expect(await code(CHANGES, { f: fw, from: now, to: future })).toEqual(['BAD_USER_INPUT']);
  const backwards = await api.execute(CHANGES, { f: fw, from: now, to: new Date(Date.parse(now) - 1_000).toISOString() });
  expect(backwards.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/from .* is after to/) });
  expect(await code(CHANGES, { f: fw, from: now, to: now, first: 501 })).toEqual(['BAD_USER_INPUT']);
  expect(await code(CHANGES, { f: fw, from: now, to: now, after: 'bm90LWEtY3Vyc29y' })).toEqual(['BAD_USER_INPUT']);
  // A control that did not exist at the instant asked is not found then.
  expect(await code('query($asOf: DateTime) { requirementsFor(controlId: "no-such-control", asOf: $asOf) { coverage } }', { asOf: now })).toEqual(['NOT_FOUND']);
});
