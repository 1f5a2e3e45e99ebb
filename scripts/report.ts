/**
 * Prints the quarterly AI security posture report to stdout; logs go to stderr.
 *
 *   npm run -s report -- --quarter 2026-Q4 --format html > posture-2026-Q4.html
 *   npm run -s report -- --quarter 2026-Q3 --format md     a closed quarter, as it stood at its end
 *   npm run -s report                                      the current quarter, as HTML
 *
 * Connects to NEO4J_URI when set; otherwise starts the embedded Neo4j on the app's data folder.
 */
import { renderQuarterlyReport } from '../src/report/quarterlyReport';
import { parseArgs, runScript } from './runScript';

const USAGE = 'usage: npm run report -- [--quarter YYYY-Q1..Q4] [--format html|md]';

void runScript('ReportScript', async (app) => {
  const args = parseArgs(process.argv.slice(2), USAGE);
  const unknown = Object.keys(args).filter((name) => name !== 'quarter' && name !== 'format');
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n${USAGE}`);
  // A flag given without its value is refused as an empty value, not taken as the default.
  const value = (name: string) => (args[name] === undefined ? undefined : args[name] === true ? '' : (args[name] as string));
  const context = app.server.createContext('ReportScript', 'report');
  const { text } = await renderQuarterlyReport(app.server.apollo, context, { quarter: value('quarter'), format: value('format') });
  return text;
});
