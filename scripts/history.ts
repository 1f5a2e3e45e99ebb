/**
 * History maintenance: removes history older than the retention horizon (see src/history/retention.ts).
 *
 *   npm run history -- prune                       # keeps HISTORY_RETENTION_DAYS days
 *   npm run history -- prune --dry-run             # counts what would go, removes nothing
 *   npm run history -- prune --older-than-days 400 # once, whatever the setting
 *
 * Without HISTORY_RETENTION_DAYS or --older-than-days it refuses: history is kept forever by
 * default. Connects to NEO4J_URI when set; otherwise starts the embedded Neo4j as `npm start` does
 * (same data folder, so stop a running app first or point NEO4J_URI at it).
 */
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../src/config';
import { cutoffOf, formatPruneReport, PRUNE_USAGE, PruneCommand, pruneHistory, readPruneCommand } from '../src/history/retention';
import { parseCommandLine, runScript } from './runScript';

/** Read before the app starts: a refused prune should not wait for Neo4j to tell it so. */
function readCommand(): PruneCommand | null {
  try {
    // As `npm start` reads it (src/main.ts): a retention set there is the one to apply.
    if (fs.existsSync('.env')) process.loadEnvFile('.env');
    const { options, positional } = parseCommandLine(process.argv.slice(2), PRUNE_USAGE, ['dry-run']);
    return readPruneCommand(options, positional, loadConfig().history);
  } catch (error) {
    process.stderr.write(`HistoryScript failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return null;
  }
}

const command = readCommand();
if (command) {
  void runScript('HistoryScript', async (app) =>
    formatPruneReport(await pruneHistory(app.gateway, cutoffOf(command.days, new Date()), { dryRun: command.dryRun, actor: 'npm run history', reason: command.reason })),
  );
}
