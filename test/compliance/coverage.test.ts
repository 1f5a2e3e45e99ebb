import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, SATISFY } from './support';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const COVERAGE = `query($f: String!, $scope: CoverageScope) {
  coverage(framework: $f, scope: $scope) {
    framework { key } assetId riskTier total
    counts { status count percent }
    groups { identifier title total counts { status count percent } }
    items {
      requirement { identifier } status group
      notApplicable { rationale declaredBy }
      controls { control { name implementationStatus } coverage evidence { name expired } owners { name } }
    }
  }
}`;

const statusOf = (map: { items: Array<{ requirement: { identifier: string }; status: string }> }) =>
  Object.fromEntries(map.items.map((item) => [item.requirement.identifier, item.status]));

/** An estate of four controls, one for each way a claim can fall short or succeed, for one source. */
async function estateWithControls(source: string) {
  const control = (externalId: string, implementationStatus: string) => ({ externalId, name: `${externalId} ${source}`, implementationStatus });
  const evidence = (externalId: string, expiresAt: string | null) => ({ externalId, name: `${externalId} ${source}`, ...(expiresAt ? { expiresAt } : {}) });
  const ref = (type: string, externalId: string) => ({ type, externalId });
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        aiModels: [{ externalId: 'model', name: 'Scoring model', riskTier: 'HIGH' }],
        owners: [{ externalId: 'owner', name: `Compliance team ${source}` }],
        controls: [control('c-full', 'IMPLEMENTED'), control('c-partial', 'IMPLEMENTED'), control('c-expired', 'IMPLEMENTED'), control('c-planned', 'PLANNED')],
        evidence: [evidence('e-valid', '2999-01-01T00:00:00Z'), evidence('e-open', null), evidence('e-expired', '2020-01-01T00:00:00Z')],
      },
      relationships: [
        { type: 'SUPPORTS', from: ref('Evidence', 'e-valid'), to: ref('Control', 'c-full') },
        { type: 'SUPPORTS', from: ref('Evidence', 'e-open'), to: ref('Control', 'c-partial') },
        { type: 'SUPPORTS', from: ref('Evidence', 'e-expired'), to: ref('Control', 'c-expired') },
        { type: 'SUPPORTS', from: ref('Evidence', 'e-valid'), to: ref('Control', 'c-planned') },
        { type: 'OWNED_BY', from: ref('Control', 'c-full'), to: ref('Owner', 'owner') },
        { type: 'APPLIES_TO', from: ref('Control', 'c-full'), to: ref('AIModel', 'model') },
      ],
    },
  });
  const ids = {
    full: await idOf(api, source, 'Control', 'c-full'),
    partial: await idOf(api, source, 'Control', 'c-partial'),
    expired: await idOf(api, source, 'Control', 'c-expired'),
    planned: await idOf(api, source, 'Control', 'c-planned'),
    model: await idOf(api, source, 'AIModel', 'model'),
  };
  return ids;
}

test('every status, with counts and percentages per status and per chapter, from one query', async () => {
  const source = unique('coverage');
  const fw = await createTestFramework(api, [
    { identifier: 'C1', kind: 'CHAPTER', title: 'Chapter one' },
    { identifier: 'A1', kind: 'ARTICLE', parent: 'C1' },
    { identifier: 'A2', kind: 'ARTICLE', parent: 'C1' },
    { identifier: 'A3', kind: 'ARTICLE', parent: 'C1' },
    { identifier: 'C2', kind: 'CHAPTER', title: 'Chapter two' },
    { identifier: 'A4', kind: 'ARTICLE', parent: 'C2' },
    { identifier: 'A5', kind: 'ARTICLE', parent: 'C2' },
    { identifier: 'A6', kind: 'ARTICLE', parent: 'C2' },
  ]);
  const ids = await estateWithControls(source);
  const r = (identifier: string) => ({ framework: fw, identifier });
  await api.data(SATISFY, { controlId: ids.full, r: r('A1'), coverage: 'FULL', why: 'Implemented, evidenced, full.' });
  await api.data(SATISFY, { controlId: ids.partial, r: r('A2'), coverage: 'PARTIAL', why: 'Only a partial claim.' });
  await api.data(SATISFY, { controlId: ids.expired, r: r('A3'), coverage: 'FULL', why: 'Full, but the evidence expired.' });
  await api.data(SATISFY, { controlId: ids.planned, r: r('A4'), coverage: 'FULL', why: 'Full, but not implemented yet.' });
  await api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "We do not do this.") { active } }', { r: r('A5') });

  const result = await api.execute(COVERAGE, { f: fw });
  expect(result.errors).toBeUndefined();
  // The whole map, statuses included, comes from one database query.
  expect(result.context.db.queryCount).toBe(1);
  const map = result.data!.coverage;
  expect(statusOf(map)).toEqual({ A1: 'SATISFIED', A2: 'PARTIAL', A3: 'PARTIAL', A4: 'PARTIAL', A5: 'NOT_APPLICABLE', A6: 'GAP' });
  expect(map.total).toBe(6);
  expect(map.counts).toEqual([
    { status: 'SATISFIED', count: 1, percent: 16.7 },
    { status: 'PARTIAL', count: 3, percent: 50 },
    { status: 'GAP', count: 1, percent: 16.7 },
    { status: 'NOT_APPLICABLE', count: 1, percent: 16.7 },
  ]);
  expect(map.groups.map((g: { identifier: string; title: string; total: number }) => [g.identifier, g.title, g.total])).toEqual([
    ['C1', 'Chapter one', 3],
    ['C2', 'Chapter two', 3],
  ]);
  expect(map.groups[0].counts.find((c: { status: string }) => c.status === 'SATISFIED')).toEqual({ status: 'SATISFIED', count: 1, percent: 33.3 });
  const a1 = map.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === 'A1');
  expect(a1.controls).toEqual([
    { control: { name: `c-full ${source}`, implementationStatus: 'IMPLEMENTED' }, coverage: 'FULL', evidence: [{ name: `e-valid ${source}`, expired: false }], owners: [{ name: `Compliance team ${source}` }] },
  ]);
  const a3 = map.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === 'A3');
  expect(a3.controls[0].evidence).toEqual([{ name: `e-expired ${source}`, expired: true }]);
  const a5 = map.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === 'A5');
  expect(a5.notApplicable).toEqual({ rationale: 'We do not do this.', declaredBy: 'anonymous' });

  // Scoped to the asset: only what its controls (c-full applies to it) satisfy.
  const scoped = (await api.data(COVERAGE, { f: fw, scope: { assetId: ids.model } })).coverage;
  expect(statusOf(scoped)).toEqual({ A1: 'SATISFIED' });
  expect(scoped.assetId).toBe(ids.model);
  // The framework is not the AI Act, so the model's HIGH tier brings nothing more in.
  expect(scoped.riskTier).toBeNull();
});

const articles = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Article ${from + i}`);

test('a HIGH risk tier scopes the AI Act to Articles 8 to 27; an asset adds what its controls satisfy', async () => {
  const tiered = (await api.data(COVERAGE, { f: 'eu-ai-act', scope: { riskTier: 'HIGH' } })).coverage;
  expect(tiered.riskTier).toBe('HIGH');
  expect(tiered.items.map((item: { requirement: { identifier: string } }) => item.requirement.identifier)).toEqual(articles(8, 27));
  expect(tiered.groups.map((g: { identifier: string }) => g.identifier)).toEqual(['Chapter III']);

  const source = unique('scope');
  const ids = await estateWithControls(source);
  await api.data(SATISFY, { controlId: ids.full, r: { framework: 'eu-ai-act', identifier: 'Article 4' }, coverage: 'FULL', why: 'Training for everyone who uses the model.' });
  await api.data(SATISFY, { controlId: ids.full, r: { framework: 'eu-ai-act', identifier: 'Article 10' }, coverage: 'PARTIAL', why: 'Some data governance.' });
  // c-partial does not apply to the model, so its claim does not count for the model.
  await api.data(SATISFY, { controlId: ids.partial, r: { framework: 'eu-ai-act', identifier: 'Article 11' }, coverage: 'FULL', why: 'Documentation.' });
  const forModel = (await api.data(COVERAGE, { f: 'eu-ai-act', scope: { assetId: ids.model } })).coverage;
  expect(forModel.riskTier).toBe('HIGH');
  const statuses = statusOf(forModel);
  expect(Object.keys(statuses).sort()).toEqual(['Article 4', ...articles(8, 27)].sort());
  expect(statuses['Article 4']).toBe('SATISFIED');
  expect(statuses['Article 10']).toBe('PARTIAL');
  expect(statuses['Article 11']).toBe('GAP');
});

test('declaring not applicable, replacing and withdrawing the declaration keeps its history', async () => {
  const fw = await createTestFramework(api, [{ identifier: 'R1', kind: 'RISK' }]);
  const r = { framework: fw, identifier: 'R1' };
  const DECLARE = 'mutation($r: RequirementRefInput!, $why: String!) { declareNotApplicable(requirement: $r, rationale: $why) { id rationale active requirement { key } } }';
  const first = (await api.data(DECLARE, { r, why: 'Not our business.' })).declareNotApplicable;
  expect(first).toMatchObject({ rationale: 'Not our business.', active: true, requirement: { key: `${fw}|R1` } });
  await api.data(DECLARE, { r, why: 'Still not our business, better worded.' });
  const STATE = 'query($f: String!) { requirement(framework: $f, identifier: "R1") { notApplicable { rationale } applicabilityHistory { rationale active withdrawnBy } } coverage(framework: $f) { items { status } } }';
  let state = await api.data(STATE, { f: fw });
  expect(state.requirement.notApplicable).toEqual({ rationale: 'Still not our business, better worded.' });
  expect(state.requirement.applicabilityHistory).toEqual([
    { rationale: 'Still not our business, better worded.', active: true, withdrawnBy: null },
    { rationale: 'Not our business.', active: false, withdrawnBy: 'anonymous' },
  ]);
  expect(state.coverage.items).toEqual([{ status: 'NOT_APPLICABLE' }]);

  const WITHDRAW = 'mutation($r: RequirementRefInput!) { withdrawNotApplicable(requirement: $r) { removed } }';
  expect((await api.data(WITHDRAW, { r })).withdrawNotApplicable).toEqual({ removed: true });
  expect((await api.data(WITHDRAW, { r })).withdrawNotApplicable).toEqual({ removed: false });
  state = await api.data(STATE, { f: fw });
  expect(state.requirement.notApplicable).toBeNull();
  expect(state.requirement.applicabilityHistory.map((d: { active: boolean }) => d.active)).toEqual([false, false]);
  expect(state.coverage.items).toEqual([{ status: 'GAP' }]);
});

test('bad coverage input is refused with codes', async () => {
  const code = async (query: string, variables: Record<string, unknown>) => (await api.execute(query, variables)).errors?.[0]?.extensions?.code;
  expect(await code(COVERAGE, { f: 'no-such-framework' })).toBe('NOT_FOUND');
  expect(await code(COVERAGE, { f: 'nist-ai-rmf', scope: { riskTier: 'HIGH' } })).toBe('BAD_USER_INPUT');
  expect(await code(COVERAGE, { f: 'eu-ai-act', scope: { assetId: 'no-such-asset' } })).toBe('NOT_FOUND');
  expect(await code('mutation { declareNotApplicable(requirement: { framework: "eu-ai-act", identifier: "Article 10" }, rationale: "  ") { id } }', {})).toBe('BAD_USER_INPUT');
  expect(await code('mutation { declareNotApplicable(requirement: { framework: "eu-ai-act", identifier: "Article 999" }, rationale: "x") { id } }', {})).toBe('NOT_FOUND');
});

test('the posture summary counts models by tier, open risks by band, open incidents and coverage per framework', async () => {
  const source = unique('posture');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        risks: [{ externalId: 'risk-open', name: `Open risk ${source}`, likelihood: 5, impact: 5, residualScore: 20, status: 'TREATING' }, { externalId: 'risk-closed', name: `Closed risk ${source}`, residualScore: 1, status: 'CLOSED' }],
        incidents: [{ externalId: 'inc-open', name: `Open incident ${source}`, status: 'INVESTIGATING' }, { externalId: 'inc-done', name: `Done incident ${source}`, status: 'CLOSED' }],
      },
    },
  });
  const { postureSummary } = await api.data(`{ postureSummary {
    assetsByRiskTier { tier count } openRisks { name } openRisksByBand { band count } openIncidents { name }
    coverage { framework { key } total counts { status count } } } }`);
  const names = (list: Array<{ name: string }>) => list.map((item) => item.name);
  expect(names(postureSummary.openRisks)).toContain(`Open risk ${source}`);
  expect(names(postureSummary.openRisks)).not.toContain(`Closed risk ${source}`);
  expect(postureSummary.openRisksByBand.find((b: { band: string }) => b.band === 'CRITICAL').count).toBeGreaterThanOrEqual(1);
  expect(names(postureSummary.openIncidents)).toContain(`Open incident ${source}`);
  expect(names(postureSummary.openIncidents)).not.toContain(`Done incident ${source}`);
  expect(postureSummary.assetsByRiskTier.map((t: { tier: string }) => t.tier)).toEqual(['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL', 'UNCLASSIFIED']);
  const aiAct = postureSummary.coverage.find((c: { framework: { key: string } }) => c.framework.key === 'eu-ai-act');
  expect(aiAct.total).toBe(126);
});
