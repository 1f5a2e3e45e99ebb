import { randomUUID } from 'node:crypto';
import type { HistoryConfig } from '../config';
import type { Neo4jGateway } from '../db/gateway';
import type { QueryName } from '../generated/queries';

/**
 * Retention: history older than a horizon goes (change sets, record versions and relationships
 * that ended before it, records retired before it, withdrawn not-applicable declarations); current
 * state never does, nor any state still valid at the horizon, so every question from the horizon on
 * is answered as before. The oldest change set bounds what asOf may ask (history/asOf.ts), so the
 * prune first writes a change set at the horizon and removes the older ones before anything else.
 */

const DAY_MS = 86_400_000;
export const MAX_RETENTION_DAYS = 36_500;

export interface PruneCounts {
  changeSets: number;
  versions: number;
  relationships: number;
  retired: number;
  declarations: number;
}

export interface PruneReport {
  cutoff: Date;
  dryRun: boolean;
  /** What was removed; for a dry run, what would be. */
  removed: PruneCounts;
  /** Where the days came from, for the report. */
  reason: string;
}

/**
 * Confines a prune to one source's history and one framework's declarations. Only tests use it: they
 * share one database. A confined prune writes no horizon (other sources keep their older history,
 * so the oldest change set stays older).
 */
export interface PruneScope {
  source: string;
  framework: string;
}

export interface PruneCommand {
  dryRun: boolean;
  days: number;
  /** Where the days came from: the setting or the option. */
  reason: string;
}

export const PRUNE_USAGE = 'usage: npm run history -- prune [--dry-run] [--older-than-days <days>]';

/** `npm run history -- ...` read against the configuration: what to prune, or why not. */
export function readPruneCommand(options: Record<string, string | true>, positional: string[], config: HistoryConfig): PruneCommand {
  if (positional.length !== 1 || positional[0] !== 'prune') throw new Error(PRUNE_USAGE);
  const unknown = Object.keys(options).filter((name) => name !== 'dry-run' && name !== 'older-than-days');
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n${PRUNE_USAGE}`);
  const given = options['older-than-days'];
  if (given !== undefined) {
    const days = Number(given);
    if (given === true || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      throw new Error(`--older-than-days must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${given === true ? 'nothing' : `"${given}"`}`);
    }
    return { dryRun: options['dry-run'] === true, days, reason: `--older-than-days ${days}` };
  }
  if (config.retentionDays === undefined) {
    throw new Error(
      'history is kept forever: HISTORY_RETENTION_DAYS is not set. Set it to the days of history to keep, or pass --older-than-days <days> to prune once.',
    );
  }
  return { dryRun: options['dry-run'] === true, days: config.retentionDays, reason: `HISTORY_RETENTION_DAYS=${config.retentionDays}` };
}

export const cutoffOf = (days: number, now: Date): Date => new Date(now.getTime() - days * DAY_MS);

const PRUNES: Array<[keyof PruneCounts, QueryName]> = [
  // Change sets first: the horizon moves before the history beneath it goes.
  ['changeSets', 'history/pruneChangeSets'],
  ['relationships', 'history/pruneRelationships'],
  ['versions', 'history/pruneVersions'],
  ['retired', 'history/pruneRetired'],
  ['declarations', 'history/pruneDeclarations'],
];

/**
 * Removes (or, dry, counts) the history before `cutoff`, each kind in batches of its own
 * transactions: a prune of years of history holds no lock for long, and one stopped halfway is
 * finished by running it again.
 */
export async function pruneHistory(
  gateway: Neo4jGateway,
  cutoff: Date,
  options: { dryRun: boolean; actor: string; reason: string; scope?: PruneScope },
): Promise<PruneReport> {
  const meta = { operation: 'HistoryPrune' };
  const params = { cutoff, source: options.scope?.source ?? null, framework: options.scope?.framework ?? null };
  const [prunable] = await gateway.readTx((tx) => tx.run<PruneCounts>('history/countPrunable', params), meta);
  if (options.dryRun) return { cutoff, dryRun: true, removed: prunable, reason: options.reason };
  if (!options.scope && prunable.changeSets > 0) await writeHorizon(gateway, cutoff, options.actor, options.reason);
  const removed: PruneCounts = { changeSets: 0, versions: 0, relationships: 0, retired: 0, declarations: 0 };
  for (const [kind, query] of PRUNES) {
    const [row] = await gateway.runBatched<{ removed: number }>(query, params, meta);
    removed[kind] = row.removed;
  }
  return { cutoff, dryRun: false, removed, reason: options.reason };
}

/**
 * A change set without events at the horizon: the oldest one once the older go, so asOf from the
 * horizon on stays answerable even when nothing changed since (and none before it is), and the
 * audit says who pruned and when.
 */
function writeHorizon(gateway: Neo4jGateway, cutoff: Date, actor: string, reason: string): Promise<void> {
  const changeSet = {
    id: randomUUID(),
    at: cutoff,
    recordedAt: new Date(),
    actor,
    source: '',
    reason: `history before ${cutoff.toISOString()} pruned (${reason})`,
    entityIndex: '',
    actions: [],
    entityIds: [],
    entityTypes: [],
    relationshipTypes: [],
    relatedIds: [],
    changes: [],
  };
  return gateway.writeTx(async (tx) => {
    await tx.run('estate/recordChangeSet', { changeSet });
  }, { operation: 'HistoryPrune' });
}

export function formatPruneReport(report: PruneReport): string {
  const { removed } = report;
  const lines = [
    `${report.dryRun ? 'Would prune' : 'Pruned'} history before ${report.cutoff.toISOString()} (${report.reason}):`,
    `  change sets             ${removed.changeSets}`,
    `  record versions         ${removed.versions}`,
    `  ended relationships     ${removed.relationships}`,
    `  retired records         ${removed.retired}`,
    `  withdrawn declarations  ${removed.declarations}`,
    report.dryRun ? 'Dry run: nothing was removed.' : `asOf and changes before ${report.cutoff.toISOString()} are refused from now on.`,
  ];
  return `${lines.join('\n')}\n`;
}
