/**
 * Prints a coverage map (or the posture summary) to stdout; logs go to stderr.
 *
 *   npm run coverage -- --framework eu-ai-act --format html > coverage.html
 *   npm run coverage -- --framework eu-ai-act --format csv --risk-tier HIGH
 *   npm run coverage -- --framework eu-ai-act --system <AISystem id>   what applies to one AI system
 *   npm run coverage -- --framework eu-ai-act --as-of 2026-08-02     as it stood then (a date is its first instant, UTC)
 *   npm run coverage -- --posture [--as-of 2026-08-02T12:00:00Z] > posture.md
 *   npm run coverage -- --soa --format html > soa.html          the ISO/IEC 42001 Statement of Applicability (--framework for another catalogue)
 *
 * Connects to NEO4J_URI when set; otherwise starts the embedded Neo4j exactly as `npm start` does
 * (same data folder, so stop a running app first or point NEO4J_URI at it).
 */
import { renderCoverage, EXPORT_FORMATS, ExportFormat, postureToMarkdown } from '../src/compliance/exporters';
import { readInstant } from '../src/compliance/httpExport';
import { renderSoa } from '../src/compliance/soaExporters';
import type { RiskTier } from '../src/generated/graphql';
import { parseArgs, runScript } from './runScript';

const USAGE = 'usage: npm run coverage -- --framework <key> [--format csv|md|html] [--risk-tier HIGH] [--asset <id>] [--system <id>] [--as-of <date-time>] | --posture [--as-of <date-time>] | --soa [--framework <key>] [--format csv|md|html] [--as-of <date-time>]';

void runScript('CoverageScript', async (app) => {
  const args = parseArgs(process.argv.slice(2), USAGE);
  const problems: string[] = [];
  const asOf = args['as-of'] === undefined ? null : readInstant(typeof args['as-of'] === 'string' ? args['as-of'] : '', '--as-of', problems);
  if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${USAGE}`);
  const context = app.server.createContext('CoverageScript', 'script');
  if (args.posture) return postureToMarkdown(await context.services.compliance.postureSummary(asOf));
  const format = (typeof args.format === 'string' ? args.format : 'md') as ExportFormat;
  if (args.soa && EXPORT_FORMATS.includes(format)) return renderSoa(await context.services.soa.statement(typeof args.framework === 'string' ? args.framework : null, asOf), format);
  if (typeof args.framework !== 'string' || !EXPORT_FORMATS.includes(format)) throw new Error(USAGE);
  const map = await context.services.compliance.coverage(
    args.framework,
    {
      riskTier: typeof args['risk-tier'] === 'string' ? (args['risk-tier'] as RiskTier) : null,
      assetId: typeof args.asset === 'string' ? args.asset : null,
      systemId: typeof args.system === 'string' ? args.system : null,
    },
    asOf,
  );
  return renderCoverage(map, format);
});
