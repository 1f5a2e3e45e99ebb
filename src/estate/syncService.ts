import type { Access } from '../auth/access';
import type { Config } from '../config';
import type { RequestGateway, Tx } from '../db/gateway';
import { failOnProblems } from '../errors';
import type { SyncInventoryInput } from '../generated/graphql';
import { AuditLog } from './audit';
import { estateRepository as repo } from './estateRepository';
import { completeSync, draftSync, readSyncPayload, referencedRecords, relationshipKey, SyncPlan, SyncReport } from './sync';
import { storableProperties } from './values';

/**
 * Bulk sync from inventory tools: one transaction per call. It reads what the payload touches,
 * lets the pure planner in sync.ts decide, checks access on what the plan would do (inside the
 * transaction, so that a REPLACE is judged by what it really removes) and writes the plan.
 */
export class SyncService {
  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly access: Access,
  ) {}

  /**
   * `maxItems`: the call's ceiling of records plus relationships. A document import passes its own
   * (MAX_IMPORT_ITEMS): a document is one transaction whatever its size, since a REPLACE or a dry
   * run split across several would judge each part as if it were the whole.
   */
  async sync(input: SyncInventoryInput, maxItems = this.config.limits.maxSyncBatch): Promise<SyncReport> {
    const payload = readSyncPayload(input, maxItems);
    const { source, dryRun } = payload;
    this.access.requireSourceWrite(source);
    for (const type of payload.recordTypes) this.access.requireRecordWrite(type, source);

    const work = async (tx: Tx): Promise<SyncReport> => {
      const now = new Date().toISOString();
      // First, so that everything read below is still true when it is written (dry runs write nothing).
      if (!dryRun) await repo.lockSource(tx, source, now);
      const refs = referencedRecords(payload);
      const draft = draftSync(
        payload,
        { records: await repo.findByKeys(tx, refs.recordKeys), endpoints: await repo.findEndpoints(tx, refs.endpointKeys, refs.endpointIds) },
        new AuditLog(this.access.actor, now, source),
      );
      // A relationship belongs to the record it starts from: writing it is writing that record.
      for (const owner of draft.relationshipOwners) this.access.requireRecordWrite(owner.type, owner.source);
      const stored = await repo.relationshipsBetween(tx, draft.mayExist);
      const stale =
        payload.mode === 'REPLACE'
          ? {
              relationships: await repo.staleRelationships(tx, source, draft.relationships.map(relationshipKey)),
              entities: await repo.staleEntities(tx, source, refs.recordKeys),
            }
          : null;
      const plan = completeSync(draft, stored, stale);
      this.access.requireRemovals(plan.removals, source);
      if (!plan.report.ok && !dryRun) failOnProblems(payload.problems, 'sync payload');
      if (!dryRun) await this.write(tx, plan, now);
      return plan.report;
    };
    return dryRun ? this.db.readTx(work) : this.db.writeTx(work);
  }

  private async write(tx: Tx, plan: SyncPlan, now: string): Promise<void> {
    const stored = <Row extends { properties: Record<string, unknown> }>(row: Row) => ({ ...row, properties: storableProperties(row.properties) });
    const relationshipRow = ({ fromType: _fromType, ...row }: SyncPlan['relationships'][number]) => stored(row);
    await repo.createEntities(tx, plan.createdRecords.map(stored), now);
    await repo.upsertEntities(tx, plan.updatedRecords.map(stored), now);
    await repo.createRelationships(tx, plan.newRelationships.map(relationshipRow), now);
    await repo.updateRelationships(tx, plan.changedRelationships.map(relationshipRow), now);
    await repo.withdrawRelationships(tx, plan.withdrawn);
    await repo.deleteEntities(tx, plan.deletedIds);
    await repo.recordAuditEvents(tx, plan.audit.rows);
  }
}
