import DataLoader from 'dataloader';
import type { Access } from '../auth/access';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, failOnProblems, InputProblem, notFound } from '../errors';
import { AuditLog, planEntityChange } from '../estate/audit';
import type { EditService } from '../estate/editService';
import { estateRepository as repo } from '../estate/estateRepository';
import type { EstateService } from '../estate/estateService';
import { entityKey, EntityRow, NAVIGATION } from '../estate/model';
import { storableProperties } from '../estate/values';
import type { IncidentStepInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import type { HistoryService } from '../history/historyService';
import { checkText } from '../inputLimits';
import { incidentRepository } from './incidentRepository';
import { checkPastInstant } from './programme';
import { incidentMetrics, IncidentMetrics } from './metrics';
import { IncidentStepView, planStepUpdate, readStoredRecords, storedRecords, stepsView } from './steps';

/** Of an incident's playbooks, the one for its category, else the first by name (as findFollowedPlaybook orders). */
function playbookOf(incident: EntityRow, playbooks: EntityRow[]): EntityRow | undefined {
  const byName = [...playbooks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  return byName.find((playbook) => playbook.scenario === incident.category) ?? byName[0];
}

/**
 * Incidents run on playbooks: the steps view, step progress (in order, under the incident's lock,
 * audited), and time to contain and to close.
 */
export class IncidentService {
  /** Step owners now, by key: a page of incidents asks for each of their steps' owners at once. */
  private readonly ownersNow: DataLoader<string, EntityRow | null>;

  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly estate: EstateService,
    private readonly history: HistoryService,
    private readonly edits: EditService,
  ) {
    this.ownersNow = new DataLoader(async (keys) => {
      const found = new Map((await this.estate.byKeys([...keys])).map((row) => [row.key, row]));
      return keys.map((key) => found.get(key) ?? null);
    });
  }

  /** The playbook's steps with this incident's progress, read at the incident's instant when it has one. */
  async steps(incident: EntityRow): Promise<IncidentStepView[]> {
    const hop = NAVIGATION.Incident.follows;
    const playbooks = incident.asOf ? await this.history.neighbours(incident.id, hop, 'Playbook', incident.asOf) : await this.estate.neighbours(incident.id, hop, 'Playbook');
    const playbook = playbookOf(incident, playbooks);
    if (!playbook) return [];
    return stepsView((playbook.steps as string[] | undefined) ?? [], readStoredRecords(incident.stepRecords), incident.asOf);
  }

  /** A step's owner, by the key its record keeps, at the step's instant when read as of one. */
  async stepOwner(step: IncidentStepView): Promise<EntityRow | null> {
    if (!step.owner) return null;
    const { source, externalId } = step.owner;
    return step.asOf ? this.history.byKey('Owner', source, externalId, step.asOf) : this.ownersNow.load(entityKey('Owner', source, externalId));
  }

  async updateStep(input: IncidentStepInput): Promise<EntityRow> {
    const problems: InputProblem[] = [];
    if (input.note != null) checkText(input.note, 'input.note', problems);
    failOnProblems(problems, 'incident step');
    await this.db.writeTx(async (tx) => {
      const incident = await this.edits.locked(tx, input.incidentId, input.expectedVersion);
      // Running an incident is a security function; a SYNC key may also drive its own source's incidents.
      const { role } = this.access.principal;
      if (role !== 'ADMIN' && role !== 'COMPLIANCE') this.access.requireRecordWrite('Incident', incident.source);
      if (incident.type !== 'Incident') throw badUserInput(`${input.incidentId} is a ${incident.type}, not an Incident`, [{ path: 'input.incidentId', message: incident.type }]);
      const playbook = await incidentRepository.followedPlaybook(tx, incident.id);
      if (!playbook) throw badUserInput(`Incident "${incident.name}" follows no playbook: link one with FOLLOWS first`, [{ path: 'input.incidentId', message: 'no FOLLOWS' }]);
      let owner: { source: string; externalId: string } | undefined;
      if (input.ownerId) {
        const [found] = await repo.findByIds(tx, [input.ownerId]);
        if (!found) throw notFound(`Owner ${input.ownerId}`);
        if (found.type !== 'Owner') throw badUserInput(`${input.ownerId} is a ${found.type}, not an Owner`, [{ path: 'input.ownerId', message: found.type }]);
        owner = { source: found.source, externalId: found.externalId };
      }
      const now = new Date().toISOString();
      const when = checkPastInstant(input.at, 'input.at', Date.parse(now));
      const plan = planStepUpdate(readStoredRecords(incident.stepRecords), ((playbook.steps as string[] | undefined) ?? []).length, {
        position: input.position,
        status: input.status,
        owner,
        at: when,
        note: input.note ?? undefined,
      });
      if (plan.unchanged) return;
      const change = planEntityChange('Incident', incident.source, incident.externalId, { stepRecords: storedRecords(plan.records) }, incident);
      const audit = new AuditLog(this.access.actor, now, incident.source, `playbook step ${input.position} ${input.status}`);
      audit.entity('UPDATE', incident.id, 'Incident', change.changes);
      await repo.updateEntities(tx, [{ ...change.row, properties: storableProperties(change.row.properties) }], now);
      await repo.recordAuditEvents(tx, audit.rows);
    });
    return this.edits.reload(input.incidentId);
  }

  async metrics(asOfValue?: Date | string | null): Promise<IncidentMetrics[]> {
    const asOf = await checkAsOf(this.db, asOfValue);
    const rows = await incidentRepository.times(this.db, asOf);
    return incidentMetrics(rows, asOf ? asOf.getTime() : Date.now());
  }
}
