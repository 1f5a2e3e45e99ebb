import type { RequestGateway } from '../db/gateway';
import { codedError } from '../errors';
import type { EstateService } from '../estate/estateService';
import type { EntityRow } from '../estate/model';
import type { SyncService } from '../estate/syncService';
import type { LifecycleStage, RecordGateApprovalInput, RelationshipInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import { recordAt } from '../history/historyRepository';
import { EXCEPTION_TAG, GATE_OF_STAGE, PASSING_OUTCOMES } from './gateRule';

const DAY_MS = 86_400_000;

/**
 * Lifecycle gates' reads and the approval write (issue 15). The rules a write must meet (an
 * approver who may approve the stage, moves through a gate) are the write path's: writeRules.ts.
 */
export class GateService {
  constructor(
    private readonly db: RequestGateway,
    private readonly estate: EstateService,
    private readonly sync: SyncService,
  ) {}

  async overdueConditions(source: string | null | undefined, asOfValue: Date | string | null | undefined) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const at = asOf ?? new Date();
    const rows = await this.db.read<{ approval: EntityRow; subjects: EntityRow[] }>(asOf ? 'gates/findOverdueConditionsAsOf' : 'gates/findOverdueConditions', { source: source ?? null, at, asOf });
    const then = asOf ? (row: EntityRow) => recordAt(row, asOf) : (row: EntityRow) => row;
    return rows.map((row) => {
      const dueAt = String(row.approval.conditionsDueAt);
      return {
        approval: then(row.approval),
        subjects: row.subjects.map(then),
        conditions: (row.approval.conditions as string[] | undefined) ?? [],
        dueAt,
        daysOverdue: Math.floor((at.getTime() - Date.parse(dueAt)) / DAY_MS),
      };
    });
  }

  async exceptions(source: string | null | undefined, asOfValue: Date | string | null | undefined) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const rows = await this.db.read<{ risk: EntityRow; subjects: EntityRow[] }>(asOf ? 'gates/findGateExceptionsAsOf' : 'gates/findGateExceptions', { source: source ?? null, tag: EXCEPTION_TAG, asOf });
    const then = asOf ? (row: EntityRow) => recordAt(row, asOf) : (row: EntityRow) => row;
    return rows.map((row) => ({ risk: then(row.risk), subjects: row.subjects.map(then) }));
  }

  async ungated(source: string | null | undefined, asOfValue: Date | string | null | undefined) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const rows = await this.db.read<{ record: EntityRow; gate: LifecycleStage; latest: EntityRow | null; exception: EntityRow | null }>(asOf ? 'gates/findUngatedRecordsAsOf' : 'gates/findUngatedRecords', {
      source: source ?? null,
      gateOfStage: GATE_OF_STAGE,
      passingOutcomes: PASSING_OUTCOMES,
      tag: EXCEPTION_TAG,
      asOf,
    });
    const then = asOf ? (row: EntityRow) => recordAt(row, asOf) : (row: EntityRow) => row;
    return rows.map((row) => ({
      record: then(row.record),
      stage: row.record.lifecycleStage as LifecycleStage,
      gate: row.gate,
      latestApproval: row.latest && then(row.latest),
      exception: row.exception && then(row.exception),
    }));
  }

  /** Writes one approval with its relationships as an UPSERT sync of its source: every rule of the write path holds. */
  async record(input: RecordGateApprovalInput): Promise<EntityRow> {
    const ref = { type: 'GateApproval' as const, externalId: input.approval.externalId };
    const relationships: RelationshipInput[] = [
      { type: 'APPROVES', from: ref, to: input.subject },
      { type: 'APPROVED_BY', from: ref, to: input.approver },
      ...(input.evidence ?? []).map((evidence): RelationshipInput => ({ type: 'RESTS_ON', from: ref, to: evidence })),
    ];
    await this.sync.sync({ source: input.source ?? 'manual', assets: { gateApprovals: [input.approval] }, relationships });
    const row = await this.estate.byKey('GateApproval', (input.source ?? 'manual').trim(), input.approval.externalId.trim());
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', 'An approval vanished right after it was written');
    return row;
  }
}
