import type { Express, Response } from 'express';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';
import type { CoverageScope, RiskTier } from '../generated/graphql';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, postureToMarkdown, renderCoverage } from './exporters';

const RISK_TIERS: readonly RiskTier[] = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL'];
export const COVERAGE_EXPORT_PATH = '/exports/coverage';
export const POSTURE_EXPORT_PATH = '/exports/posture';

/**
 * An instant as URLs and commands give it: a date-time as the GraphQL DateTime takes it, or a date
 * alone (2026-08-02), read as that day's first instant in UTC, as ISO 8601 reads it. Whether the
 * graph can answer for it is checkAsOf's to say.
 */
export function readInstant(value: string, name: string, problems: string[]): Date | null {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  try {
    return DateTimeISOResolver.parseValue(text) as Date;
  } catch {
    problems.push(`${name} must be a date-time such as 2026-08-02T09:30:00Z, or a date such as 2026-08-02`);
    return null;
  }
}

/**
 * A coverage map's framework, scope and instant as export URLs (and the export command's options)
 * give them: `framework`, `riskTier`, `assetId`, `system` (an AI system's id), `asOf`, with what is wrong with them.
 */
export function coverageQuery(query: Record<string, unknown>): { framework: string; scope: CoverageScope; asOf: Date | null; problems: string[] } {
  const framework = one(query.framework) ?? '';
  const riskTier = one(query.riskTier) as RiskTier | undefined;
  const asOf = one(query.asOf);
  const problems: string[] = [];
  if (!framework) problems.push('framework is required, e.g. framework=eu-ai-act');
  if (riskTier && !RISK_TIERS.includes(riskTier)) problems.push(`riskTier must be one of ${RISK_TIERS.join(', ')}`);
  return { framework, scope: { riskTier: riskTier ?? null, assetId: one(query.assetId) ?? null, systemId: one(query.system) ?? null }, asOf: asOf ? readInstant(asOf, 'asOf', problems) : null, problems };
}

/** Parameters that will never work are answered before any work, all of them at once. */
export function refuseQuery(res: Response, problems: string[]): void {
  res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: problems.join('; '), problems } });
}

/**
 * GET /exports/coverage?framework=eu-ai-act&format=csv|md|html[&riskTier=HIGH][&assetId=…][&system=…][&asOf=…]
 * and GET /exports/posture[?asOf=…] (Markdown): the same service calls as the GraphQL fields,
 * rendered for people who will open the result in a spreadsheet, an editor or a browser. An asOf
 * the graph cannot answer for is a 400 with the GraphQL field's code.
 */
export function mountCoverageExport(app: Express, deps: ExportDependencies): void {
  app.use([COVERAGE_EXPORT_PATH, POSTURE_EXPORT_PATH], (_req, res, next) => {
    res.set(EXPORT_HEADERS);
    next();
  });
  app.get(COVERAGE_EXPORT_PATH, async (req, res) => {
    const { framework, scope, asOf, problems } = coverageQuery(req.query);
    const format = (one(req.query.format) ?? 'html') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) problems.push(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (problems.length > 0) {
      refuseQuery(res, problems);
      return;
    }
    try {
      const context = deps.createContext('ExportCoverage', await deps.authenticate(req.headers.authorization));
      const map = await context.services.compliance.coverage(framework, scope, asOf);
      res.type(CONTENT_TYPES[format]);
      if (format !== 'html') res.setHeader('content-disposition', `inline; filename="coverage-${framework}.${format}"`);
      res.send(renderCoverage(map, format));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  app.get(POSTURE_EXPORT_PATH, async (req, res) => {
    const problems: string[] = [];
    const asOfText = one(req.query.asOf);
    const asOf = asOfText ? readInstant(asOfText, 'asOf', problems) : null;
    if (problems.length > 0) {
      refuseQuery(res, problems);
      return;
    }
    try {
      const context = deps.createContext('ExportPosture', await deps.authenticate(req.headers.authorization));
      const summary = await context.services.compliance.postureSummary(asOf);
      res.type(CONTENT_TYPES.md).send(postureToMarkdown({ ...summary, openRisks: summary.openRisks, openIncidents: summary.openIncidents }));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
}
