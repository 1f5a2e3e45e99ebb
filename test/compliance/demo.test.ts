import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  // The demo estate and its compliance claims load at start, as for a newcomer running the app.
  api = await createTestApi({ SEED_DEMO: 'true' });
});
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
