import type { Access } from '../auth/access';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, failOnProblems, InputProblem, invalidInput, notFound } from '../errors';
import { AuditLog } from '../estate/audit';
import { estateRepository as repo } from '../estate/estateRepository';
import type { EstateService } from '../estate/estateService';
import { EntityRow, isAssetType } from '../estate/model';
import { storableProperties } from '../estate/values';
import type { HistoryService } from '../history/historyService';
import { checkAsOf } from '../history/asOf';
import { checkName } from '../inputLimits';
import type { WeightedSemaphore } from '../weightedSemaphore';
import type { WindowSpan } from '../lineage/compromiseService';
import { Firing, planFirings, SIGNALS_SOURCE } from './firing';
import { signalRepository as signals, StoredBucket, StoredSignal } from './signalRepository';
import { bucketRows, checkSignals, crossingReason, crossings, DEFAULT_CATEGORY, hourOf, HOUR_MS, KEPT_SEVERITY, referencedKeys, resolveSignals, ruleWindows, SEVERITIES } from './signals';

export interface RecordSignalsResult {
  source: string;
  recorded: number;
  kept: number;
  buckets: number;
  firings: Array<Omit<Firing, 'ruleId' | 'assetId' | 'incidentId'> & { rule: EntityRow; asset: EntityRow; incident: EntityRow }>;
}

const DAY_MS = 24 * HOUR_MS;
/** A chart's longest span: about a quarter of hourly buckets per kind. */
const MAX_SERIES_DAYS = 92;

/**
 * Monitoring signals (schema/signals.graphql): a batch is checked whole, then written in one
 * transaction with the rules it crosses, so that a signal is either counted and judged or refused.
 */
export class SignalService {
  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly access: Access,
    private readonly estate: EstateService,
    private readonly history: HistoryService,
    /** Shared by the process's requests: how many signals are being written at once. */
    private readonly admission: WeightedSemaphore,
  ) {}

  /**
   * Records a batch. `items` as they arrived (GraphQL's coerced inputs, or JSON lines); `pathOf`
   * names an item in problems (`signals[3]`, `line 4`).
   */
  async record(sourceArgument: string | null | undefined, items: readonly unknown[], pathOf: (index: number) => string = (index) => `signals[${index}]`): Promise<RecordSignalsResult> {
    const source = this.writableSource(sourceArgument);
    const { maxSyncBatch } = this.config.limits;
    if (items.length > maxSyncBatch) {
      throw badUserInput(`A call records at most ${maxSyncBatch} signals; this one has ${items.length}. Split it into several calls.`, [{ path: 'signals', message: `batch of ${items.length} exceeds MAX_SYNC_BATCH=${maxSyncBatch}` }]);
    }
    const checked = checkSignals(items, source, Date.now(), pathOf);
    failOnProblems(checked.problems, 'signals');
    const outcome = await this.admission.run(checked.signals.length, () => this.db.writeTx(async (tx) => {
      const refs = referencedKeys(checked.signals);
      const found = await signals.subjects(tx, refs.ids, refs.keys);
      const { resolved, problems, forbidden } = resolveSignals(checked.signals, found, source);
      failOnProblems(problems, 'signals');
      if (forbidden.length > 0) throw codedError('FORBIDDEN', `Forbidden: ${forbidden[0].path}: ${forbidden[0].message}${forbidden.length > 1 ? ` (and ${forbidden.length - 1} more)` : ''}`, { problems: forbidden });
      // Read before the buckets are written: the buckets' locks are held from then until the commit.
      const rules = await signals.rules(tx, [...new Set(resolved.map((signal) => signal.kind))]);
      const now = new Date().toISOString();
      const buckets = bucketRows(resolved);
      const kept = resolved.filter((signal) => SEVERITIES.indexOf(signal.severity) >= KEPT_SEVERITY);
      const windows = ruleWindows(resolved, rules, new Map(found.map((row) => [row.id, row])));
      // New nodes lock nothing another batch waits for: written before the buckets.
      await signals.createSignals(tx, kept, source, now);
      const crossed = crossings(windows, await signals.addToBuckets(tx, buckets, windows, now));
      if (crossed.length === 0) return { kept: kept.length, buckets: buckets.length, firings: [] as Firing[] };

      // Locked in id order before anything about them is read: two batches firing on one asset
      // take turns, and the second finds the incident the first opened.
      const assetIds = [...new Set(crossed.map((crossing) => crossing.assetId))].sort();
      const assets = new Map<string, EntityRow>();
      for (const id of assetIds) {
        const locked = await repo.lockEntity(tx, id);
        if (!locked) throw notFound(`Record ${id}`);
        assets.set(id, locked);
      }
      const openIncidents = await signals.openIncidents(tx, assetIds);
      const marking = crossed.filter((crossing) => crossing.rule.markCompromised === true && openIncidents.has(crossing.assetId));
      const refsToCheck = [...new Set(marking.map((crossing) => crossing.assetId))].map((assetId) => ({ fromId: openIncidents.get(assetId)!.id, type: 'INVOLVES' as const, toId: assetId }));
      const stored = await repo.relationshipsBetween(tx, refsToCheck);
      const compromiseWindows = new Map<string, WindowSpan>();
      refsToCheck.forEach((ref, index) => {
        const involves = stored.get(index);
        if (involves?.compromisedSince) compromiseWindows.set(ref.fromId, { since: String(involves.compromisedSince), until: involves.compromisedUntil ? String(involves.compromisedUntil) : null });
      });
      const playbooks = await signals.playbooks(tx, [...new Set(crossed.map((crossing) => crossing.rule.category ?? DEFAULT_CATEGORY[crossing.kind]))]);
      const reason = crossed.map((crossing) => crossingReason(crossing, assets.get(crossing.assetId)!)).join('; ');
      const audit = new AuditLog(this.access.actor, now, SIGNALS_SOURCE, reason);
      const plan = planFirings(crossed, { assets, openIncidents, windows: compromiseWindows, playbooks }, now, audit);
      const storable = <Row extends { properties: Record<string, unknown> }>(row: Row) => ({ ...row, properties: storableProperties(row.properties) });
      await repo.createEntities(tx, plan.createdIncidents.map(storable), now);
      await repo.updateEntities(tx, plan.updatedAssets.map(storable), now);
      await repo.createRelationships(tx, plan.newRelationships.map(storable), now);
      await repo.updateRelationships(tx, plan.changedRelationships.map(storable), now);
      await signals.createTriggers(tx, plan.triggers, now);
      await repo.recordAuditEvents(tx, audit.rows);
      return { kept: kept.length, buckets: buckets.length, firings: plan.firings };
    }));
    const rulesById = new Map<string, EntityRow>();
    const load = async (id: string) => {
      this.estate.byId.clear(id);
      const row = rulesById.get(id) ?? (await this.estate.byId.load(id));
      if (!row) throw codedError('INTERNAL_SERVER_ERROR', 'A record vanished right after it was written');
      rulesById.set(id, row);
      return row;
    };
    const firings = [];
    for (const firing of outcome.firings) {
      const { ruleId, assetId, incidentId, ...rest } = firing;
      firings.push({ ...rest, rule: await load(ruleId), asset: await load(assetId), incident: await load(incidentId) });
    }
    return { source, recorded: checked.signals.length, kept: outcome.kept, buckets: outcome.buckets, firings };
  }

  /** An asset's buckets and kept signals in a window, for a chart. */
  async series(id: string, kinds: readonly string[] | null | undefined, fromValue?: Date | string | null, toValue?: Date | string | null, asOfValue?: Date | string | null) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const to = toValue ? instant(toValue, 'to') : asOf ?? new Date();
    const from = fromValue ? instant(fromValue, 'from') : new Date(to.getTime() - 7 * DAY_MS);
    if (to.getTime() > Date.now() + 1_000) throw badUserInput(`to (${to.toISOString()}) is in the future`, [{ path: 'to', message: 'in the future' }]);
    if (asOf && to.getTime() > asOf.getTime()) throw badUserInput(`to (${to.toISOString()}) is after asOf (${asOf.toISOString()})`, [{ path: 'to', message: 'after asOf' }]);
    if (from.getTime() > to.getTime()) throw badUserInput(`from (${from.toISOString()}) is after to (${to.toISOString()})`, [{ path: 'from', message: 'after to' }]);
    if (to.getTime() - from.getTime() > MAX_SERIES_DAYS * DAY_MS) throw badUserInput(`A series spans at most ${MAX_SERIES_DAYS} days`, [{ path: 'from', message: `more than ${MAX_SERIES_DAYS} days before to` }]);
    const asset = await this.assetAt(id, asOf);
    const stored = await signals.series(this.db, asset.id, kinds && kinds.length > 0 ? [...kinds] : null, from, to);
    return { asset, buckets: await this.buckets(stored.buckets), signals: await this.signals(stored.signals, asset) };
  }

  /** HIGH-tier models in production that no signal reached in the last `days` days before asOf (or now). */
  async unmonitored(days: number, asOfValue?: Date | string | null) {
    if (!Number.isInteger(days) || days < 1 || days > 366) throw badUserInput('days must be an integer from 1 to 366', [{ path: 'days', message: String(days) }]);
    const asOf = await checkAsOf(this.db, asOfValue);
    const at = asOf ?? new Date();
    const rows = await signals.unmonitored(this.db, new Date(hourOf(at.getTime() - days * DAY_MS)), asOf);
    return rows.map((row) => ({ asset: asOf ? { ...row.asset, asOf: asOf.toISOString() } : row.asset, lastSignalAt: row.lastSignalAt }));
  }

  /** The rule firings recorded on an incident, each with the signals of its window. */
  async incidentSignals(id: string) {
    const incident = await this.estate.byId.load(id);
    if (!incident) throw notFound(`Record ${id}`);
    if (incident.type !== 'Incident') throw badUserInput(`incidentSignals takes an Incident; ${id} is a ${incident.type}`, [{ path: 'id', message: incident.type }]);
    const rows = await signals.triggers(this.db, id);
    return Promise.all(
      rows.map(async ({ trigger, rule, buckets, signals: kept }) => {
        const asset = await this.estate.byId.load(trigger.assetId);
        if (!asset) throw codedError('INTERNAL_SERVER_ERROR', 'An incident names an asset that is gone');
        return { ...trigger, rule, asset, buckets: await this.buckets(buckets), signals: await this.signals(kept, asset) };
      }),
    );
  }

  /**
   * The source a batch writes: a SYNC key pushes for its own source only (the assets it speaks for);
   * ADMIN names one. Other roles read signals but do not push them.
   */
  private writableSource(named: string | null | undefined): string {
    const { role, source: own } = this.access.principal;
    if (role !== 'SYNC' && role !== 'ADMIN') throw codedError('FORBIDDEN', `Forbidden: recording signals needs a SYNC key or the ADMIN role, not ${role}`, { role });
    const problems: InputProblem[] = [];
    const source = named === null || named === undefined ? own : checkName(named, 'source', problems);
    failOnProblems(problems, 'source');
    if (!source) throw invalidInput([{ path: 'source', message: 'name the source the signals are about (a SYNC key pushes for its own)' }], 'signals');
    this.access.requireSourceWrite(source);
    return source;
  }

  private async assetAt(id: string, asOf: Date | null): Promise<EntityRow> {
    const asset = asOf ? await this.history.recordAt(id, asOf.toISOString()) : await this.estate.byId.load(id);
    if (!asset) throw notFound(`Record ${id}${asOf ? ` at ${asOf.toISOString()}` : ''}`);
    if (!isAssetType(asset.type)) throw badUserInput(`Signals are about assets; ${id} is a ${asset.type}`, [{ path: 'id', message: asset.type }]);
    return asOf ? { ...asset, asOf: asOf.toISOString() } : asset;
  }

  /** Tools by id; a bucket or signal that names none has no `toolId` (Neo4j keeps no null). */
  private async tools(ids: ReadonlyArray<string | null | undefined>): Promise<Map<string, EntityRow>> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    const rows = await this.estate.byId.loadMany(wanted);
    return new Map(rows.flatMap((row) => (row && !(row instanceof Error) ? [[row.id, row] as const] : [])));
  }

  private async buckets(rows: StoredBucket[]) {
    const tools = await this.tools(rows.map((row) => row.toolId));
    return rows.map((row) => ({
      ...row,
      maxSeverity: SEVERITIES[row.severityRank] ?? 'LOW',
      tool: row.toolId ? tools.get(row.toolId) ?? null : null,
    }));
  }

  private async signals(rows: StoredSignal[], asset: EntityRow) {
    const tools = await this.tools(rows.map((row) => row.toolId));
    return rows.map((row) => ({ ...row, asset, tool: row.toolId ? tools.get(row.toolId) ?? null : null }));
  }
}

function instant(value: Date | string, name: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw badUserInput(`${name} is not a date-time`, [{ path: name, message: 'not a date-time' }]);
  return date;
}
