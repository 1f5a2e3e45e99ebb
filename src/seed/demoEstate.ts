import fs from 'node:fs';
import type { DemoComplianceFile } from '../compliance/catalogueService';
import type { SyncInventoryInput } from '../generated/graphql';
import type { Logger } from '../logger';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';
import { DemoCompromise, demoRecordKeys, DemoHistoryFile, DemoRound, planDemoRounds } from './demoHistory';
import { classifyDemoSystems } from './demoSystems';
import { loadDemoSignals } from './demoSignals';

/** The demo organisation as it stands today: one complete sync payload. */
export const DEMO_ESTATE_FILE = projectPath('seed/demo-estate.json');
/** Its control-to-requirement claims and not-applicable declarations, as they stand today. */
export const DEMO_COMPLIANCE_FILE = projectPath('seed/demo-compliance.json');
/** How both came to be since July 2026: the dated events the demo is loaded through. */
export const DEMO_HISTORY_FILE = projectPath('seed/demo-history.json');
/** Its security programme (playbooks, policies, discovery sources) and what links it to the estate's records. */
export const DEMO_PROGRAMME_FILE = projectPath('seed/demo-programme.json');

interface DatedSync {
  at: string;
  what: string;
  input: SyncInventoryInput;
}
interface DemoProgrammeFile extends DatedSync {
  afterHistory: DatedSync[];
}

const SYNC_DEMO = `mutation SeedDemoEstate($input: SyncInventoryInput!) {
  syncInventory(input: $input) { ok assets { created updated unchanged deleted } relationships { created updated unchanged deleted } }
}`;
const FIND_COMPROMISE = `query SeedDemoCompromise($source: String!, $type: EntityType!, $externalId: String!, $incident: String!) {
  asset: entityByKey(type: $type, source: $source, externalId: $externalId) { id }
  incident: entityByKey(type: Incident, source: $source, externalId: $incident) { id ... on Incident { compromiseWindows { asset { id } } } }
}`;
const MARK_COMPROMISED = `mutation SeedDemoMarkCompromised($id: ID!, $reason: String!, $incident: ID!, $since: DateTime!) {
  markCompromised(id: $id, reason: $reason, incident: { id: $incident }, since: $since) { window { since } }
}`;

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/**
 * The rounds that load the demo and the compromises marked once they are loaded; under another
 * `source` than the files' for tests that need a copy of their own.
 */
export function readDemoHistory(source?: string): { rounds: DemoRound[]; compromised: DemoCompromise[] } {
  const history = readJson<DemoHistoryFile>(DEMO_HISTORY_FILE);
  const rounds = planDemoRounds(readJson<{ input: SyncInventoryInput }>(DEMO_ESTATE_FILE).input, readJson<DemoComplianceFile>(DEMO_COMPLIANCE_FILE), history);
  if (source === undefined) return { rounds, compromised: history.compromised };
  return {
    rounds: rounds.map((round) => ({
      ...round,
      input: { ...round.input, source },
      claims: round.claims && { ...round.claims, source: `${source}-compliance`, estateSource: source },
    })),
    compromised: history.compromised,
  };
}

/**
 * Loads the demo organisation with its history: one dated sync per round of seed/demo-history.json,
 * through the public mutation (exactly as an inventory tool loading its history would), each followed
 * by the claims as they stood then. Rounds already loaded are skipped, so a restart, or a database
 * that already holds the demo, changes nothing. Returns how many rounds it applied.
 */
export async function loadDemoEstate(server: ApiServer, logger: Logger, source?: string): Promise<number> {
  const { rounds, compromised } = readDemoHistory(source);
  const run = async <Data>(operation: string, query: string, variables: Record<string, unknown>) => {
    const response = await server.apollo.executeOperation<Data>({ query, variables }, { contextValue: server.createContext(operation, 'seed') });
    if (response.body.kind !== 'single') throw new Error(`${operation}: expected a single result`);
    return response.body.singleResult;
  };
  const keys = demoRecordKeys(rounds[rounds.length - 1]);
  // Every round changes one of today's records (planDemoRounds checks it), so their latest change
  // is the instant of the last round loaded; a later edit by a demo visitor leaves nothing to load.
  const loadedUntil = async (): Promise<number> => {
    const rows = await server.createContext('SeedDemoProgress', 'seed').services.estate.byKeys(keys);
    return Math.max(-Infinity, ...rows.map((row) => Date.parse(row.updatedAt)));
  };

  const programme = readJson<DemoProgrammeFile>(DEMO_PROGRAMME_FILE);
  // First, under its own source: every copy of the demo follows the same playbooks.
  await syncDated(programme, run);
  let until = await loadedUntil();
  let applied = 0;
  for (const [index, round] of rounds.entries()) {
    if (Date.parse(round.at) <= until) continue;
    const { errors } = await run('SeedDemoEstate', SYNC_DEMO, { input: round.input });
    if (errors) {
      // Another start sharing the database (parallel test files) loaded this round and the next
      // meanwhile: going back to this round's state would rewrite history, so it was refused.
      until = await loadedUntil();
      if (Date.parse(round.at) <= until) continue;
      throw new Error(`Loading the demo estate as of ${round.at} failed: ${JSON.stringify(errors)}`);
    }
    // Skipped when another start has loaded the next round: it recorded these claims before moving on.
    const next = rounds[index + 1];
    if (round.claims && !(next && (await loadedUntil()) >= Date.parse(next.at))) {
      await server.createContext('SeedDemoCompliance', 'seed').services.catalogue.loadDemoCompliance(round.claims, round.at);
    }
    applied += 1;
    logger.debug('demo round loaded', { at: round.at, what: round.what });
  }
  for (const mark of compromised) await markCompromised(mark, rounds[0].input.source, run);
  // Classified today, as the compliance officer's decisions: the history before shows none.
  await classifyDemoSystems(server, rounds[0].input.source);
  // What links the programme to the demo's own records (source "demo"), so not to a copy's.
  if (source === undefined) for (const step of programme.afterHistory) await syncDated(step, run);
  // Today's monitoring: the rules, and once, the feed that opened an incident.
  await loadDemoSignals(server, rounds[0].input.source);
  logger.info(applied > 0 ? 'demo estate loaded' : 'demo estate already loaded', { rounds: rounds.length, applied });
  return applied;
}

type Run = <Data>(operation: string, query: string, variables: Record<string, unknown>) => Promise<{ data?: Data | null; errors?: readonly unknown[] }>;

/**
 * An UPSERT dated `at`: applied once, as a sync sent again with nothing new reports no change
 * (and two starts loading at once take turns on the source's lock).
 */
async function syncDated({ at, what, input }: DatedSync, run: Run): Promise<void> {
  const { errors } = await run('SeedDemoProgramme', SYNC_DEMO, { input: { ...input, mode: 'UPSERT', at } });
  if (errors) throw new Error(`Loading the demo programme (${what}, ${at}) failed: ${JSON.stringify(errors)}`);
}

/**
 * A compromise found after the fact, marked with its real start (the mark itself is dated now), once:
 * an incident that already records a window on the asset, open or since cleared, is left alone.
 */
async function markCompromised(mark: DemoCompromise, source: string, run: Run): Promise<void> {
  type Found = { asset: { id: string } | null; incident: { id: string; compromiseWindows: Array<{ asset: { id: string } }> } | null };
  const found = await run<Found>('SeedDemoCompromise', FIND_COMPROMISE, { source, type: mark.type, externalId: mark.externalId, incident: mark.incident });
  const { asset, incident } = found.data ?? {};
  if (found.errors || !asset || !incident) throw new Error(`The demo's compromise of ${mark.externalId}: ${JSON.stringify(found.errors ?? 'asset or incident missing')}`);
  if (incident.compromiseWindows.some((window) => window.asset.id === asset.id)) return;
  const marked = await run('SeedDemoMarkCompromised', MARK_COMPROMISED, { id: asset.id, reason: mark.reason, incident: incident.id, since: mark.since });
  if (marked.errors) throw new Error(`Marking the demo's ${mark.externalId} compromised failed: ${JSON.stringify(marked.errors)}`);
}
