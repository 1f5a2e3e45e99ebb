import type { Access } from '../auth/access';
import type { RequestGateway, Tx } from '../db/gateway';
import { badUserInput, failOnProblems, InputProblem, notFound } from '../errors';
import { AuditLog, planEntityChange } from '../estate/audit';
import type { EditService } from '../estate/editService';
import { estateRepository as repo } from '../estate/estateRepository';
import type { EstateService } from '../estate/estateService';
import { EntityRow, NAVIGATION } from '../estate/model';
import type { SyncService } from '../estate/syncService';
import { checkEndpoints, checkSource } from '../estate/validation';
import { storableProperties } from '../estate/values';
import type { DiscoveryKind } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import type { HistoryService } from '../history/historyService';
import { recordAt } from '../history/historyRepository';
import { checkText } from '../inputLimits';
import { PROGRAMME_SOURCE } from '../incidents/programme';
import { shadowReport, ShadowReport, ShadowRow } from './report';

/** Registrations and dismissals are hand decisions, not any inventory's assertions (a REPLACE never withdraws them). */
const DECISION_SOURCE = 'manual';

/**
 * Shadow AI: discovery sources declared by the programme, the assets they report, and the hand
 * decisions that end a discovery's shadow status (registered as a known record, or dismissed).
 */
export class ShadowService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly estate: EstateService,
    private readonly history: HistoryService,
    private readonly edits: EditService,
    private readonly sync: SyncService,
  ) {}

  /** The declaration, written through the estate's sync (versioned and audited as any record). */
  async declare(source: string, kind: DiscoveryKind, description: string | null | undefined): Promise<EntityRow> {
    this.access.requireCompliance('Declaring a discovery source');
    const problems: InputProblem[] = [];
    const name = checkSource(source, 'source', problems);
    if (description != null) checkText(description, 'description', problems);
    failOnProblems(problems, 'discovery source');
    await this.sync.sync({
      source: PROGRAMME_SOURCE,
      assets: { discoverySources: [{ externalId: name!, name: name!, kind, ...(description != null ? { description } : {}) }] },
    });
    const declared = await this.estate.byKey('DiscoverySource', PROGRAMME_SOURCE, name!);
    if (!declared) throw notFound(`Discovery source ${name}`);
    return declared;
  }

  /** SHADOW until registered (a REGISTERED_AS that holds at the row's instant) or dismissed. */
  async status(row: EntityRow): Promise<'SHADOW' | 'REGISTERED' | 'DISMISSED'> {
    const hop = NAVIGATION.DiscoveredAsset.registeredAs;
    const registered = row.asOf ? await this.history.neighbours(row.id, hop, undefined, row.asOf) : await this.estate.neighbours(row.id, hop);
    if (registered.length > 0) return 'REGISTERED';
    return typeof row.dismissedReason === 'string' ? 'DISMISSED' : 'SHADOW';
  }

  /** A discovered asset under its lock, with the caller admitted: COMPLIANCE, ADMIN, or its own source's SYNC key. */
  private async lockedDiscovery(tx: Tx, id: string): Promise<EntityRow> {
    const found = await this.edits.locked(tx, id, undefined);
    const { role } = this.access.principal;
    if (role !== 'ADMIN' && role !== 'COMPLIANCE') this.access.requireRecordWrite('DiscoveredAsset', found.source);
    if (found.type !== 'DiscoveredAsset') throw badUserInput(`${id} is a ${found.type}, not a DiscoveredAsset`, [{ path: 'id', message: found.type }]);
    return found;
  }

  async register(id: string, assetId: string): Promise<EntityRow> {
    await this.db.writeTx(async (tx) => {
      const found = await this.lockedDiscovery(tx, id);
      const [asset] = await repo.findByIds(tx, [assetId]);
      if (!asset) throw notFound(`Record ${assetId}`);
      const problems: InputProblem[] = [];
      checkEndpoints('REGISTERED_AS', found.type, asset.type, 'assetId', problems);
      failOnProblems(problems, 'registration');
      const ref = { fromId: found.id, type: 'REGISTERED_AS' as const, toId: asset.id };
      // A repeated or concurrent registration (serialised by the lock) finds it there: nothing to do.
      if ((await repo.relationshipsBetween(tx, [ref])).get(0)) return;
      const now = new Date().toISOString();
      await repo.createRelationships(tx, [{ ...ref, source: DECISION_SOURCE, properties: {} }], now);
      const audit = new AuditLog(this.access.actor, now, DECISION_SOURCE, `registered as ${asset.type} "${asset.name}"`);
      audit.link('LINK', ref, found.type, {});
      await repo.recordAuditEvents(tx, audit.rows);
    });
    return this.edits.reload(id);
  }

  async dismiss(id: string, reason: string): Promise<EntityRow> {
    this.access.requireCompliance('Dismissing a discovered asset');
    const problems: InputProblem[] = [];
    checkText(reason, 'reason', problems, { required: true });
    failOnProblems(problems, 'dismissal');
    const why = reason.trim();
    await this.db.writeTx(async (tx) => {
      const found = await this.lockedDiscovery(tx, id);
      const [{ relationships: registered } = { relationships: [] }] = await repo.relationships(tx, [{ index: 0, id: found.id, types: ['REGISTERED_AS'], direction: 'OUTGOING' }]);
      if (registered.length > 0) throw badUserInput(`"${found.name}" is registered as "${registered[0].other.name}": it is no longer shadow AI to dismiss`, [{ path: 'id', message: 'registered' }]);
      if (found.dismissedReason === why) return;
      const now = new Date().toISOString();
      const change = planEntityChange(found.type, found.source, found.externalId, { dismissedReason: why, dismissedAt: now }, found);
      const audit = new AuditLog(this.access.actor, now, found.source, why);
      audit.entity('UPDATE', found.id, found.type, change.changes);
      await repo.updateEntities(tx, [{ ...change.row, properties: storableProperties(change.row.properties) }], now);
      await repo.recordAuditEvents(tx, audit.rows);
    });
    return this.edits.reload(id);
  }

  async report(asOfValue?: Date | string | null): Promise<ShadowReport> {
    const asOf = await checkAsOf(this.db, asOfValue);
    if (!asOf) return shadowReport(await this.db.read<ShadowRow>('shadow/findShadowAssets', {}), null);
    const rows = await this.db.read<ShadowRow>('shadow/findShadowAssetsAsOf', { asOf });
    const at = (state: EntityRow) => recordAt(state, asOf);
    return shadowReport(
      rows.map((row) => ({ found: at(row.found), owners: row.owners.map(at), datasets: row.datasets.map(at) })),
      asOf.toISOString(),
    );
  }
}
