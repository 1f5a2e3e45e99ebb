import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';

/** Debian's Chromium, installed by .ci/run; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, as root, on a machine whose only network is loopback: without the background-networking
 * flags Chromium keeps trying Google's hosts, and those refused connections are not the page's.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', '.artifacts', 'browser');

export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, defaultViewport: { width: 1400, height: 900 } });
}

export interface GuardedPage {
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and requests to any other host, as they happen. */
  problems: string[];
}

/** A page that may talk to `origin` only: every other request is refused and recorded. */
export async function guardedPage(browser: Browser, origin: string): Promise<GuardedPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return void request.continue();
    problems.push(`request to another host: ${url}`);
    void request.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(origin)) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

/** Runs a test's steps; when one fails, saves a screenshot under .artifacts/browser/ before failing. */
export async function withScreenshotOnFailure(page: Page, name: string, steps: () => Promise<void>): Promise<void> {
  await steps().catch(async (error: unknown) => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { message: `${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file})` });
  });
}

/** README_SCREENSHOTS=1 makes the suite refresh the README's pictures of the pages (docs/). */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.README_SCREENSHOTS !== '1') return;
  const dir = path.join(__dirname, '..', '..', 'docs');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
