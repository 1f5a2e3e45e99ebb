/**
 * Imports documents in the ecosystem's formats as syncs under a source, printing each one's report
 * (stdout) and exiting non-zero when one is refused.
 *
 *   npm run import -- --source hf-hub model-bom.cdx.json
 *   npm run import -- --format cyclonedx --source hf-hub --dry-run --mode REPLACE a.json b.json
 *
 * The format is detected from each document when --format is left out. Connects to NEO4J_URI when
 * set; otherwise starts the embedded Neo4j on the app's data folder (stop a running app first).
 */
import fs from 'node:fs';
import { GraphQLError } from 'graphql';
import type { InputProblem } from '../src/errors';
import { CONVERTERS } from '../src/formats/importService';
import type { DocumentFormat, ImportReport } from '../src/formats/model';
import { parseCommandLine, runScript } from './runScript';

const FORMATS = Object.keys(CONVERTERS).map((format) => format.toLowerCase());
const USAGE = `usage: npm run import -- [--format ${FORMATS.join('|')}] --source NAME [--mode UPSERT|REPLACE] [--dry-run] FILE...`;

const counts = (c: { created: number; updated: number; unchanged: number; deleted: number }) => `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.deleted} deleted`;

function describe(file: string, report: ImportReport): string {
  const lines = [
    `${file}: ${report.format} into source "${report.source}"${report.sync.dryRun ? ' (dry run: nothing written)' : ''}, ${report.sync.mode}`,
    `  ${report.mapped} of ${report.considered} elements mapped; records ${counts(report.sync.assets)}; relationships ${counts(report.sync.relationships)}`,
    ...report.warnings.map((warning) => `  ${warning.skipped ? 'skipped' : 'warning'} ${warning.pointer || '/'}: ${warning.message}`),
    ...report.problems.map((problem) => `  problem ${problem.pointer || '/'}: ${problem.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

void runScript('ImportScript', async (app) => {
  const { options, positional: files } = parseCommandLine(process.argv.slice(2), USAGE, ['dry-run']);
  const format = typeof options.format === 'string' ? options.format.toUpperCase() : undefined;
  if (typeof options.source !== 'string' || files.length === 0 || (format !== undefined && !(format in CONVERTERS))) throw new Error(USAGE);
  const mode = options.mode === 'REPLACE' ? 'REPLACE' : 'UPSERT';
  let output = '';
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not a readable JSON file (${(error as Error).message})`);
    }
    const context = app.server.createContext('ImportScript', 'import');
    try {
      const report = await context.services.formats.importDocument({ format: format as DocumentFormat | undefined, source: options.source, document, mode, dryRun: options['dry-run'] === true });
      output += describe(file, report);
    } catch (error) {
      const problems = error instanceof GraphQLError ? ((error.extensions.problems as InputProblem[] | undefined) ?? []) : [];
      throw new Error(`${file}: ${(error as Error).message}${problems.map((problem) => `\n  problem ${problem.path || '/'}: ${problem.message}`).join('')}`);
    }
  }
  return output;
});
