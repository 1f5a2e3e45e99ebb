import type { Express, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { RiskTier } from '../generated/graphql';
import type { Authenticate } from '../auth/authenticate';
import type { ContextFactory } from '../context';
import { ErrorCode, HTTP_STATUS } from '../errors';
import type { Logger } from '../logger';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, postureToMarkdown, renderCoverage } from './exporters';

const RISK_TIERS: readonly RiskTier[] = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL'];
export const COVERAGE_EXPORT_PATH = '/exports/coverage';
export const POSTURE_EXPORT_PATH = '/exports/posture';

/**
 * Browsers open the exports straight from the API: no content sniffing (a CSV or Markdown file is
 * never run as HTML), and a policy that lets the HTML page use its inline styles and nothing else.
 */
const EXPORT_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const one = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export interface ExportDependencies {
  createContext: ContextFactory;
  authenticate: Authenticate;
  logger: Logger;
}

/** Coded errors become the status a client expects; anything else is logged and masked. */
function sendError(res: Response, error: unknown, logger: Logger): void {
  const code = (error instanceof GraphQLError ? String(error.extensions.code ?? '') : '') as ErrorCode;
  const status = HTTP_STATUS[code] ?? 500;
  if (status === 500) logger.error('export failed', { error: error instanceof Error ? error.message : String(error) });
  res.status(status).json({ error: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : code, message: status === 500 ? 'Internal server error' : (error as Error).message } });
}

/**
 * GET /exports/coverage?framework=eu-ai-act&format=csv|md|html[&riskTier=HIGH][&assetId=…] and
 * GET /exports/posture (Markdown): the same service calls as the GraphQL fields, rendered for
 * people who will open the result in a spreadsheet, an editor or a browser.
 */
export function mountCoverageExport(app: Express, deps: ExportDependencies): void {
  app.use([COVERAGE_EXPORT_PATH, POSTURE_EXPORT_PATH], (_req, res, next) => {
    res.set(EXPORT_HEADERS);
    next();
  });
  app.get(COVERAGE_EXPORT_PATH, async (req, res) => {
    const framework = one(req.query.framework);
    const format = (one(req.query.format) ?? 'html') as ExportFormat;
    const riskTier = one(req.query.riskTier) as RiskTier | undefined;
    const problems: string[] = [];
    if (!framework) problems.push('framework is required, e.g. framework=eu-ai-act');
    if (!EXPORT_FORMATS.includes(format)) problems.push(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (riskTier && !RISK_TIERS.includes(riskTier)) problems.push(`riskTier must be one of ${RISK_TIERS.join(', ')}`);
    if (problems.length > 0) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: problems.join('; '), problems } });
      return;
    }
    try {
      const context = deps.createContext('ExportCoverage', await deps.authenticate(req.headers.authorization));
      const map = await context.services.compliance.coverage(framework!, { riskTier: riskTier ?? null, assetId: one(req.query.assetId) ?? null });
      res.type(CONTENT_TYPES[format]);
      if (format !== 'html') res.setHeader('content-disposition', `inline; filename="coverage-${framework}.${format}"`);
      res.send(renderCoverage(map, format));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  app.get(POSTURE_EXPORT_PATH, async (req, res) => {
    try {
      const context = deps.createContext('ExportPosture', await deps.authenticate(req.headers.authorization));
      const summary = await context.services.compliance.postureSummary();
      res.type(CONTENT_TYPES.md).send(postureToMarkdown({ ...summary, openRisks: summary.openRisks, openIncidents: summary.openIncidents }));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
}
