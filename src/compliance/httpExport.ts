import type { Express, Response } from 'express';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';
import type { CoverageScope, RiskTier } from '../generated/graphql';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, postureToMarkdown, renderCoverage } from './exporters';

const RISK_TIERS: readonly RiskTier[] = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL'];
export const COVERAGE_EXPORT_PATH = '/exports/coverage';
export const POSTURE_EXPORT_PATH = '/exports/posture';

/**
 * A coverage map's framework and scope as export URLs (and the export command's options) give them:
 * `framework`, `riskTier`, `assetId`, with what is wrong with them.
 */
export function coverageQuery(query: Record<string, unknown>): { framework: string; scope: CoverageScope; problems: string[] } {
  const framework = one(query.framework) ?? '';
  const riskTier = one(query.riskTier) as RiskTier | undefined;
  const problems: string[] = [];
  if (!framework) problems.push('framework is required, e.g. framework=eu-ai-act');
  if (riskTier && !RISK_TIERS.includes(riskTier)) problems.push(`riskTier must be one of ${RISK_TIERS.join(', ')}`);
  return { framework, scope: { riskTier: riskTier ?? null, assetId: one(query.assetId) ?? null }, problems };
}

/** Parameters that will never work are answered before any work, all of them at once. */
export function refuseQuery(res: Response, problems: string[]): void {
  res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: problems.join('; '), problems } });
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
    const { framework, scope, problems } = coverageQuery(req.query);
    const format = (one(req.query.format) ?? 'html') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) problems.push(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (problems.length > 0) {
      refuseQuery(res, problems);
      return;
    }
    try {
      const context = deps.createContext('ExportCoverage', await deps.authenticate(req.headers.authorization));
      const map = await context.services.compliance.coverage(framework, scope);
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
