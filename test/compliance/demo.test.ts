import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  // The demo estate and its compliance claims load at start, as for a newcomer running the app.
  // Loading every dated round of the demo, and its programme, takes minutes on a loaded machine.
  api = await createTestApi({ SEED_DEMO: 'true' });
}, 600_000);
afterAll(() => api.close());

test('the demo organisation’s AI Act coverage shows all four statuses', async () => {
  const { coverage } = await api.data('{ coverage(framework: "eu-ai-act") { total counts { status count } items { requirement { identifier } status controls { control { source } } } } }');
  for (const { status, count } of coverage.counts) expect({ status, positive: count > 0 }).toEqual({ status, positive: true });
  const status = (identifier: string) => coverage.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === identifier).status;
  // Other test files add their own claims to some articles, so only articles they leave alone are pinned.
  expect(status('Article 14')).toBe('SATISFIED');
  expect(status('Article 26')).toBe('PARTIAL'); // implemented and full, but its only evidence expired
  expect(status('Article 53')).toBe('NOT_APPLICABLE');
  expect(status('Article 13')).toBe('GAP');
});

test('the demo’s poisoning threat chain reaches ATLAS’s techniques and mitigations and the demo control that claims the risk', async () => {
  const { threatChain } = await api.data(`{ threatChain(requirement: { framework: "owasp-llm-top10", identifier: "LLM04:2025" }) {
    techniques { identifier } mitigations { mitigation { identifier } } controls { control { externalId source } implements { identifier } } } }`);
  expect(threatChain.techniques.map((t: { identifier: string }) => t.identifier)).toContain('AML.T0018');
  expect(threatChain.mitigations.map((m: { mitigation: { identifier: string } }) => m.mitigation.identifier)).toEqual(expect.arrayContaining(['AML.M0007', 'AML.M0025']));
  expect(threatChain.controls).toEqual(
    expect.arrayContaining([{ control: { externalId: 'control-label-review-sampling', source: 'demo' }, implements: [{ identifier: 'LLM04:2025' }] }]),
  );
});
