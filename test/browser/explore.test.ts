import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { DEMO_ESTATE_FILE } from '../../src/seed/demoEstate';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { guardedPage, GuardedPage, launchBrowser, readmeScreenshot, withScreenshotOnFailure } from './support';

let api: TestApi;
let browser: Browser;
let origin: string;
let guarded: GuardedPage;
let page: Page;
const source = unique('explore');
const LABELS = `Fraud labels ${source}`;

const idOf = async (type: string, externalId: string): Promise<string> => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id;

beforeAll(async () => {
  api = await createTestApi();
  origin = `http://127.0.0.1:${api.app.port}`;
  // The demo organisation, under this test's own source, with its fraud labels marked as poisoned.
  // Its labels get a name of their own: other tests load the demo too, and a search lists a page.
  const demo = JSON.parse(fs.readFileSync(DEMO_ESTATE_FILE, 'utf8')) as { input: { assets: { datasets: Array<{ externalId: string; name: string }> } } };
  const datasets = demo.input.assets.datasets.map((dataset) => (dataset.externalId === 'ds-fraud-labels' ? { ...dataset, name: LABELS } : dataset));
  await api.data(SYNC, { input: { ...demo.input, assets: { ...demo.input.assets, datasets }, source } });
  await api.data('mutation($id: ID!) { markCompromised(id: $id, reason: "Label flips in the November refresh") { incident { id } } }', { id: await idOf('Dataset', 'ds-fraud-labels') });
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
  // Any console error, failed request or request to another host fails the test that caused it.
  expect(guarded.problems).toEqual([]);
  await page.close();
});

const drawn = (attribute: 'nodes' | 'edges') => page.$eval('#graph', (graph, name) => Number((graph as HTMLElement).dataset[name]), attribute);
const whenDrawn = () => page.waitForSelector('#graph[data-state="ready"]', { timeout: 60_000 });
const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
const hasClass = (id: string, name: string) => page.evaluate((nodeId, className) => (window as any).explorer.cy.getElementById(nodeId).hasClass(className) as boolean, id, name);

/** A real mouse click on a drawn record, where Cytoscape rendered it. */
async function clickNode(id: string): Promise<void> {
  const point = await page.evaluate((nodeId) => {
    const { cy } = (window as any).explorer;
    cy.center(cy.getElementById(nodeId));
    const position = cy.getElementById(nodeId).renderedPosition();
    const box = document.getElementById('graph')!.getBoundingClientRect();
    return { x: box.left + position.x, y: box.top + position.y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

async function searchAndDraw(name: string, id: string): Promise<void> {
  await page.goto(`${origin}/explore`);
  await page.type('#search', name);
  const option = `#search-results li[data-id="${id}"]`;
  await page.waitForSelector(option, { timeout: 30_000 });
  // On a slow machine a prefix of the name can be searched before the whole of it, and the later
  // answer redraws the list: the option found may be gone by the time a click reaches it, so the
  // press is made on whichever one stands, in the page (the list picks on mousedown).
  await page.$eval(option, (item) => item.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true })));
  await whenDrawn();
}

test('search finds the poisoned dataset; the drawing holds exactly the API’s lineage, with the compromise marked downstream', async () => {
  const labels = await idOf('Dataset', 'ds-fraud-labels');
  const model = await idOf('AIModel', 'model-fraud-detect-v5');
  await withScreenshotOnFailure(page, 'explore-lineage', async () => {
    await searchAndDraw(LABELS, labels);
    const { lineage } = await api.data('query($id: ID!) { lineage(id: $id, direction: BOTH, maxDepth: 4) { nodes { entity { id } } edges { type } } }', { id: labels });
    expect(await drawn('nodes')).toBe(lineage.nodes.length);
    expect(await drawn('edges')).toBe(lineage.edges.length);
    await page.click('#tab-list');
    expect(await page.$$eval('#record-table tbody tr', (rows) => rows.length)).toBe(lineage.nodes.length);
    expect(await page.$$eval('#relationship-table tbody tr', (rows) => rows.length)).toBe(lineage.edges.length);
    await page.click('#tab-graph');
    expect(await hasClass(labels, 'compromised')).toBe(true);
    expect(await hasClass(model, 'tainted')).toBe(true);
    expect(await page.evaluate(() => location.search)).toContain(`id=${encodeURIComponent(labels)}`);
  });
});

test('a choice closes the search list for good: a look-up still pending when the record is picked does not reopen it', async () => {
  const labels = await idOf('Dataset', 'ds-fraud-labels');
  await withScreenshotOnFailure(page, 'explore-search-closed', async () => {
    await page.goto(`${origin}/explore`);
    await page.type('#search', LABELS);
    const option = `#search-results li[data-id="${labels}"]`;
    await page.waitForSelector(option, { timeout: 30_000 });
    // One more key starts a look-up; the pick lands while it waits, as a quick user's would.
    await page.keyboard.type('x');
    await page.$eval(option, (item) => item.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true })));
    await whenDrawn();
    await page.waitForNetworkIdle({ idleTime: 800, timeout: 30_000 });
    expect(await page.$eval('#search-results', (list) => (list as HTMLElement).hidden)).toBe(true);
    expect(await page.$eval('#search', (input) => (input as HTMLInputElement).value)).toBe(LABELS);
  });
});

test('clicking a drawn record shows its details: fields, owners, risks, controls and evidence, history', async () => {
  const model = await idOf('AIModel', 'model-fraud-detect-v5');
  await withScreenshotOnFailure(page, 'explore-details', async () => {
    await searchAndDraw(LABELS, await idOf('Dataset', 'ds-fraud-labels'));
    await clickNode(model);
    await page.waitForSelector(`#details .record[data-record-id="${model}"] section`, { timeout: 30_000 });
    const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { name riskTier owners { name } risks { name } controls { name evidence { name } } } } }', { id: model });
    const details = await text('#details');
    expect(details).toContain(node.name);
    expect(details).toContain(node.riskTier);
    for (const { name } of [...node.owners, ...node.risks, ...node.controls, ...node.controls.flatMap((control: { evidence: unknown[] }) => control.evidence)]) expect(details).toContain(name);
    expect(details).toMatch(/History/);
  });
});

test('impact mode lists the reached decisions with impact level and human in the loop, and explains a selected one', async () => {
  const labels = await idOf('Dataset', 'ds-fraud-labels');
  await withScreenshotOnFailure(page, 'explore-impact', async () => {
    await searchAndDraw(LABELS, labels);
    await page.click('input[name="mode"][value="impact"]');
    await whenDrawn();
    const { impact } = await api.data('query($id: ID!) { impact(id: $id, maxDepth: 4) { count decisions { decision { id name } impactLevel humanInTheLoop path { text } } } }', { id: labels });
    expect(impact.decisions.length).toBeGreaterThan(0);
    expect(await drawn('nodes')).toBe(impact.count + 1);
    const rows = await page.$$eval('table.decisions tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map(([name, level, loop]) => [name, level, loop])).toEqual(
      impact.decisions.map((item: { decision: { name: string }; impactLevel: string | null; humanInTheLoop: boolean | null }) => [item.decision.name, item.impactLevel ?? '—', item.humanInTheLoop === null ? '—' : item.humanInTheLoop ? 'yes' : 'no']),
    );
    const first = impact.decisions[0];
    await page.click(`tr[data-decision-id="${first.decision.id}"] button`);
    await page.waitForSelector(`#details .record[data-record-id="${first.decision.id}"] .path`, { timeout: 30_000 });
    expect(await text('#details .path')).toBe(first.path.text);
    expect(await hasClass(first.decision.id, 'on-path')).toBe(true);
    expect(await hasClass(labels, 'on-path')).toBe(true);
    await readmeScreenshot(page, 'explore');
  });
});

test('expanding a record adds its neighbours in place; the playground link carries the query that ran', async () => {
  const model = await idOf('AIModel', 'model-fraud-detect-v5');
  await withScreenshotOnFailure(page, 'explore-expand', async () => {
    await page.goto(`${origin}/explore?id=${encodeURIComponent(model)}&mode=lineage&direction=UPSTREAM&depth=1`);
    await whenDrawn();
    const before = await drawn('nodes');
    await clickNode(model);
    await page.waitForSelector(`#details .record[data-record-id="${model}"]`, { timeout: 30_000 });
    const [expand] = await page.$$('xpath/.//button[contains(., "Expand its neighbours")]');
    await expand.click();
    await page.waitForFunction((count) => Number(document.getElementById('graph')!.dataset.nodes) > count && document.getElementById('graph')!.dataset.state === 'ready', { timeout: 60_000 }, before);
    const { lineage } = await api.data('query($id: ID!) { lineage(id: $id, direction: BOTH, maxDepth: 1) { nodes { entity { id } } } }', { id: model });
    expect(await drawn('nodes')).toBe(lineage.nodes.length);
    const link = await page.$eval('#playground-link', (anchor) => (anchor as HTMLAnchorElement).getAttribute('href')!);
    const fragment = new URLSearchParams(link.split('#')[1]);
    expect(fragment.get('query')).toMatch(/^query ExplorerLineage/);
    expect(JSON.parse(fragment.get('variables')!)).toMatchObject({ id: expect.any(String) });

    // The playground opens on that operation, and links back to the explorer.
    await page.click('#playground-link');
    await page.waitForSelector('.graphiql-query-editor .CodeMirror-code', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror-code')?.textContent?.includes('query ExplorerLineage'), { timeout: 30_000 });
    expect(await page.$('.graphiql-logo a[href="/explore"]')).not.toBeNull();
  });
});

test('past the node budget the farthest records are grouped by type, counted, and can all be drawn', async () => {
  const labels = await idOf('Dataset', 'ds-fraud-labels');
  await withScreenshotOnFailure(page, 'explore-budget', async () => {
    await page.goto(`${origin}/explore?id=${encodeURIComponent(labels)}&mode=lineage&direction=BOTH&depth=4&budget=3`);
    await whenDrawn();
    const { lineage } = await api.data('query($id: ID!) { lineage(id: $id, direction: BOTH, maxDepth: 4) { nodes { entity { id __typename } } } }', { id: labels });
    const hidden = lineage.nodes.length - 3;
    const types = new Set(lineage.nodes.map((node: { entity: { __typename: string } }) => node.entity.__typename));
    expect(await drawn('nodes')).toBeLessThanOrEqual(3 + types.size);
    expect(await text('#summary')).toContain(`${hidden} grouped by type`);
    const cluster = await page.evaluate(() => (window as any).explorer.cy.nodes('.cluster').map((node: any) => ({ id: node.id(), label: node.data('label') }))[0]);
    expect(cluster.label).toMatch(/^\d+ more \w+ records$/);
    await clickNode(cluster.id);
    await page.waitForSelector('#details .cluster button', { timeout: 30_000 });
    expect(await page.$$eval('#details .cluster li', (items) => items.length)).toBe(Number(cluster.label.split(' ')[0]));
    await page.click('#details .cluster p button');
    await page.waitForFunction((count) => Number(document.getElementById('graph')!.dataset.nodes) === count, { timeout: 60_000 }, lineage.nodes.length);
  });
});

test('the drawing exports as SVG and as PNG', async () => {
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-exports-'));
  const waitForFile = async (name: string) => {
    const file = path.join(downloads, name);
    for (let tries = 0; tries < 100 && !(fs.existsSync(file) && fs.statSync(file).size > 0); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    return fs.readFileSync(file);
  };
  await withScreenshotOnFailure(page, 'explore-export', async () => {
    await searchAndDraw(LABELS, await idOf('Dataset', 'ds-fraud-labels'));
    const session = await page.createCDPSession();
    await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#export-svg');
    const svg = (await waitForFile('lineage.svg')).toString('utf8');
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svg).toContain('Fraud labels');
    await page.click('#export-png');
    expect((await waitForFile('lineage.png')).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
  fs.rmSync(downloads, { recursive: true, force: true });
});

test('record names are shown as text, never run as markup', async () => {
  const hostile = '<img src=x onerror="window.__owned=1"><script>window.__owned=2</script>';
  await api.data(SYNC, {
    input: {
      source,
      assets: { datasets: [{ externalId: 'ds-hostile', name: hostile }, { externalId: 'ds-hostile-child', name: `child of ${hostile}` }] },
      relationships: [{ type: 'DERIVED_FROM', from: { type: 'Dataset', externalId: 'ds-hostile-child' }, to: { type: 'Dataset', externalId: 'ds-hostile' } }],
    },
  });
  const id = await idOf('Dataset', 'ds-hostile');
  await withScreenshotOnFailure(page, 'explore-hostile', async () => {
    await searchAndDraw('onerror', id);
    await clickNode(id);
    await page.waitForSelector(`#details .record[data-record-id="${id}"] h2`, { timeout: 30_000 });
    expect(await text('#details h2')).toBe(hostile);
    expect(await page.$$('#details img, #list-view img, #search-results img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as any).__owned)).toBeUndefined();
  });
});
