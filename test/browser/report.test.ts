import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { quarterAt, quarterBefore } from '../../src/report/quarter';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { guardedPage, GuardedPage, launchBrowser, readmeScreenshot, SCREENSHOT_DIR, withScreenshotOnFailure } from './support';

/**
 * The quarterly report as a board member opens it: in Chromium with JavaScript off (the page needs
 * none), from the API's own route, with nothing fetched from anywhere. The page is screenshotted
 * and checked for what a broken render looks like: a missing section, an empty picture, an error
 * instead of a report.
 */

let api: TestApi;
let browser: Browser;
let origin: string;
let guarded: GuardedPage;
let page: Page;
const source = unique('report-page');
const now = new Date();
const quarter = quarterAt(now);
const previous = quarterBefore(quarter);

/** Every section the report has; the page is broken when one is missing. */
const SECTIONS = [
  'summary', 'risk-heat-map', 'trend', 'incident-response', 'coverage', 'vendor-tiers',
  'actions', 'overdue-vendor-reviews', 'ungated-models', 'expired-evidence', 'incidents-past-target', 'shadow-ai', 'unowned-assets',
];

/** What is wrong with a rendered report page, as read in the browser; empty when nothing is. */
async function pageProblems(target: Page): Promise<string[]> {
  return target.evaluate((sections: string[]) => {
    const problems: string[] = [];
    if (!document.title.startsWith('AI security posture')) problems.push(`title: ${document.title}`);
    if (/Internal server error|"error"\s*:/.test(document.body.innerText)) problems.push('the page shows an error');
    for (const id of sections) {
      const element = document.querySelector<HTMLElement>(`section[data-section="${id}"]`);
      if (!element) problems.push(`section ${id} is missing`);
      else if (element.getBoundingClientRect().height < 20) problems.push(`section ${id} is not drawn`);
    }
    const pictures = [...document.querySelectorAll('svg')];
    if (pictures.length < 4) problems.push(`${pictures.length} pictures, expected the heat map, the trend, the coverage bars and the vendor tiers`);
    for (const picture of pictures) {
      const label = picture.getAttribute('aria-label') ?? 'an unlabelled picture';
      const box = picture.getBoundingClientRect();
      if (box.width < 50 || box.height < 50) problems.push(`${label}: drawn ${box.width}×${box.height}`);
      const marks = [...picture.querySelectorAll<SVGGraphicsElement>('rect, circle, polyline, path')].filter((mark) => {
        const bounds = mark.getBBox();
        return bounds.width > 0 || bounds.height > 0;
      });
      if (marks.length === 0) problems.push(`${label}: empty`);
    }
    return problems;
  }, SECTIONS);
}

// The app's start takes minutes at worst on a machine other test files share.
beforeAll(async () => {
  api = await createTestApi();
  origin = `http://127.0.0.1:${api.app.port}`;
  await api.data(SYNC, {
    input: {
      source,
      at: new Date(previous.start.getTime() + 30 * 86_400_000).toISOString(),
      assets: {
        risks: [{ externalId: 'r', name: `Poisoned labels ${source}`, category: 'TRAINING_DATA_POISONING', likelihood: 4, impact: 5, status: 'TREATING' }],
        evidence: [{ externalId: 'e', name: `Label audit ${source}`, kind: 'AUDIT_REPORT', expiresAt: new Date(previous.start.getTime() + 40 * 86_400_000).toISOString() }],
        // Open since last quarter: past its 30-day target.
        incidents: [{ externalId: 'i', name: `Prompt leak ${source}`, severity: 'HIGH', status: 'OPEN', detectedAt: new Date(previous.start.getTime() + 29 * 86_400_000).toISOString() }],
      },
    },
  });
  // A vendor reviewed today, and one never reviewed.
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        vendors: [{ externalId: 'v', name: `Model host ${source}` }, { externalId: 'w', name: `OCR service ${source}` }],
        owners: [{ externalId: 'o', name: `Third-party risk ${source}` }],
        vendorAssessments: [{ externalId: 'a', name: `Model host review ${source}`, assessedAt: now.toISOString(), trainsOnCustomerData: false, rightToAudit: true, certifications: ['ISO/IEC 27001'] }],
      },
      relationships: [
        { type: 'ASSESSES', from: { type: 'VendorAssessment', externalId: 'a' }, to: { type: 'Vendor', externalId: 'v' } },
        { type: 'ASSESSED_BY', from: { type: 'VendorAssessment', externalId: 'a' }, to: { type: 'Owner', externalId: 'o' } },
      ],
    },
  });
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});
beforeEach(async () => {
  guarded = await guardedPage(browser, origin);
  page = guarded.page;
  await page.setJavaScriptEnabled(false);
});
afterEach(async () => {
  expect(guarded.problems).toEqual([]);
  await page.close();
});

test('the current quarter’s report draws every section and picture, with this test’s records, and nothing fetched from elsewhere', async () => {
  await withScreenshotOnFailure(page, 'report', async () => {
    // The page is made while it is asked for (a dozen GraphQL operations): slow on a loaded machine.
    const response = await page.goto(`${origin}/exports/report?quarter=${quarter.label}`, { waitUntil: 'load', timeout: 120_000 });
    expect(response?.status()).toBe(200);
    expect(await pageProblems(page)).toEqual([]);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.reload({ waitUntil: 'load', timeout: 120_000 });
    expect(requested).toEqual([`${origin}/exports/report?quarter=${quarter.label}`]);

    const text = await page.$eval('body', (body) => body.innerText);
    expect(text).toContain(`Poisoned labels ${source}`);
    expect(text).toContain(`Label audit ${source}`);
    expect(text).toContain(`Prompt leak ${source}`);
    // The heat map holds every open risk with a rating; the tile says how many are open.
    const cells = await page.$$eval('[data-section="risk-heat-map"] g.cell', (groups) => groups.map((group) => Number(group.getAttribute('data-count'))));
    expect(cells).toHaveLength(25);
    expect(await page.$eval('g.cell[data-likelihood="4"][data-impact="5"]', (group) => Number(group.getAttribute('data-count')))).toBeGreaterThanOrEqual(1);
    const open = await page.$eval('[data-figure="open-risks"] .figure', (figure) => Number(figure.textContent));
    expect(cells.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(open);
    // The trend starts no later than last quarter (this test's dated sync), with both series.
    const points = await page.$$eval('[data-section="trend"] circle.point', (circles) => circles.map((circle) => [circle.getAttribute('data-series'), circle.getAttribute('data-quarter')]));
    expect(points).toEqual(expect.arrayContaining([['risks', previous.label], ['incidents', quarter.label]]));
    expect(await page.$$eval('[data-section="coverage"] rect.segment', (segments) => segments.length)).toBeGreaterThan(0);
    // Vendors by the tier of their reviews: this test's two at least, one of them never reviewed.
    expect(await page.$$eval('[data-section="vendor-tiers"] rect.tier', (bars) => bars.reduce((sum, bar) => sum + Number(bar.getAttribute('data-count')), 0))).toBeGreaterThanOrEqual(2);
    expect(await page.$('[data-section="vendor-tiers"] rect.tier[data-tier="NONE"]')).not.toBeNull();
    expect(text).toContain(`OCR service ${source}`);

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'report.png'), fullPage: true });
    await readmeScreenshot(page, 'report');
  });
}, 300_000);

test('the checks fail on a broken page: a section left out, an empty picture, an error in place of the report', async () => {
  const html = await (await fetch(`${origin}/exports/report?quarter=${quarter.label}`)).text();
  const broken = html
    .replace(/<section id="trend"[\s\S]*?<\/section>/, '')
    .replace(/(<svg[^>]*aria-label="Coverage per framework by status"[^>]*>)[\s\S]*?<\/svg>/, '$1</svg>');
  await page.setContent(broken, { waitUntil: 'load' });
  expect(await pageProblems(page)).toEqual(['section trend is missing', '3 pictures, expected the heat map, the trend, the coverage bars and the vendor tiers', 'Coverage per framework by status: empty']);
  const failed = await fetch(`${origin}/exports/report?quarter=1990-Q1`);
  await page.setContent(`<html><head><title>AI security posture</title></head><body>${await failed.text()}</body></html>`, { waitUntil: 'load' });
  expect(await pageProblems(page)).toEqual(expect.arrayContaining(['the page shows an error', 'section summary is missing']));
});
