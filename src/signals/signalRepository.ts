import type { RequestGateway, Tx } from '../db/gateway';
import type { EntityRow } from '../estate/model';
import type { Rating, SignalKind } from '../generated/graphql';
import type { BucketRow, ResolvedSignal, RuleRow, RuleWindow, SignalSubject } from './signals';

/** A bucket as stored (instants as ISO strings). */
export interface StoredBucket {
  key: string;
  assetId: string;
  kind: SignalKind;
  toolId: string | null;
  windowStart: string;
  count: number;
  minValue: number | null;
  maxValue: number | null;
  lastValue: number | null;
  lastAt: string;
  severityRank: number;
}

/** A signal kept one by one, as stored. */
export interface StoredSignal {
  assetId: string;
  kind: SignalKind;
  at: string;
  value: number | null;
  count: number;
  severity: Rating;
  evidenceUrl: string | null;
  toolId: string | null;
  source: string;
  receivedAt: string;
}

/** A rule firing recorded on an incident. */
export interface TriggerRow {
  id: string;
  incidentId: string;
  ruleId: string;
  assetId: string;
  kind: SignalKind;
  at: string;
  windowStart: string;
  windowEnd: string;
  count: number;
  threshold: number;
}

const instant = (iso: string | null) => (iso === null ? null : new Date(iso));

/** The signal queries (cypher/signals/*): the batch's writes run in the caller's transaction. */
export const signalRepository = {
  /**
   * Adds the batch to its buckets and returns each rule window's total after it, in the order
   * given: one statement, so that the buckets' locks wait on no further round trip before the commit.
   */
  async addToBuckets(tx: Tx, rows: BucketRow[], windows: RuleWindow[], now: string): Promise<number[]> {
    const counted = await tx.run<{ index: number; count: number }>('signals/addSignalBuckets', {
      rows: rows.map((row) => ({ ...row, windowStart: instant(row.windowStart), lastAt: instant(row.lastAt), lastValueAt: instant(row.lastValueAt) })),
      windows: windows.map((window) => ({ assetId: window.assetId, kind: window.kind, from: new Date(window.from), to: new Date(window.to) })),
      now: new Date(now),
    });
    return counted.map((row) => row.count);
  },
  async createSignals(tx: Tx, signals: ResolvedSignal[], source: string, now: string): Promise<void> {
    if (signals.length === 0) return;
    const rows = signals.map((signal) => ({
      assetId: signal.assetId,
      kind: signal.kind,
      at: new Date(signal.at),
      value: signal.value,
      count: signal.count,
      severity: signal.severity,
      evidenceUrl: signal.evidenceUrl,
      toolId: signal.toolId,
      source,
    }));
    await tx.run('signals/createSignals', { rows, now: new Date(now) });
  },
  /** The live records signals name, by id or key, as far as a batch needs them. */
  async subjects(tx: Tx, ids: string[], keys: string[]): Promise<SignalSubject[]> {
    if (ids.length === 0 && keys.length === 0) return [];
    const rows = await tx.run<{ subject: SignalSubject }>('signals/findSignalSubjects', { ids, keys });
    return rows.map((row) => row.subject);
  },
  async rules(tx: Tx, kinds: string[]): Promise<RuleRow[]> {
    const rows = await tx.run<{ rule: RuleRow }>('signals/findSignalRules', { kinds });
    return rows.map((row) => row.rule);
  },
  async openIncidents(tx: Tx, assetIds: string[]): Promise<Map<string, EntityRow>> {
    const rows = await tx.run<{ assetId: string; incident: EntityRow }>('signals/findOpenIncidents', { assetIds });
    return new Map(rows.map((row) => [row.assetId, row.incident]));
  },
  /** The playbook's id for each scenario that has one. */
  async playbooks(tx: Tx, categories: string[]): Promise<Map<string, string>> {
    const rows = await tx.run<{ scenario: string; id: string }>('signals/findPlaybooks', { categories });
    return new Map(rows.map((row) => [row.scenario, row.id]));
  },
  async createTriggers(tx: Tx, rows: TriggerRow[], now: string): Promise<void> {
    if (rows.length === 0) return;
    await tx.run('signals/createSignalTriggers', {
      rows: rows.map((row) => ({ ...row, at: new Date(row.at), windowStart: new Date(row.windowStart), windowEnd: new Date(row.windowEnd) })),
      now: new Date(now),
    });
  },
  async triggers(db: RequestGateway, incidentId: string): Promise<Array<{ trigger: TriggerRow; rule: RuleRow | null; buckets: StoredBucket[]; signals: StoredSignal[] }>> {
    return db.read('signals/findIncidentTriggers', { incidentId });
  },
  async series(db: RequestGateway, assetId: string, kinds: string[] | null, from: Date, to: Date): Promise<{ buckets: StoredBucket[]; signals: StoredSignal[] }> {
    // A bucket whose hour began before `from` still holds signals from `from` on.
    const [row] = await db.read<{ buckets: StoredBucket[]; signals: StoredSignal[] }>('signals/findSignalSeries', {
      assetId,
      kinds,
      from: new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000),
      to,
    });
    return row;
  },
  /** Each agent whose tool use is monitored (a TOOL_USE bucket written by `asOf`), with the tools it used since `since`. */
  async toolUse(db: RequestGateway, agentIds: string[], since: Date, asOf: Date | null): Promise<Map<string, Set<string>>> {
    const rows = await db.read<{ agentId: string; toolIds: string[] }>('signals/findToolUse', { agentIds, since, asOf });
    return new Map(rows.map((row) => [row.agentId, new Set(row.toolIds)]));
  },
  async unmonitored(db: RequestGateway, since: Date, asOf: Date | null): Promise<Array<{ asset: EntityRow; lastSignalAt: string | null }>> {
    return asOf
      ? db.read('signals/findUnmonitoredModelsAsOf', { since, asOf })
      : db.read('signals/findUnmonitoredModels', { since });
  },
};
