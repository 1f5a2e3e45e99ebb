import path from 'node:path';
import type { Express, Response } from 'express';
import type { Logger } from '../logger';
import { projectPath } from '../paths';
import { explorerScripts, ScriptName } from './bundle';
import { coverageHtml, exploreHtml } from './pages';

export const EXPLORE_PATH = '/explore';
export const COVERAGE_PAGE_PATH = '/explore/coverage';
export const EXPLORER_ASSET_PREFIX = '/explore/assets/';

/**
 * The pages run only their own scripts, from this server; they talk to this server only (the
 * GraphQL endpoint); ELK lays graphs out in a worker loaded from here; images are the exports the
 * page makes itself (data: and blob: URLs). No inline script or style, no frames, no forms posted
 * anywhere.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = { 'content-security-policy': EXPLORER_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** Files served as they are from the project: the pages' stylesheet and ELK's worker. */
const STATIC_ASSETS: Record<string, { file: string; type: string }> = {
  'explorer.css': { file: projectPath('web/explorer.css'), type: 'text/css' },
  'elk-worker.js': { file: path.join(path.dirname(require.resolve('elkjs/package.json')), 'lib/elk-worker.min.js'), type: 'text/javascript' },
};

function sendPage(res: Response, html: string): void {
  res.set(PAGE_HEADERS).type('html').send(html);
}

/** GET /explore (lineage and impact) and /explore/coverage, with their scripts, all from this server. */
export function mountExplorer(app: Express, graphqlPath: string, logger: Logger): void {
  // Browsers ask every origin for an icon; an empty answer keeps the pages' consoles free of 404s.
  app.get('/favicon.ico', (_req, res) => void res.status(204).set('cache-control', 'public, max-age=86400').end());
  app.get(EXPLORE_PATH, (_req, res) => sendPage(res, exploreHtml(graphqlPath)));
  app.get(COVERAGE_PAGE_PATH, (_req, res) => sendPage(res, coverageHtml(graphqlPath)));
  for (const [name, { file, type }] of Object.entries(STATIC_ASSETS)) {
    app.get(`${EXPLORER_ASSET_PREFIX}${name}`, (_req, res) => {
      res.set(PAGE_HEADERS).type(type).set('cache-control', 'no-cache').sendFile(file);
    });
  }
  app.get(`${EXPLORER_ASSET_PREFIX}:script`, async (req, res, next) => {
    try {
      const script = (await explorerScripts()).get(req.params.script as ScriptName);
      if (script === undefined) return next();
      // no-cache: browsers revalidate with the ETag express sets, so a changed bundle is never stale.
      res.set(PAGE_HEADERS).type('text/javascript').set('cache-control', 'no-cache').send(script);
    } catch (error) {
      logger.error('explorer bundle failed', { error: error instanceof Error ? error.message : String(error) });
      res.status(500).type('text/plain').send('The explorer could not be built; see the server log.');
    }
  });
}
