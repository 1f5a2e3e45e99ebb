import type { Access } from '../auth/access';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, notFound } from '../errors';
import { AuditLog } from '../estate/audit';
import type { EditService } from '../estate/editService';
import { estateRepository as repo } from '../estate/estateRepository';
import type { EstateService } from '../estate/estateService';
import { ASSET_TYPES, EntityRow, EntityType } from '../estate/model';
import { checkAsOf } from '../history/asOf';
import { recordAt } from '../history/historyRepository';
import type { HistoryService } from '../history/historyService';
import { checkPastInstant } from '../incidents/programme';

/** One acknowledgement of a policy (GraphQL PolicyAcknowledgement). */
export interface AcknowledgementRow {
  owner: EntityRow;
  acknowledgedAt: string | null;
  policyVersion: string | null;
}

export interface UnownedAssets {
  asOf: string | null;
  total: number;
  items: EntityRow[];
}

/** Acknowledgements are hand records of the programme, not an inventory's (a REPLACE never withdraws them). */
const ACKNOWLEDGEMENT_SOURCE = 'manual';

/** Policies (acknowledged by owners, implemented by controls) and accountability: every asset has an owner. */
export class PolicyService {
  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly access: Access,
    private readonly estate: EstateService,
    private readonly history: HistoryService,
    private readonly edits: EditService,
  ) {}

  /** A policy's acknowledgements, as they held at the policy's instant when it was read as of one. */
  async acknowledgements(policy: EntityRow): Promise<AcknowledgementRow[]> {
    const rows = policy.asOf
      ? await this.history.relationships(policy.id, ['ACKNOWLEDGED_BY'], 'OUTGOING', policy.asOf)
      : await this.estate.relationships(policy.id, ['ACKNOWLEDGED_BY'], 'OUTGOING');
    return rows.map((row) => ({
      owner: row.other,
      acknowledgedAt: typeof row.properties.acknowledgedAt === 'string' ? row.properties.acknowledgedAt : null,
      policyVersion: typeof row.properties.policyVersion === 'string' ? row.properties.policyVersion : null,
    }));
  }

  /**
   * Records that an owner acknowledged the policy's current version at `at`, under the policy's
   * lock: acknowledging again moves the instant (the earlier acknowledgement stays in history).
   */
  async acknowledge(policyId: string, ownerId: string, atValue?: Date | string | null): Promise<AcknowledgementRow> {
    this.access.requireCompliance('Recording a policy acknowledgement');
    await this.db.writeTx(async (tx) => {
      const policy = await this.edits.locked(tx, policyId, undefined);
      if (policy.type !== 'Policy') throw badUserInput(`${policyId} is a ${policy.type}, not a Policy`, [{ path: 'policyId', message: policy.type }]);
      this.access.requireRecordWrite('Policy', policy.source);
      const [owner] = await repo.findByIds(tx, [ownerId]);
      if (!owner) throw notFound(`Owner ${ownerId}`);
      if (owner.type !== 'Owner') throw badUserInput(`${ownerId} is a ${owner.type}, not an Owner`, [{ path: 'ownerId', message: owner.type }]);
      const now = new Date().toISOString();
      const when = checkPastInstant(atValue, 'at', Date.parse(now));
      const properties: Record<string, unknown> = { acknowledgedAt: when, policyVersion: typeof policy.policyVersion === 'string' ? policy.policyVersion : null };
      const ref = { fromId: policy.id, type: 'ACKNOWLEDGED_BY' as const, toId: owner.id };
      const existing = (await repo.relationshipsBetween(tx, [ref])).get(0);
      const row = { ...ref, source: ACKNOWLEDGEMENT_SOURCE, properties };
      await (existing ? repo.updateRelationships(tx, [row], now) : repo.createRelationships(tx, [row], now));
      const audit = new AuditLog(this.access.actor, now, ACKNOWLEDGEMENT_SOURCE, `acknowledged by ${owner.name}`);
      audit.link('LINK', ref, 'Policy', properties);
      await repo.recordAuditEvents(tx, audit.rows);
    });
    const [acknowledgement] = (await this.acknowledgements((await this.edits.reload(policyId)))).filter((row) => row.owner.id === ownerId);
    return acknowledgement;
  }

  async unowned(types: EntityType[] | null | undefined, source: string | null | undefined, first: number | null | undefined, asOfValue?: Date | string | null): Promise<UnownedAssets> {
    const asked = types && types.length > 0 ? [...new Set(types)] : [...ASSET_TYPES];
    const notAssets = asked.filter((type) => !ASSET_TYPES.includes(type));
    if (notAssets.length > 0) throw badUserInput(`unownedAssets takes asset types (${ASSET_TYPES.join(', ')}), not ${notAssets.join(', ')}`, [{ path: 'types', message: notAssets.join(', ') }]);
    const limit = first ?? 50;
    const { maxPageSize } = this.config.limits;
    if (!Number.isInteger(limit) || limit < 0 || limit > maxPageSize) throw badUserInput(`first must be from 0 to ${maxPageSize}`, [{ path: 'first', message: `got ${limit}` }]);
    const asOf = await checkAsOf(this.db, asOfValue);
    const [row] = asOf
      ? await this.db.read<{ total: number; items: EntityRow[] }>('policies/findUnownedAssetsAsOf', { types: asked, source: source ?? null, first: limit, asOf })
      : await this.db.read<{ total: number; items: EntityRow[] }>('policies/findUnownedAssets', { types: asked, source: source ?? null, first: limit });
    return { asOf: asOf?.toISOString() ?? null, total: row.total, items: asOf ? row.items.map((state) => recordAt(state, asOf)) : row.items };
  }
}
