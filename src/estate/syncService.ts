import type { Access } from '../auth/access';
import type { Config } from '../config';
import type { RequestGateway, Tx } from '../db/gateway';
import { failOnProblems } from '../errors';
import type { SyncInventoryInput } from '../generated/graphql';
import { ProgrammeWriteRules, RECORDS_READ_WHOLE } from '../gates/writeRules';
import { AuditLog } from './audit';
import { estateRepository as repo } from './estateRepository';
import { matchDiscoveries, requireDiscoverySource } from '../shadow/discovery';
import { completeSync, draftSync, readSyncPayload, referencedRecords, relationshipKey, SyncPayload, SyncPlan, SyncReport } from './sync';
import { storableProperties } from './values';

/** What an importer that keeps its own state beside the records hands a sync, built in its transaction. */
export interface PreparedSync {
  input: SyncInventoryInput;
  /** Why, as the audit records it: an OpenLineage batch names its events' runs and jobs. */
  reason?: string;
  /** Writes the importer's state in the same transaction, after the plan (never in a dry run). */
  write?: (tx: Tx, now: string) => Promise<void>;
}

/**
 * Bulk sync from inventory tools: one transaction per call. It reads what the payload touches,
 * lets the pure planner in sync.ts decide, checks access on what the plan would do (inside the
 * transaction, so that a REPLACE is judged by what it really removes) and writes the plan.
 */
export class SyncService {
  private readonly rules: ProgrammeWriteRules;

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly access: Access,
  ) {
    this.rules = new ProgrammeWriteRules(config.gates.enforcement, access);
  }

  /**
   * `maxItems`: the call's ceiling of records plus relationships. A document import passes its own
   * (MAX_IMPORT_ITEMS): a document is one transaction whatever its size, since a REPLACE or a dry
   * run split across several would judge each part as if it were the whole.
   */
  async sync(input: SyncInventoryInput, maxItems = this.config.limits.maxSyncBatch): Promise<SyncReport> {
    const payload = readSyncPayload(input, maxItems);
    this.access.requireSourceWrite(payload.source);
    for (const type of payload.recordTypes) this.access.requireRecordWrite(type, payload.source);
    return this.run(payload.source, payload.dryRun, async () => ({ payload }));
  }

  /**
   * A sync whose payload depends on state its importer keeps beside the records (OpenLineage's
   * runs): `prepare` runs inside the transaction, after the source's lock, so that two calls on
   * one source never build on the same state. It must not act outside the transaction: a
   * transient failure runs it again.
   */
  async syncPrepared<P extends PreparedSync>(source: string, dryRun: boolean, maxItems: number, prepare: (tx: Tx) => Promise<P>): Promise<{ report: SyncReport; prepared: P }> {
    this.access.requireSourceWrite(source.trim());
    let prepared: P | undefined;
    const report = await this.run(source.trim(), dryRun, async (tx) => {
      prepared = await prepare(tx);
      const payload = readSyncPayload({ ...prepared.input, source, dryRun }, maxItems);
      for (const type of payload.recordTypes) this.access.requireRecordWrite(type, payload.source);
      return { payload, reason: prepared.reason, write: prepared.write };
    });
    // Set by the attempt that committed: a retried transaction prepares again.
    if (!prepared) throw new Error('syncPrepared: the transaction ended without preparing');
    return { report, prepared };
  }

  private run(source: string, dryRun: boolean, prepare: (tx: Tx) => Promise<{ payload: SyncPayload } & Omit<PreparedSync, 'input'>>): Promise<SyncReport> {
    const work = async (tx: Tx): Promise<SyncReport> => {
      // First, so that everything read below is still true when it is written (dry runs write nothing).
      // Every read is sent behind it without waiting for its answer: Neo4j runs a transaction's
      // statements in the order sent, so they run once the source is ours, and the call saves a
      // round trip. A failed lock fails them too; it is awaited with them below.
      const locked = dryRun ? undefined : repo.lockSource(tx, source, new Date().toISOString());
      locked?.catch(() => undefined);
      const { payload, reason, write } = await prepare(tx);
      if (payload.recordTypes.includes('DiscoveredAsset')) {
        await requireDiscoverySource(tx, source);
        // What the source found that is already registered (by name) is linked to it, not shadow AI.
        payload.relationships = [...payload.relationships, ...(await matchDiscoveries(tx, payload))];
      }
      const refs = referencedRecords(payload);
      const [, { records, asSent }, endpoints] = await Promise.all([
        locked,
        repo.compareByKeys(tx, payload.records.map((item) => ({ key: item.key, desired: RECORDS_READ_WHOLE.has(item.type) ? null : item.desired }))),
        repo.findEndpoints(tx, refs.endpointKeys, refs.endpointIds),
      ]);
      // Taken once the lock has answered, so that it is later than every change the previous holder made.
      const now = new Date().toISOString();
      const at = payload.at ?? now;
      const draft = draftSync(
        payload,
        { records, asSent, endpoints },
        new AuditLog(this.access.actor, at, source, reason, payload.at === null ? undefined : now),
      );
      // Gates, approvers and findings (src/gates/writeRules.ts): may add the Risks they derive.
      const derivedKeys = await this.rules.applyToSync(tx, draft, records, at);
      // A relationship belongs to the record it starts from: writing it is writing that record.
      for (const owner of draft.relationshipOwners) this.access.requireRecordWrite(owner.type, owner.source);
      const stored = await repo.storedRelationships(tx, draft.mayExist, draft.relationships);
      const stale =
        payload.mode === 'REPLACE'
          ? {
              relationships: await repo.staleRelationships(tx, source, draft.relationships.map(relationshipKey)),
              entities: await repo.staleEntities(tx, source, [...refs.recordKeys, ...derivedKeys]),
            }
          : null;
      // A dated call may not start a relationship again before it last ended.
      const ended = payload.at === null ? null : await repo.lastEnded(tx, draft.relationships);
      const plan = completeSync(draft, stored, stale, ended);
      this.access.requireRemovals(plan.removals, source);
      if (!plan.report.ok && !dryRun) failOnProblems(payload.problems, 'sync payload');
      if (!dryRun) await Promise.all([this.write(tx, plan, at), write?.(tx, at)]);
      return plan.report;
    };
    return dryRun ? this.db.readTx(work) : this.db.writeTx(work);
  }

  private async write(tx: Tx, plan: SyncPlan, now: string): Promise<void> {
    const stored = <Row extends { properties: Record<string, unknown> }>(row: Row) => ({ ...row, properties: storableProperties(row.properties) });
    const relationshipRow = ({ fromType: _fromType, ...row }: SyncPlan['relationships'][number]) => stored(row);
    // Sent together, in this order (records before the relationships that name them); none needs another's answer.
    await Promise.all([
      repo.createEntities(tx, plan.createdRecords.map(stored), now),
      repo.reviveEntities(tx, plan.revivedRecords.map(stored), now),
      repo.updateEntities(tx, plan.updatedRecords.map(stored), now),
      repo.createRelationships(tx, plan.newRelationships.map(relationshipRow), now),
      repo.updateRelationships(tx, plan.changedRelationships.map(relationshipRow), now),
      repo.withdrawRelationships(tx, plan.withdrawn, now),
      repo.deleteEntities(tx, plan.deletedIds, now),
      repo.recordAuditEvents(tx, plan.audit.rows),
    ]);
  }
}
