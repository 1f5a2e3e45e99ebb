import { randomUUID } from 'node:crypto';
import { AuditLog, planEntityChange } from '../estate/audit';
import type { SignalKind } from '../generated/graphql';
import type { EntityWriteRow, RelationshipWriteRow } from '../estate/estateRepository';
import { EntityRow, entityKey, RelationshipType } from '../estate/model';
import { planCompromise, WindowSpan } from '../lineage/compromiseService';
import type { TriggerRow } from './signalRepository';
import { Crossing, crossingReason, DEFAULT_CATEGORY } from './signals';

/** Where the incidents that rules open, and the links they make, are recorded. */
export const SIGNALS_SOURCE = 'signals';
/** The playbook contract (issue 15): an incident follows the playbook of its category's scenario. */
const FOLLOWS = 'FOLLOWS' as RelationshipType;

/** What the graph holds about each asset a crossing fires on, read under the asset's lock. */
export interface FiringContext {
  assets: ReadonlyMap<string, EntityRow>;
  /** Each asset's open incident, if any. */
  openIncidents: ReadonlyMap<string, EntityRow>;
  /** The compromise window an open incident records on its asset (by incident id), if any. */
  windows: ReadonlyMap<string, WindowSpan>;
  /** A playbook id per scenario. */
  playbooks: ReadonlyMap<string, string>;
}

export interface Firing {
  ruleId: string;
  assetId: string;
  incidentId: string;
  opened: boolean;
  kind: SignalKind;
  count: number;
  markedCompromised: boolean;
}

export interface FiringPlan {
  createdIncidents: EntityWriteRow[];
  /** Assets whose status becomes COMPROMISED. */
  updatedAssets: EntityWriteRow[];
  newRelationships: RelationshipWriteRow[];
  /** INVOLVES of an open incident that now records a compromise window. */
  changedRelationships: RelationshipWriteRow[];
  triggers: TriggerRow[];
  firings: Firing[];
}

/**
 * What the crossings of one batch change, in order: each opens an incident on its asset (category
 * and playbook from the rule) or attaches to the asset's open one, incidents opened earlier in the
 * batch included; records the trigger (the rule, its window, the count) on it; and, for a rule
 * that says so, marks the asset compromised as markCompromised would (planCompromise). Pure: the
 * service reads the context under the assets' locks and writes the plan.
 */
export function planFirings(crossings: readonly Crossing[], context: FiringContext, now: string, audit: AuditLog, newId: () => string = randomUUID): FiringPlan {
  const plan: FiringPlan = { createdIncidents: [], updatedAssets: [], newRelationships: [], changedRelationships: [], triggers: [], firings: [] };
  const assets = new Map(context.assets);
  const open = new Map(context.openIncidents);
  const windows = new Map(context.windows);
  const involves = new Map<string, RelationshipWriteRow>();
  for (const crossing of crossings) {
    const asset = assets.get(crossing.assetId)!;
    const reason = crossingReason(crossing, asset);
    let incident = open.get(asset.id);
    const opened = incident === undefined;
    if (!incident) {
      const category = crossing.rule.category ?? DEFAULT_CATEGORY[crossing.kind];
      const externalId = `signals-${crossing.rule.id}-${asset.id}-${Date.parse(now)}`;
      const change = planEntityChange(
        'Incident',
        SIGNALS_SOURCE,
        externalId,
        { name: `${crossing.rule.name}: ${asset.name}`, description: reason, severity: crossing.rule.incidentSeverity ?? 'HIGH', status: 'OPEN', detectedAt: crossing.at, category },
        undefined,
        newId,
      );
      plan.createdIncidents.push(change.row);
      audit.entity('CREATE', change.row.id, 'Incident', change.changes);
      incident = { ...change.row.properties, id: change.row.id, key: entityKey('Incident', SIGNALS_SOURCE, externalId), type: 'Incident', source: SIGNALS_SOURCE, externalId, name: String(change.row.properties.name), version: 1, createdAt: now, updatedAt: now };
      open.set(asset.id, incident);
      const link: RelationshipWriteRow = { fromId: incident.id, type: 'INVOLVES', toId: asset.id, source: SIGNALS_SOURCE, properties: {} };
      involves.set(incident.id, link);
      plan.newRelationships.push(link);
      audit.link('LINK', link, 'Incident', {});
      const playbookId = context.playbooks.get(category);
      if (playbookId) {
        const follows: RelationshipWriteRow = { fromId: incident.id, type: FOLLOWS, toId: playbookId, source: SIGNALS_SOURCE, properties: {} };
        plan.newRelationships.push(follows);
        audit.link('LINK', follows, 'Incident', {});
      }
    }
    let markedCompromised = false;
    // An incident that already records a compromise of the asset (open, or ended: a later one is
    // another incident, which planCompromise refuses) is attached to without marking again.
    if (crossing.rule.markCompromised === true && !windows.has(incident.id)) {
      const compromise = planCompromise(asset, reason, null, incident, windows.get(incident.id), now, now, audit);
      for (const row of compromise.writes) {
        plan.updatedAssets.push(row);
        assets.set(asset.id, { ...asset, ...row.properties });
      }
      windows.set(incident.id, compromise.window);
      const properties = { reason, compromisedSince: new Date(compromise.window.since), compromisedUntil: null };
      const planned = involves.get(incident.id);
      if (planned) planned.properties = properties;
      else {
        const changed: RelationshipWriteRow = { fromId: incident.id, type: 'INVOLVES', toId: asset.id, source: SIGNALS_SOURCE, properties };
        involves.set(incident.id, changed);
        plan.changedRelationships.push(changed);
      }
      markedCompromised = true;
    }
    plan.triggers.push({
      id: newId(),
      incidentId: incident.id,
      ruleId: crossing.rule.id,
      assetId: asset.id,
      kind: crossing.kind,
      at: crossing.at,
      windowStart: crossing.from,
      windowEnd: crossing.to,
      count: crossing.count,
      threshold: crossing.rule.threshold,
    });
    plan.firings.push({ ruleId: crossing.rule.id, assetId: asset.id, incidentId: incident.id, opened, kind: crossing.kind, count: crossing.count, markedCompromised });
  }
  return plan;
}
