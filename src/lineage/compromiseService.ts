import DataLoader from 'dataloader';
import type { Access } from '../auth/access';
import type { RequestGateway, Tx } from '../db/gateway';
import { badUserInput, failOnProblems, InputProblem, notFound } from '../errors';
import type { CompromiseIncidentInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import { checkName, checkText } from '../inputLimits';
import { AuditLog, planEntityChange } from '../estate/audit';
import type { EditService } from '../estate/editService';
import { estateRepository as repo, EntityWriteRow } from '../estate/estateRepository';
import { ASSET_TYPES, EntityRow } from '../estate/model';
import { storableProperties } from '../estate/values';
import { CompromiseWindowRow, lineageRepository } from './lineageRepository';
import type { LineageService } from './lineageService';
import type { ReachShape } from './reachShape';
import { incidentRepository } from '../incidents/incidentRepository';
import { PROGRAMME_SOURCE } from '../incidents/programme';

/** Where compromises are recorded: incidents opened by hand, and the INVOLVES links they make. */
const COMPROMISE_SOURCE = 'manual';
/** What a compromise of a record that data and models flow from is, for the incident it opens. */
const POISONING = 'TRAINING_DATA_POISONING';

/** When a compromise held, as an incident's INVOLVES records it (ISO instants; until null while it lasts). */
export interface WindowSpan {
  since: string;
  until: string | null;
}

export interface CompromisePlan {
  /** The asset's status change (absent when it was already COMPROMISED) and a new incident, if any. */
  writes: EntityWriteRow[];
  incidentId: string;
  /** The window the incident records on the asset, open. */
  window: WindowSpan;
}

const instant = (iso: string) => Date.parse(iso);

function requireAsset(asset: EntityRow, what: string): void {
  if (!ASSET_TYPES.includes(asset.type)) {
    throw badUserInput(`Only assets (${ASSET_TYPES.join(', ')}) can be ${what}, not a ${asset.type}`, [{ path: 'id', message: asset.type }]);
  }
}

/**
 * What marking an asset compromised changes: its status, either the given incident or a new one,
 * with the audit of both, and the window the incident records, open from `since`. An incident
 * already involving the asset keeps one window on it: still open, it keeps the earlier start; ended,
 * it reopens only for a compromise that began before it ended (the same one, resumed), since a later
 * one is another incident. Pure, so the decision is tested without a database.
 */
export function planCompromise(
  asset: EntityRow,
  reason: string,
  incident: CompromiseIncidentInput | null | undefined,
  existingIncident: EntityRow | undefined,
  existingWindow: WindowSpan | undefined,
  since: string,
  now: string,
  audit: AuditLog,
): CompromisePlan {
  requireAsset(asset, 'compromised');
  if (existingWindow?.until && instant(since) > instant(existingWindow.until)) {
    throw badUserInput(
      `Incident "${existingIncident?.name}" recorded a compromise of "${asset.name}" that ended at ${existingWindow.until}; one that began later (${since}) is a new incident: leave incident.id out to open one`,
      [{ path: 'since', message: `after ${existingWindow.until}` }],
    );
  }
  const window = { since: existingWindow && instant(existingWindow.since) < instant(since) ? existingWindow.since : since, until: null };
  const writes: EntityWriteRow[] = [];
  const statusChange = planEntityChange(asset.type, asset.source, asset.externalId, { status: 'COMPROMISED' }, asset);
  if (statusChange.outcome === 'updated') {
    writes.push(statusChange.row);
    audit.entity('UPDATE', asset.id, asset.type, statusChange.changes);
  }
  if (existingIncident) return { writes, incidentId: existingIncident.id, window };
  const opened = planEntityChange('Incident', COMPROMISE_SOURCE, `compromise-${asset.id}-${Date.parse(now)}`, {
    name: incident?.name?.trim() || `Compromise of ${asset.name}`,
    description: reason,
    severity: incident?.severity ?? 'HIGH',
    status: 'OPEN',
    detectedAt: now,
    category: POISONING,
    ...(incident?.playbook ? { playbook: incident.playbook } : {}),
  }, undefined);
  writes.push(opened.row);
  audit.entity('CREATE', opened.row.id, 'Incident', opened.changes);
  return { writes, incidentId: opened.row.id, window };
}

export interface ClearancePlan {
  /** The asset's status change, when it was COMPROMISED. */
  writes: EntityWriteRow[];
  /** The incidents whose window on the asset ends at `until`. */
  closes: string[];
}

/**
 * What ending a compromise changes: a COMPROMISED asset's status, and every open window on it,
 * ended at `until`, which may not precede any of their starts. An asset neither COMPROMISED nor in
 * an open window has nothing to clear. Pure, as planCompromise.
 */
export function planClearance(asset: EntityRow, status: string, windows: Array<WindowSpan & { incidentId: string }>, until: string, audit: AuditLog): ClearancePlan {
  requireAsset(asset, 'cleared');
  const open = windows.filter((window) => window.until === null);
  if (asset.status !== 'COMPROMISED' && open.length === 0) {
    throw badUserInput(`${asset.type} "${asset.name}" is not COMPROMISED`, [{ path: 'id', message: String(asset.status) }]);
  }
  const early = open.find((window) => instant(until) < instant(window.since));
  if (early) {
    throw badUserInput(`until (${until}) is before the compromise began (${early.since})`, [{ path: 'until', message: `before ${early.since}` }]);
  }
  const writes: EntityWriteRow[] = [];
  if (asset.status === 'COMPROMISED') {
    const change = planEntityChange(asset.type, asset.source, asset.externalId, { status }, asset);
    writes.push(change.row);
    audit.entity('UPDATE', asset.id, asset.type, change.changes);
  }
  return { writes, closes: open.map((window) => window.incidentId) };
}

/** A window as CompromiseWindow shows it. */
export interface CompromiseWindow extends WindowSpan {
  asset: EntityRow;
  incident: EntityRow;
  reason: string | null;
}

const spanOf = (row: CompromiseWindowRow) => ({ incidentId: row.incident.id, since: row.since, until: row.until });

/**
 * Compromise handling: a security function, so it may change the status of any source's asset.
 * A compromise is also a window in time, recorded on the incident's INVOLVES relationship
 * (compromisedSince, compromisedUntil), which compromisedUpstream as of an instant reads.
 */
export class CompromiseService {
  private readonly windowsLoader: DataLoader<string, CompromiseWindow[]>;

  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly edits: EditService,
    private readonly lineage: LineageService,
  ) {
    this.windowsLoader = new DataLoader(async (incidentIds) => {
      const rows = await db.readTx((tx) => lineageRepository.compromiseWindowsOfIncidents(tx, incidentIds));
      return incidentIds.map((incidentId) => rows.filter((row) => row.incident.id === incidentId));
    });
  }

  /** The compromise windows an incident records, by start. */
  windows(incidentId: string): Promise<CompromiseWindow[]> {
    return this.windowsLoader.load(incidentId);
  }

  /**
   * Marks an asset COMPROMISED and records the incident that involves it, in one transaction:
   * the status change, the new or linked incident, the INVOLVES relationship with the window it
   * opens from `since` (now when not given), and their audit. `answer`: what the caller's answer
   * will read of the impact, whose page arguments are checked with the rest of the input, before
   * anything is written.
   */
  async mark(
    id: string,
    reason: string,
    incident: CompromiseIncidentInput | null | undefined,
    sinceValue?: Date | string | null,
    answer?: ReachShape,
  ): Promise<{ entity: EntityRow; incident: EntityRow; window: CompromiseWindow }> {
    this.access.requireCompliance('Marking an asset compromised');
    const problems: InputProblem[] = [];
    checkText(reason, 'reason', problems, { required: true });
    if (incident?.name != null) checkName(incident.name, 'incident.name', problems);
    if (incident?.playbook != null) checkText(incident.playbook, 'incident.playbook', problems);
    failOnProblems(problems, 'compromise');
    if (answer) this.lineage.pageWindows(answer);
    const why = reason.trim();
    const began = await checkAsOf(this.db, sinceValue, 'since');
    // A new incident starts with what the compromise reaches (the impact report, read first: a
    // walk is no check, and what it finds is linked in the transaction below or the call fails).
    const affected = incident?.id ? [] : (await this.lineage.impact({ id }, null)).items.filter((item) => ASSET_TYPES.includes(item.entity.type));
    const { incidentId, window } = await this.db.writeTx(async (tx) => {
      const asset = await this.edits.locked(tx, id, undefined);
      let existingIncident: EntityRow | undefined;
      if (incident?.id) {
        [existingIncident] = await repo.findByIds(tx, [incident.id]);
        if (!existingIncident || existingIncident.type !== 'Incident') throw notFound(`Incident ${incident.id}`);
      }
      const now = new Date().toISOString();
      // A client clock a little ahead may name an instant after ours: the compromise began now.
      const since = began && began.getTime() < Date.parse(now) ? began.toISOString() : now;
      const involves = { fromId: existingIncident?.id ?? '', type: 'INVOLVES' as const, toId: asset.id };
      const linked = existingIncident ? (await repo.relationshipsBetween(tx, [involves])).get(0) : undefined;
      const existingWindow = linked?.compromisedSince ? { since: String(linked.compromisedSince), until: linked.compromisedUntil ? String(linked.compromisedUntil) : null } : undefined;
      const audit = new AuditLog(this.access.actor, now, COMPROMISE_SOURCE, why);
      const plan = planCompromise(asset, why, incident, existingIncident, existingWindow, since, now, audit);
      const rows = plan.writes.map((row) => ({ ...row, properties: storableProperties(row.properties) }));
      // The asset's status changes; any other row is the incident this call opens.
      await repo.updateEntities(tx, rows.filter((row) => row.id === asset.id), now);
      await repo.createEntities(tx, rows.filter((row) => row.id !== asset.id), now);
      const ref = { ...involves, fromId: plan.incidentId };
      const window = { reason: why, compromisedSince: new Date(plan.window.since), compromisedUntil: null };
      const involvesRow = { ...ref, source: COMPROMISE_SOURCE, properties: window };
      if (linked) await repo.updateRelationships(tx, [involvesRow], now);
      else {
        audit.link('LINK', ref, 'Incident', { reason: why, compromisedSince: plan.window.since });
        await repo.createRelationships(tx, [involvesRow], now);
      }
      if (!existingIncident) await this.openOnPlaybook(tx, plan.incidentId, affected, audit, now);
      await repo.recordAuditEvents(tx, audit.rows);
      return { incidentId: plan.incidentId, window: plan.window };
    });
    const [entity, opened] = [await this.edits.reload(id), await this.edits.reload(incidentId)];
    return { entity, incident: opened, window: { ...window, asset: entity, incident: opened, reason: why } };
  }

  /**
   * What a new compromise incident starts with: FOLLOWS the poisoning playbook (the programme's
   * own first; none when no playbook of that scenario exists) and INVOLVES every asset the impact
   * report reached, with its distance, so that its responders start from the blast radius.
   */
  private async openOnPlaybook(tx: Tx, incidentId: string, affected: Array<{ entity: EntityRow; distance: number }>, audit: AuditLog, now: string): Promise<void> {
    const playbook = await incidentRepository.playbookFor(tx, POISONING, PROGRAMME_SOURCE);
    const rows = [
      ...(playbook ? [{ fromId: incidentId, type: 'FOLLOWS' as const, toId: playbook.id, properties: {} }] : []),
      ...affected.map((item) => ({ fromId: incidentId, type: 'INVOLVES' as const, toId: item.entity.id, properties: { reason: 'in the impact report of the compromise', distance: item.distance } })),
    ];
    for (const row of rows) audit.link('LINK', row, 'Incident', row.properties);
    await repo.createRelationships(tx, rows.map((row) => ({ ...row, source: COMPROMISE_SOURCE })), now);
  }

  /**
   * Ends a compromise on one asset, in one transaction under the asset's lock: its status back,
   * every open window on it ended at `until` (now when not given), the audit of the status change
   * with the reason. What reads compromisedUpstream stops reporting it at once.
   */
  async clear(id: string, status: string, reason: string | null | undefined, untilValue?: Date | string | null): Promise<EntityRow> {
    this.access.requireCompliance('Clearing a compromise');
    const problems: InputProblem[] = [];
    if (status === 'COMPROMISED') problems.push({ path: 'status', message: 'must be something other than COMPROMISED' });
    if (reason != null) checkText(reason, 'reason', problems);
    failOnProblems(problems, 'clearCompromised');
    const ended = await checkAsOf(this.db, untilValue, 'until');
    await this.db.writeTx(async (tx) => {
      const asset = await this.edits.locked(tx, id, undefined);
      const windows = (await lineageRepository.compromiseWindowsOfAsset(tx, id)).map(spanOf);
      const now = new Date().toISOString();
      const until = ended && ended.getTime() < Date.parse(now) ? ended.toISOString() : now;
      const audit = new AuditLog(this.access.actor, now, asset.source, reason?.trim() || undefined);
      const plan = planClearance(asset, status, windows, until, audit);
      await repo.updateEntities(tx, plan.writes.map((row) => ({ ...row, properties: storableProperties(row.properties) })), now);
      const closing = plan.closes.map((incidentId) => ({ fromId: incidentId, type: 'INVOLVES' as const, toId: id, source: COMPROMISE_SOURCE, properties: { compromisedUntil: new Date(until) } }));
      await repo.updateRelationships(tx, closing, now);
      await repo.recordAuditEvents(tx, audit.rows);
    });
    return this.edits.reload(id);
  }
}
