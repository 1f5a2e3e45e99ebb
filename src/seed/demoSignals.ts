import fs from 'node:fs';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';

/** The demo's monitoring: the security team's signal rules and the feed its tools pushed. */
export const DEMO_SIGNALS_FILE = projectPath('seed/demo-signals.json');
/** Where the demo's rules are kept: governance records of their own, not an inventory's. */
export const DEMO_RULES_SOURCE = 'signal-rules';

interface DemoSignalsFile {
  rules: Array<Record<string, unknown>>;
  feed: Array<Record<string, unknown> & { minutesAgo: number }>;
}

const SYNC_RULES = `mutation SeedDemoSignalRules($input: SyncInventoryInput!) { syncInventory(input: $input) { ok } }`;
const FIND_FEED = `query SeedDemoFeed($source: String!) {
  agent: entityByKey(type: Agent, source: $source, externalId: "agent-customer-support") { id }
}`;
const HAS_SIGNALS = `query SeedDemoHasSignals($id: ID!, $from: DateTime!) { assetSignals(id: $id, from: $from) { buckets { count } } }`;
const RECORD = `mutation SeedDemoSignals($input: RecordSignalsInput!) { recordSignals(input: $input) { recorded firings { incident { id } } } }`;

/**
 * Loads the demo's rules (an upsert: the same on every start) and, once, its monitoring feed dated
 * back from now: the support assistant's prompt-injection spike, which the rule turns into an
 * incident on the prompt-injection playbook; drift and precision on two HIGH-tier models; none on
 * the income verification model, which unmonitoredAssets then reports. A database whose assistant
 * already has signals of the last 92 days (a restart) gets no second feed.
 */
export async function loadDemoSignals(server: ApiServer, source: string): Promise<void> {
  const file = JSON.parse(fs.readFileSync(DEMO_SIGNALS_FILE, 'utf8')) as DemoSignalsFile;
  const run = async <Data>(operation: string, query: string, variables: Record<string, unknown>): Promise<Data> => {
    const response = await server.apollo.executeOperation<Data>({ query, variables }, { contextValue: server.createContext(operation, 'seed') });
    if (response.body.kind !== 'single' || response.body.singleResult.errors) {
      throw new Error(`${operation} failed: ${JSON.stringify(response.body.kind === 'single' ? response.body.singleResult.errors : 'no single result')}`);
    }
    return response.body.singleResult.data as Data;
  };
  await run('SeedDemoSignalRules', SYNC_RULES, { input: { source: DEMO_RULES_SOURCE, assets: { signalRules: file.rules } } });
  const { agent } = await run<{ agent: { id: string } | null }>('SeedDemoFeed', FIND_FEED, { source });
  if (!agent) throw new Error(`The demo's monitoring feed needs the support assistant of source "${source}"`);
  const now = Date.now();
  const already = await run<{ assetSignals: { buckets: unknown[] } }>('SeedDemoHasSignals', HAS_SIGNALS, { id: agent.id, from: new Date(now - 91 * 24 * 3_600_000).toISOString() });
  if (already.assetSignals.buckets.length > 0) return;
  // A signal meant for this hour stays in it, so that the rule sees the spike together.
  const hourStart = Math.floor(now / 3_600_000) * 3_600_000;
  const signals = file.feed.map(({ minutesAgo, ...signal }) => ({ ...signal, at: new Date(minutesAgo === 0 ? Math.max(hourStart, now - 1_000) : now - minutesAgo * 60_000).toISOString() }));
  await run('SeedDemoSignals', RECORD, { input: { source, signals } });
}
