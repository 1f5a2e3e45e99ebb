import fs from 'node:fs';
import type { DemoComplianceFile } from '../compliance/catalogueService';
import type { SyncInventoryInput } from '../generated/graphql';
import type { Logger } from '../logger';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';
import { demoRecordKeys, DemoHistoryFile, DemoRound, planDemoRounds } from './demoHistory';

/** The demo organisation as it stands today: one complete sync payload. */
export const DEMO_ESTATE_FILE = projectPath('seed/demo-estate.json');
/** Its control-to-requirement claims and not-applicable declarations, as they stand today. */
export const DEMO_COMPLIANCE_FILE = projectPath('seed/demo-compliance.json');
/** How both came to be since July 2026: the dated events the demo is loaded through. */
export const DEMO_HISTORY_FILE = projectPath('seed/demo-history.json');

const SYNC_DEMO = `mutation SeedDemoEstate($input: SyncInventoryInput!) {
  syncInventory(input: $input) { ok assets { created updated unchanged deleted } relationships { created updated unchanged deleted } }
}`;

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The rounds that load the demo; under another `source` than the files' for tests that need their own copy. */
export function readDemoRounds(source?: string): DemoRound[] {
  const rounds = planDemoRounds(
    readJson<{ input: SyncInventoryInput }>(DEMO_ESTATE_FILE).input,
    readJson<DemoComplianceFile>(DEMO_COMPLIANCE_FILE),
    readJson<DemoHistoryFile>(DEMO_HISTORY_FILE),
  );
  if (source === undefined) return rounds;
  return rounds.map((round) => ({
    ...round,
    input: { ...round.input, source },
    claims: round.claims && { ...round.claims, source: `${source}-compliance`, estateSource: source },
  }));
}

/**
 * Loads the demo organisation with its history: one dated sync per round of seed/demo-history.json,
 * through the public mutation (exactly as an inventory tool loading its history would), each followed
 * by the claims as they stood then. Rounds already loaded are skipped, so a restart, or a database
 * that already holds the demo, changes nothing. Returns how many rounds it applied.
 */
export async function loadDemoEstate(server: ApiServer, logger: Logger, source?: string): Promise<number> {
  const rounds = readDemoRounds(source);
  const keys = demoRecordKeys(rounds[rounds.length - 1]);
  // Every round changes one of today's records (planDemoRounds checks it), so their latest change
  // is the instant of the last round loaded; a later edit by a demo visitor leaves nothing to load.
  const loadedUntil = async (): Promise<number> => {
    const rows = await server.createContext('SeedDemoProgress', 'seed').services.estate.byKeys(keys);
    return Math.max(-Infinity, ...rows.map((row) => Date.parse(row.updatedAt)));
  };

  let until = await loadedUntil();
  let applied = 0;
  for (const round of rounds) {
    if (Date.parse(round.at) <= until) continue;
    const response = await server.apollo.executeOperation({ query: SYNC_DEMO, variables: { input: round.input } }, { contextValue: server.createContext('SeedDemoEstate', 'seed') });
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    if (errors) {
      // Another start sharing the database (parallel test files) loaded this round and the next
      // meanwhile: going back to this round's state would rewrite history, so it was refused.
      until = await loadedUntil();
      if (Date.parse(round.at) <= until) continue;
      throw new Error(`Loading the demo estate as of ${round.at} failed: ${JSON.stringify(errors)}`);
    }
    // Skipped when another start is already past this round: it recorded these claims before moving on.
    if (round.claims && (await loadedUntil()) <= Date.parse(round.at)) {
      await server.createContext('SeedDemoCompliance', 'seed').services.catalogue.loadDemoCompliance(round.claims, round.at);
    }
    applied += 1;
    logger.debug('demo round loaded', { at: round.at, what: round.what });
  }
  logger.info(applied > 0 ? 'demo estate loaded' : 'demo estate already loaded', { rounds: rounds.length, applied });
  return applied;
}
