import type { Browser, Page } from 'puppeteer-core';
import { createTestApi, TestApi, unique } from '../support/api';
import { everyTypePayload, KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { guardedPage, GuardedPage, launchBrowser, readmeScreenshot, withScreenshotOnFailure } from './support';

let api: TestApi;
let browser: Browser;
let origin: string;
let guarded: GuardedPage;
let page: Page;
const source = unique('coverage-page');
let controlId: string;
let agentId: string;

beforeAll(async () => {
  // The demo's claims paint the map as a newcomer sees it; this test's own control claims Article 10.
  api = await createTestApi({ SEED_DEMO: 'true' });
  origin = `http://127.0.0.1:${api.app.port}`;
  const payload = everyTypePayload(source);
  payload.relationships.push({ type: 'OWNED_BY', from: { type: 'Control', externalId: 'control-filter' }, to: { type: 'Owner', externalId: 'owner-team' } });
  await api.data(SYNC, { input: payload });
  const key = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  controlId = await key('Control', 'control-filter');
  agentId = await key('Agent', 'agent-main');
  await api.data(
    `mutation($id: ID!) { satisfy(controlId: $id, requirement: { framework: "eu-ai-act", identifier: "Article 10" }, coverage: FULL, rationale: "Filters poisoned training inputs") { coverage } }`,
    { id: controlId },
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});
beforeEach(async () => {
  guarded = await guardedPage(browser, origin);
  page = guarded.page;
});
afterEach(async () => {
  expect(guarded.problems).toEqual([]);
  await page.close();
});

test('the coverage map colours every requirement by status; Article 10 opens its controls, evidence, owners, crosswalks and assets, one click from their lineage', async () => {
  await withScreenshotOnFailure(page, 'coverage', async () => {
    await page.goto(`${origin}/explore/coverage?framework=eu-ai-act`);
    await page.waitForSelector('#map[data-state="ready"]', { timeout: 60_000 });
    const { coverage } = await api.data('{ coverage(framework: "eu-ai-act") { items { status requirement { identifier } } } }');
    const cells = await page.$$eval('#map .cell', (buttons) => buttons.map((button) => [button.textContent, button.className.replace(/.*status-/, '')]));
    expect(cells.sort()).toEqual(coverage.items.map((item: { status: string; requirement: { identifier: string } }) => [item.requirement.identifier, item.status]).sort());

    await page.click('button[data-requirement="Article 10"]');
    await page.waitForSelector(`#details li[data-control-id="${controlId}"]`, { timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('#details .related')?.textContent?.includes('Loading'), { timeout: 30_000 });
    const control = await page.$eval(`#details li[data-control-id="${controlId}"]`, (li) => li.textContent ?? '');
    expect(control).toContain('Input filtering');
    expect(control).toContain('Filters poisoned training inputs');
    expect(control).toContain('AI platform team');
    expect(control).toContain('Red-team report');
    expect(control).toContain('expired 2020-01-01');
    const { relatedRequirements } = await api.data('{ relatedRequirements(requirement: { framework: "eu-ai-act", identifier: "Article 10" }, depth: 2) { requirement { identifier } } }');
    expect(relatedRequirements.length).toBeGreaterThan(0);
    expect(await page.$$eval('#details .related li', (items) => items.length)).toBe(relatedRequirements.length);
    await readmeScreenshot(page, 'coverage');

    await page.click(`#details li[data-control-id="${controlId}"] a[href*="${encodeURIComponent(agentId)}"]`);
    await page.waitForSelector('#graph[data-state="ready"]', { timeout: 60_000 });
    const { lineage } = await api.data('query($id: ID!) { lineage(id: $id, direction: BOTH, maxDepth: 4) { nodes { entity { id } } } }', { id: agentId });
    expect(await page.$eval('#graph', (graph) => Number((graph as HTMLElement).dataset.nodes))).toBe(lineage.nodes.length);
  });
});

test('a scoped map follows the risk tier, and an API key typed on the page is sent with every request and kept for the tab only', async () => {
  const { createApiKey } = await api.data(`mutation($name: String!) { createApiKey(name: $name, role: VIEWER) { key } }`, { name: unique('coverage-page-key') }, {
    name: 'admin',
    kind: 'apiKey',
    role: 'ADMIN',
  });
  const authorised: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.headers().authorization === `Bearer ${createApiKey.key}`) authorised.push(request.url());
  });
  await withScreenshotOnFailure(page, 'coverage-scope', async () => {
    await page.goto(`${origin}/explore/coverage?framework=eu-ai-act&riskTier=HIGH`);
    await page.waitForSelector('#map[data-state="ready"]', { timeout: 60_000 });
    const { coverage } = await api.data('{ coverage(framework: "eu-ai-act", scope: { riskTier: HIGH }) { total } }');
    expect(await page.$$eval('#map .cell', (buttons) => buttons.length)).toBe(coverage.total);

    await page.type('#api-key', createApiKey.key);
    // Awaited, not read from the listener once the map is ready: the map can be ready again before
    // the browser's report of the request reaches this process.
    const sentWithKey = page.waitForRequest((request) => request.url().endsWith('/graphql') && request.headers().authorization === `Bearer ${createApiKey.key}`, { timeout: 10_000 });
    await page.click('#key-form button');
    await page.waitForFunction(() => document.getElementById('key-state')?.textContent === 'key kept for this tab', { timeout: 10_000 });
    await sentWithKey;
    await page.waitForSelector('#map[data-state="ready"]', { timeout: 60_000 });
    expect(authorised.length).toBeGreaterThan(0);
    const stored = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: Object.values(localStorage), cookie: document.cookie }));
    expect(stored).toEqual({ session: [createApiKey.key], local: [], cookie: '' });
  });
});
