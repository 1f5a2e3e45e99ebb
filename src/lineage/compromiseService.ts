import type { Access } from '../auth/access';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, failOnProblems, InputProblem, notFound } from '../errors';
import type { CompromiseIncidentInput } from '../generated/graphql';
import { checkName, checkText } from '../inputLimits';
import { AuditLog, planEntityChange } from '../estate/audit';
import type { EditService } from '../estate/editService';
import { estateRepository as repo, EntityWriteRow } from '../estate/estateRepository';
import { ASSET_TYPES, EntityRow } from '../estate/model';
import { storableProperties } from '../estate/values';

/** Where compromises are recorded: incidents opened by hand, and the INVOLVES links they make. */
const COMPROMISE_SOURCE = 'manual';

export interface CompromisePlan {
  /** The asset's status change (absent when it was already COMPROMISED) and a new incident, if any. */
  writes: EntityWriteRow[];
  incidentId: string;
}

/**
 * What marking an asset compromised changes: its status, and either the given incident or a new
 * one, with the audit of both. Pure, so the decision is tested without a database.
 */
export function planCompromise(asset: EntityRow, reason: string, incident: CompromiseIncidentInput | null | undefined, existingIncident: EntityRow | undefined, now: string, audit: AuditLog): CompromisePlan {
  if (!ASSET_TYPES.includes(asset.type)) {
    throw badUserInput(`Only assets (${ASSET_TYPES.join(', ')}) can be compromised, not a ${asset.type}`, [{ path: 'id', message: asset.type }]);
  }
  const writes: EntityWriteRow[] = [];
  const statusChange = planEntityChange(asset.type, asset.source, asset.externalId, { status: 'COMPROMISED' }, asset);
  if (statusChange.outcome === 'updated') {
    writes.push(statusChange.row);
    audit.entity('UPDATE', asset.id, asset.type, statusChange.changes);
  }
  if (existingIncident) return { writes, incidentId: existingIncident.id };
  const opened = planEntityChange('Incident', COMPROMISE_SOURCE, `compromise-${asset.id}-${Date.parse(now)}`, {
    name: incident?.name?.trim() || `Compromise of ${asset.name}`,
    description: reason,
    severity: incident?.severity ?? 'HIGH',
    status: 'OPEN',
    detectedAt: now,
    ...(incident?.playbook ? { playbook: incident.playbook } : {}),
  }, undefined);
  writes.push(opened.row);
  audit.entity('CREATE', opened.row.id, 'Incident', opened.changes);
  return { writes, incidentId: opened.row.id };
}

/** Compromise handling: a security function, so it may change the status of any source's asset. */
export class CompromiseService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly edits: EditService,
  ) {}

  /**
   * Marks an asset COMPROMISED and records the incident that involves it, in one transaction:
   * the status change, the new or linked incident, the INVOLVES relationship and their audit.
   */
  async mark(id: string, reason: string, incident: CompromiseIncidentInput | null | undefined): Promise<{ entity: EntityRow; incident: EntityRow }> {
    this.access.requireCompliance('Marking an asset compromised');
    const problems: InputProblem[] = [];
    checkText(reason, 'reason', problems, { required: true });
    if (incident?.name != null) checkName(incident.name, 'incident.name', problems);
    if (incident?.playbook != null) checkText(incident.playbook, 'incident.playbook', problems);
    failOnProblems(problems, 'compromise');
    const why = reason.trim();
    const incidentId = await this.db.writeTx(async (tx) => {
      const asset = await this.edits.locked(tx, id, undefined);
      let existingIncident: EntityRow | undefined;
      if (incident?.id) {
        [existingIncident] = await repo.findByIds(tx, [incident.id]);
        if (!existingIncident || existingIncident.type !== 'Incident') throw notFound(`Incident ${incident.id}`);
      }
      const now = new Date().toISOString();
      const audit = new AuditLog(this.access.actor, now, COMPROMISE_SOURCE, why);
      const plan = planCompromise(asset, why, incident, existingIncident, now, audit);
      const rows = plan.writes.map((row) => ({ ...row, properties: storableProperties(row.properties) }));
      // The asset's status changes; any other row is the incident this call opens.
      await repo.updateEntities(tx, rows.filter((row) => row.id === asset.id), now);
      await repo.createEntities(tx, rows.filter((row) => row.id !== asset.id), now);
      const involves = { fromId: plan.incidentId, type: 'INVOLVES' as const, toId: asset.id };
      const involvesRow = { ...involves, source: COMPROMISE_SOURCE, properties: { reason: why } };
      if ((await repo.relationshipsBetween(tx, [involves])).has(0)) await repo.updateRelationships(tx, [involvesRow], now);
      else {
        audit.link('LINK', involves, 'Incident', { reason: why });
        await repo.createRelationships(tx, [involvesRow], now);
      }
      await repo.recordAuditEvents(tx, audit.rows);
      return plan.incidentId;
    });
    return { entity: await this.edits.reload(id), incident: await this.edits.reload(incidentId) };
  }

  /**
   * Ends a compromise on one asset; what reads compromisedUpstream stops reporting it at once. The
   * reason is kept on the audit event of the status change.
   */
  clear(id: string, status: string, reason: string | null | undefined): Promise<EntityRow> {
    this.access.requireCompliance('Clearing a compromise');
    const problems: InputProblem[] = [];
    if (status === 'COMPROMISED') problems.push({ path: 'status', message: 'must be something other than COMPROMISED' });
    if (reason != null) checkText(reason, 'reason', problems);
    failOnProblems(problems, 'clearCompromised');
    return this.edits.patch(id, { fields: { status } }, undefined, {
      admit: (current) => {
        if (current.status !== 'COMPROMISED') throw badUserInput(`${current.type} "${current.name}" is not COMPROMISED`, [{ path: 'id', message: String(current.status) }]);
      },
      reason: reason?.trim() || undefined,
    });
  }
}
