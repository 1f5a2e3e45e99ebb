import { createTestApi, TestApi } from '../support/api';

/** The demo organisation's vendor reviews and gates, as the README's tour shows them. */
let api: TestApi;
// Loading the demo's dated rounds takes minutes on a loaded machine (other files may load it at once).
beforeAll(async () => {
  api = await createTestApi({ SEED_DEMO: 'true' });
}, 600_000);
afterAll(() => api.close());

test('vendor reviews: Stratus AI overdue, Quillwise failed with its findings in the register; tiers with the decisions behind them', async () => {
  const data = await api.data(`{
    vendorsExpiredOrFailed(source: "demo") { vendor { name } latest { externalId assessedAt } tier score failed overdue nextReviewDue }
    vendorsOverdueForReview(source: "demo") { vendor { name } }
    vendorTiers(source: "demo") { tier vendors { review { vendor { name } } highImpactDecisions { name } } }
    risks(filter: { source: "demo", tag: "vendor-finding" }) { nodes { name threatens { name } } }
  }`);
  expect(data.vendorsExpiredOrFailed).toEqual([
    { vendor: { name: 'Stratus AI' }, latest: { externalId: 'va-stratus-ai-2025', assessedAt: '2025-09-30T00:00:00.000Z' }, tier: 'MEDIUM', score: 65, failed: false, overdue: true, nextReviewDue: '2026-03-30T00:00:00.000Z' },
    { vendor: { name: 'Quillwise' }, latest: { externalId: 'va-quillwise-2026-11', assessedAt: '2026-11-12T00:00:00.000Z' }, tier: 'CRITICAL', score: 0, failed: true, overdue: false, nextReviewDue: '2026-12-12T00:00:00.000Z' },
  ]);
  expect(data.vendorsOverdueForReview).toEqual([{ vendor: { name: 'Stratus AI' } }]);
  expect(data.vendorTiers.map((group: { tier: string; vendors: Array<{ review: { vendor: { name: string } } }> }) => [group.tier, group.vendors.map((entry) => entry.review.vendor.name)])).toEqual([
    ['CRITICAL', ['Quillwise']],
    ['MEDIUM', ['Stratus AI']],
    ['LOW', ['Cirrus Cloud ML', 'DocSense OCR', 'Meridian Credit Bureau', 'Sentinel Fraud Consortium']],
  ]);
  const stratus = data.vendorTiers[1].vendors[0];
  expect(stratus.highImpactDecisions.length).toBeGreaterThan(0);
  expect(data.risks.nodes).toHaveLength(5);
  expect(new Set(data.risks.nodes.map((risk: { threatens: Array<{ name: string }> }) => risk.threatens[0].name))).toEqual(new Set(['Stratus AI', 'Quillwise']));

  // Before Quillwise's review (12 November) only Stratus AI needed action.
  const before = await api.data('{ vendorsExpiredOrFailed(source: "demo", asOf: "2026-11-01T00:00:00Z") { vendor { name } } }');
  expect(before.vendorsExpiredOrFailed).toEqual([{ vendor: { name: 'Stratus AI' } }]);
});

test('gates: the collections letter writer is the one exception, income verification has overdue conditions, exposure names the unapproved models', async () => {
  const data = await api.data(`{
    gateExceptions(source: "demo") { risk { name } subjects { name } }
    gateConditionsOverdue(source: "demo") { approval { name } subjects { name } conditions dueAt }
    exposure { ungatedModels { decision { source } sources { name } } }
    ungatedRecords(source: "demo") { record { name } stage gate exception { name } }
  }`);
  expect(data.ungatedRecords).toEqual([
    { record: { name: 'Collections Letter Writer (fine-tuned Aurora 2)' }, stage: 'DEPLOYED', gate: 'DEPLOYED', exception: { name: 'Gate exception: Collections Letter Writer (fine-tuned Aurora 2) past DEPLOYED without approval' } },
    { record: { name: 'Quillwise AI writing assistant (unsanctioned)' }, stage: 'DEPLOYED', gate: 'DEPLOYED', exception: null },
  ]);
  expect(data.gateExceptions).toEqual([{ risk: { name: 'Gate exception: Collections Letter Writer (fine-tuned Aurora 2) past DEPLOYED without approval' }, subjects: [{ name: 'Collections Letter Writer (fine-tuned Aurora 2)' }] }]);
  expect(data.gateConditionsOverdue).toEqual([
    {
      approval: { name: 'Income verification v2 deployment approval' },
      subjects: [{ name: 'Income Verification Document Model v2' }],
      conditions: ['Re-test income estimates for self-employed applicants against the bias thresholds', 'Add the model to the drift monitoring dashboard'],
      dueAt: '2026-09-30T00:00:00.000Z',
    },
  ]);
  const ungated = new Set(
    data.exposure.ungatedModels
      .filter((entry: { decision: { source: string } }) => entry.decision.source === 'demo')
      .flatMap((entry: { sources: Array<{ name: string }> }) => entry.sources.map((source) => source.name)),
  );
  expect(ungated.has('Collections Letter Writer (fine-tuned Aurora 2)')).toBe(true);
  expect(ungated.has('Card Transaction Fraud Detector v5')).toBe(false);
  // The exception was recorded on 21 September: not there on the 20th.
  const then = await api.data('{ gateExceptions(source: "demo", asOf: "2026-09-20T00:00:00Z") { risk { name } } }');
  expect(then.gateExceptions).toEqual([]);
});
