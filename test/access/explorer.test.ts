import { COVERAGE_PAGE_PATH, EXPLORE_PATH, EXPLORER_CSP } from '../../src/explorer/routes';
import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
let base: string;

beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

test.each([EXPLORE_PATH, COVERAGE_PAGE_PATH])('%s and everything it loads come from this server, under a policy with no inline code and no other origin', async (pagePath) => {
  const page = await fetch(`${base}${pagePath}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(page.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
  expect(EXPLORER_CSP).not.toMatch(/unsafe|\*|https?:/);
  const html = await page.text();
  expect(html).not.toMatch(/<script>|<style|style="/);
  const references = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  expect(references.length).toBeGreaterThanOrEqual(2);
  for (const reference of references) {
    expect(reference).toMatch(/^\/[^/]/);
    const asset = await fetch(`${base}${reference}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(reference.endsWith('.css') ? /text\/css/ : /javascript/);
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
  }
  // ELK's worker, which the page's script starts.
  expect((await fetch(`${base}/explore/assets/elk-worker.js`)).status).toBe(200);
});

test('an asset the explorer does not have is a 404, not a build of something else', async () => {
  expect((await fetch(`${base}/explore/assets/nothing.js`)).status).toBe(404);
  expect((await fetch(`${base}/explore/assets/..%2Fpackage.json`)).status).toBe(404);
});
