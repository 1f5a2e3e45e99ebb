import type { Express } from 'express';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';
import type { RiskTier } from '../generated/graphql';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, postureToMarkdown, renderCoverage } from './exporters';

const RISK_TIERS: readonly RiskTier[] = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL'];
export const COVERAGE_EXPORT_PATH = '/exports/coverage';
export const POSTURE_EXPORT_PATH = '/exports/posture';

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
