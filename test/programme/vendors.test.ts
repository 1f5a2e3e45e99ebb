import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { rel, timeline } from '../support/timeline';
import { viewer, compliance, syncFor } from '../support/principals';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
}, 600_000);
afterAll(() => api.close());


const RECORD = `mutation($input: RecordVendorAssessmentInput!) {
  recordVendorAssessment(input: $input) { id externalId score ruleScore tier failed nextReviewDue findings assesses { name } assessedBy { name } }
}`;
const REVIEW = 'externalId latest { externalId } tier score failed nextReviewDue overdue daysOverdue';
const REVIEWS = (field: string) => `query($s: String, $asOf: DateTime) { ${field}(source: $s, asOf: $asOf) { vendor { externalId } ${REVIEW.replace('externalId ', '')} } }`;

/** Three vendors: one providing the model behind a high-impact decision, one never assessed; an assessor. */
async function estate(source: string) {
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        vendors: [
          { externalId: 'llm-co', name: 'LLM Co' },
          { externalId: 'ocr-co', name: 'OCR Co' },
          { externalId: 'new-co', name: 'New Co' },
        ],
        aiModels: [{ externalId: 'chat', name: 'Chat model' }],
        decisions: [
          { externalId: 'credit', name: 'Credit limit', impactLevel: 'CRITICAL' },
          { externalId: 'faq', name: 'FAQ answer', impactLevel: 'LOW' },
        ],
        owners: [{ externalId: 'tprm', name: 'Third-party risk lead' }],
      },
      relationships: [
        rel('PROVIDED_BY', ['AIModel', 'chat'], ['Vendor', 'llm-co']),
        rel('INFORMS', ['AIModel', 'chat'], ['Decision', 'credit']),
        rel('INFORMS', ['AIModel', 'chat'], ['Decision', 'faq']),
      ],
    },
  });
  return { vendor: (await api.data(KEY_LOOKUP, { type: 'Vendor', source, externalId: 'llm-co' })).entityByKey.id as string };
}

const good = { trainsOnCustomerData: false, retentionDays: 30, modelProvenanceDisclosed: true, changeNoticeDays: 90, incidentNotificationHours: 24, dataResidency: 'EU (Frankfurt)', dataResidencyAcceptable: true, certifications: ['ISO/IEC 42001', 'SOC 2 Type II'], rightToAudit: true };
const review = (source: string, externalId: string, vendor: string, assessment: Record<string, unknown>) => ({
  source,
  assessment: { externalId, name: `${vendor} review`, ...assessment },
  vendor: { type: 'Vendor', externalId: vendor, source },
  assessor: { type: 'Owner', externalId: 'tprm', source },
});
const findingRisks = async (source: string) =>
  (await api.data('query($s: String) { risks(filter: { source: $s, tag: "vendor-finding" }) { nodes { externalId name status category threatens { name } } } }', { s: source })).risks.nodes;

test('an assessment: score and tier by the rule, findings become Risks threatening the vendor in the same change set', async () => {
  const source = unique('vendors');
  await estate(source);
  const { recordVendorAssessment: assessed } = await api.data(
    RECORD,
    { input: review(source, 'llm-2026', 'llm-co', { ...good, assessedAt: '2026-11-01T00:00:00Z', findings: ['Sub-processor list two months stale', 'No model change log'] }) },
    compliance,
  );
  expect(assessed).toMatchObject({ score: 100, ruleScore: 100, tier: 'LOW', failed: false, nextReviewDue: '2027-11-01T00:00:00.000Z', assesses: [{ name: 'LLM Co' }], assessedBy: [{ name: 'Third-party risk lead' }] });
  expect(await findingRisks(source)).toEqual([
    { externalId: 'llm-2026-finding-2', name: 'No model change log', status: 'IDENTIFIED', category: 'THIRD_PARTY', threatens: [{ name: 'LLM Co' }] },
    { externalId: 'llm-2026-finding-1', name: 'Sub-processor list two months stale', status: 'IDENTIFIED', category: 'THIRD_PARTY', threatens: [{ name: 'LLM Co' }] },
  ]);
  const { history } = await api.data('query($id: ID!) { history(id: $id, first: 1) { at actor } }', { id: assessed.id });
  const risk = (await api.data(KEY_LOOKUP, { type: 'Risk', source, externalId: 'llm-2026-finding-1' })).entityByKey.id;
  expect((await api.data('query($id: ID!) { history(id: $id) { at actor action } }', { id: risk })).history).toEqual([
    { ...history[0], action: 'LINK' },
    { ...history[0], action: 'CREATE' },
  ]);

  // Sent again with one finding fewer: the dropped one is closed, not deleted; a status set by hand stays.
  await api.data('mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { status: "TREATING" } }) { id } }', { id: risk }, compliance);
  await api.data(RECORD, { input: review(source, 'llm-2026', 'llm-co', { ...good, assessedAt: '2026-11-01T00:00:00Z', findings: ['Sub-processor list two months stale'] }) }, compliance);
  expect((await findingRisks(source)).map((found: { externalId: string; status: string }) => [found.externalId, found.status])).toEqual([
    ['llm-2026-finding-2', 'CLOSED'],
    ['llm-2026-finding-1', 'TREATING'],
  ]);
});

test('a score outside the scale, negative answers, a missing vendor or assessor: coded errors, nothing written', async () => {
  const source = unique('vendors');
  await estate(source);
  const refused = async (input: Record<string, unknown>, pattern: RegExp, caller: Principal = compliance) => {
    const result = await api.execute(RECORD, { input }, caller);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result.errors)).toMatch(pattern);
  };
  await refused(review(source, 'a1', 'llm-co', { assessedAt: '2026-11-01T00:00:00Z', score: 101 }), /score: must be an integer from 0 to 100 \(the assessment scale\), got 101/);
  await refused(review(source, 'a2', 'llm-co', { assessedAt: '2026-11-01T00:00:00Z', score: -1 }), /from 0 to 100/);
  await refused(review(source, 'a3', 'llm-co', { assessedAt: '2026-11-01T00:00:00Z', retentionDays: -5 }), /retentionDays: must not be negative/);
  await refused(review(source, 'a4', 'llm-co', {}), /assessedAt: is required/);
  await refused(review(source, 'a5', 'nobody', { assessedAt: '2026-11-01T00:00:00Z' }), /no Vendor with externalId/);
  await refused(review(source, 'a6', 'llm-co', { assessedAt: '2026-11-01T00:00:00Z', findings: ['bad\u0007bell'] }), /control characters/);
  // Through syncInventory, an assessment comes with its ASSESSES and ASSESSED_BY.
  const alone = await api.execute(SYNC, { input: { source, assets: { vendorAssessments: [{ externalId: 'a7', name: 'Alone', assessedAt: '2026-11-01T00:00:00Z' }] } } });
  expect(JSON.stringify(alone.errors)).toMatch(/a VendorAssessment is sent with exactly one ASSESSES \(the Vendor reviewed\) in the same call; this one has 0/);
  const written = await api.data('query($s: String) { entities(type: VendorAssessment, filter: { source: $s }) { totalCount } }', { s: source });
  expect(written.entities.totalCount).toBe(0);
  // Findings are not patched by hand: they would not become risks.
  const { recordVendorAssessment } = await api.data(RECORD, { input: review(source, 'ok', 'llm-co', { assessedAt: '2026-11-01T00:00:00Z' }) }, compliance);
  const patched = await api.execute('mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { findings: ["x"] } }) { id } }', { id: recordVendorAssessment.id });
  expect(patched.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('roles: COMPLIANCE and a SYNC key of its own source write assessments; another source or a VIEWER cannot; two callers at once', async () => {
  const source = unique('vendors');
  await estate(source);
  const input = (externalId: string) => review(source, externalId, 'llm-co', { ...good, assessedAt: '2026-10-01T00:00:00Z' });
  expect((await api.execute(RECORD, { input: input('v1') }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await api.execute(RECORD, { input: input('v1') }, syncFor(unique('other')))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await api.execute(RECORD, { input: input('v1') }, syncFor(source))).errors).toBeUndefined();
  // Both at once, the same review and another: each lands once.
  const both = await Promise.all([api.execute(RECORD, { input: input('v2') }, compliance), api.execute(RECORD, { input: input('v2') }, syncFor(source)), api.execute(RECORD, { input: input('v3') }, compliance)]);
  expect(both.map((result) => result.errors)).toEqual([undefined, undefined, undefined]);
  const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on Vendor { assessments { externalId } } } }', { id: (await api.data(KEY_LOOKUP, { type: 'Vendor', source, externalId: 'llm-co' })).entityByKey.id });
  expect(node.assessments.map((found: { externalId: string }) => found.externalId).sort()).toEqual(['v1', 'v2', 'v3']);
});

test('reviews due, expired or failed, tiers with the high-impact decisions behind each vendor, as of a past instant too', async () => {
  const source = unique('vendors');
  await estate(source);
  const steps = timeline();
  // LLM Co: reviewed well two years ago (LOW, due after 12 months: overdue).
  await steps.step(() => api.data(RECORD, { input: review(source, 'llm-2024', 'llm-co', { ...good, assessedAt: '2024-11-01T00:00:00Z' }) }, compliance));
  // OCR Co: reviewed a week ago and failed (trains on our data, no certification, slow notice).
  // CRITICAL is due again a month after: the date follows the clock, or the test expires with it.
  const weekAgo = `${new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
  await steps.step(() =>
    api.data(RECORD, { input: review(source, 'ocr-2026', 'ocr-co', { trainsOnCustomerData: true, retentionDays: 400, incidentNotificationHours: 168, certifications: [], rightToAudit: false, assessedAt: weekAgo }) }, compliance),
  );
  const overdue = await api.data(REVIEWS('vendorsOverdueForReview'), { s: source });
  expect(overdue.vendorsOverdueForReview.map((found: { vendor: { externalId: string } }) => found.vendor.externalId)).toEqual(['new-co', 'llm-co']);
  expect(overdue.vendorsOverdueForReview[1]).toMatchObject({ latest: { externalId: 'llm-2024' }, tier: 'LOW', nextReviewDue: '2025-11-01T00:00:00.000Z', overdue: true, daysOverdue: expect.any(Number) });
  const attention = await api.data(REVIEWS('vendorsExpiredOrFailed'), { s: source });
  expect(attention.vendorsExpiredOrFailed.map((found: { vendor: { externalId: string }; failed: boolean; overdue: boolean }) => [found.vendor.externalId, found.failed, found.overdue])).toEqual([
    ['llm-co', false, true],
    ['ocr-co', true, false],
  ]);
  // As of before OCR Co's review: it was never assessed then.
  const before = await api.data(REVIEWS('vendorsExpiredOrFailed'), { s: source, asOf: steps.instants[0].toISOString() });
  expect(before.vendorsExpiredOrFailed.map((found: { vendor: { externalId: string } }) => found.vendor.externalId)).toEqual(['llm-co']);

  const { vendorTiers } = await api.data('query($s: String) { vendorTiers(source: $s) { tier vendors { review { vendor { name } score } decisionCount highImpactDecisions { name } } } }', { s: source });
  expect(vendorTiers).toEqual([
    { tier: 'CRITICAL', vendors: [{ review: { vendor: { name: 'OCR Co' }, score: 5 }, decisionCount: 0, highImpactDecisions: [] }] },
    { tier: 'LOW', vendors: [{ review: { vendor: { name: 'LLM Co' }, score: 100 }, decisionCount: 2, highImpactDecisions: [{ name: 'Credit limit' }] }] },
    { tier: null, vendors: [{ review: { vendor: { name: 'New Co' }, score: null }, decisionCount: 0, highImpactDecisions: [] }] },
  ]);
});

test('what changed since the last review: the answers between the two latest, and the vendor graph since', async () => {
  const source = unique('vendors');
  const { vendor } = await estate(source);
  await api.data(RECORD, { input: review(source, 'llm-2025', 'llm-co', { ...good, assessedAt: '2025-11-01T00:00:00Z' }) }, compliance);
  await api.data(RECORD, { input: review(source, 'llm-2026', 'llm-co', { ...good, trainsOnCustomerData: true, certifications: ['SOC 2 Type II'], assessedAt: '2026-11-01T00:00:00Z' }) }, compliance);
  // After the review: the vendor now also provides an embedding model, and its DPA changed.
  await api.data(SYNC, {
    input: { source, assets: { aiModels: [{ externalId: 'embed', name: 'Embedder' }], vendors: [{ externalId: 'llm-co', name: 'LLM Co', dataProcessingAgreement: true }] }, relationships: [rel('PROVIDED_BY', ['AIModel', 'embed'], ['Vendor', 'llm-co'])] },
  });
  const { vendorChangesSinceAssessment: delta } = await api.data(
    `query($id: ID!) { vendorChangesSinceAssessment(vendorId: $id) {
      vendor { name } latest { externalId } previous { externalId } since answers { field before after }
      graphChanges { kind fields { field before after } ... on RelationshipChange { relationshipType before { from { name } } after { from { name } } } ... on RecordChange { entityType } }
    } }`,
    { id: vendor },
  );
  expect(delta).toMatchObject({ vendor: { name: 'LLM Co' }, latest: { externalId: 'llm-2026' }, previous: { externalId: 'llm-2025' } });
  expect(delta.answers).toEqual([
    { field: 'assessedAt', before: '2025-11-01T00:00:00.000Z', after: '2026-11-01T00:00:00.000Z' },
    { field: 'certifications', before: ['ISO/IEC 42001', 'SOC 2 Type II'], after: ['SOC 2 Type II'] },
    { field: 'score', before: 100, after: 65 },
    { field: 'tier', before: 'LOW', after: 'MEDIUM' },
    { field: 'trainsOnCustomerData', before: false, after: true },
  ]);
  expect(delta.graphChanges).toEqual(
    expect.arrayContaining([
      { kind: 'CHANGED', entityType: 'Vendor', fields: [{ field: 'dataProcessingAgreement', before: null, after: true }] },
      expect.objectContaining({ kind: 'ADDED', relationshipType: 'PROVIDED_BY', before: null, after: { from: { name: 'Embedder' } } }),
    ]),
  );
  expect(delta.graphChanges).toHaveLength(2);
  expect((await api.execute('query { vendorChangesSinceAssessment(vendorId: "no-such-vendor") { since } }')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
});
