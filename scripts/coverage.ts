/**
 * Prints a coverage map (or the posture summary) to stdout; logs go to stderr.
 *
 *   npm run coverage -- --framework eu-ai-act --format html > coverage.html
 *   npm run coverage -- --framework eu-ai-act --format csv --risk-tier HIGH
 *   npm run coverage -- --posture > posture.md
 *
 * Connects to NEO4J_URI when set; otherwise starts the embedded Neo4j exactly as `npm start` does
 * (same data folder, so stop a running app first or point NEO4J_URI at it).
 */
import { renderCoverage, EXPORT_FORMATS, ExportFormat, postureToMarkdown } from '../src/compliance/exporters';
import type { RiskTier } from '../src/generated/graphql';
import { parseArgs, runScript } from './runScript';

const USAGE = 'usage: npm run coverage -- --framework <key> [--format csv|md|html] [--risk-tier HIGH] [--asset <id>] | --posture';

void runScript('CoverageScript', async (app) => {
  const args = parseArgs(process.argv.slice(2), USAGE);
  const context = app.server.createContext('CoverageScript', 'script');
  if (args.posture) return postureToMarkdown(await context.services.compliance.postureSummary());
  const format = (typeof args.format === 'string' ? args.format : 'md') as ExportFormat;
  if (typeof args.framework !== 'string' || !EXPORT_FORMATS.includes(format)) throw new Error(USAGE);
  const map = await context.services.compliance.coverage(args.framework, {
    riskTier: typeof args['risk-tier'] === 'string' ? (args['risk-tier'] as RiskTier) : null,
    assetId: typeof args.asset === 'string' ? args.asset : null,
  });
  return renderCoverage(map, format);
});
