import type { Access } from '../auth/access';
import type { GateEnforcement } from '../config';
import type { Tx } from '../db/gateway';
import { badUserInput, InputProblem } from '../errors';
import { AuditLog, planEntityChange } from '../estate/audit';
import { estateRepository as repo } from '../estate/estateRepository';
import { EntityRow, EntityType, entityKey, RelationshipType } from '../estate/model';
import { relationshipKey, SyncDraft } from '../estate/sync';
import { storableProperties } from '../estate/values';
import type { GateOutcome, LifecycleStage } from '../generated/graphql';
import { findingRisks } from '../vendors/findings';
import { ApprovalFacts, checkApprovalFields, EXCEPTION_TAG, exceptionExternalId, GATE_OF_STAGE, GATED_TYPES, gateCrossed, mayApprove, passes } from './gateRule';

/**
 * The security programme's rules on the estate write path (issue 15), decided inside the write
 * transaction: gate approvals name an approver who may approve their stage, vendor assessments
 * their vendor and assessor; a move of a model's or agent's lifecycleStage through a gate needs an
 * approval (or, under GATE_ENFORCEMENT=record, leaves a gate-exception Risk); an assessment's
 * findings become Risks that THREATEN its vendor. Derived Risks are written in the same source and
 * the same change set as what caused them, under keys of their own, so that sending the cause
 * again finds them unchanged and a REPLACE keeps them while their cause stands.
 */

/** A Risk the write path derives, with what it THREATENS. */
export interface DerivedRisk {
  externalId: string;
  /** Written every time. */
  desired: Record<string, unknown>;
  /** Written only when the Risk is created (or revived): later edits of its status stay. */
  initial: Record<string, unknown>;
  /** Only updates a Risk that exists (a finding dropped from its assessment is closed). */
  existingOnly?: boolean;
  threatens: string;
}

/** Relationship types written only with their start record through a sync (or a record… mutation). */
export const PROGRAMME_RELATIONSHIPS: readonly RelationshipType[] = ['ASSESSES', 'ASSESSED_BY', 'APPROVES', 'APPROVED_BY'];

const ONE_EACH: Partial<Record<EntityType, Array<{ type: RelationshipType; what: string }>>> = {
  GateApproval: [
    { type: 'APPROVES', what: 'the AIModel or Agent it admits' },
    { type: 'APPROVED_BY', what: 'the Owner who decided' },
  ],
  VendorAssessment: [
    { type: 'ASSESSES', what: 'the Vendor reviewed' },
    { type: 'ASSESSED_BY', what: 'the Owner who reviewed it' },
  ],
};

/** Types whose stored record the gates compare with what a call sends: a sync reads them whole. */
export const RECORDS_READ_WHOLE: ReadonlySet<EntityType> = new Set<EntityType>([...GATED_TYPES, ...(Object.keys(ONE_EACH) as EntityType[])]);

interface Written {
  path: string;
  type: EntityType;
  key: string;
  externalId: string;
  id: string;
  /** Stored and live before the call. */
  before: EntityRow | undefined;
  /** Stored but retired: the call revives it. */
  retired: EntityRow | undefined;
  /** As it will stand after the call. */
  after: Record<string, unknown>;
}

const stageOf = (row: Record<string, unknown> | undefined) => (row?.lifecycleStage ?? null) as LifecycleStage | null;
const approvalFacts = (id: string, row: Record<string, unknown>): ApprovalFacts => ({
  id,
  stage: (row.stage ?? null) as LifecycleStage | null,
  outcome: (row.outcome ?? null) as GateOutcome | null,
  decidedAt: row.decidedAt ? new Date(String(row.decidedAt)).toISOString() : null,
});

export class ProgrammeWriteRules {
  constructor(
    private readonly enforcement: GateEnforcement,
    private readonly access: Access,
  ) {}

  /**
   * Checks a drafted sync and adds what it derives to the draft (records, THREATENS, audit,
   * counts). Problems go to the payload's, so a dry run lists them. Returns the keys of the
   * derived records, which a REPLACE must keep.
   */
  async applyToSync(tx: Tx, draft: SyncDraft, stored: EntityRow[], at: string): Promise<string[]> {
    const { payload } = draft;
    const problems = payload.problems;
    const storedByKey = new Map(stored.map((row) => [row.key, row]));
    const written: Written[] = payload.records.map((item) => {
      const found = storedByKey.get(item.key);
      const before = found && !found.retired ? found : undefined;
      return {
        path: item.path,
        type: item.type,
        key: item.key,
        externalId: item.externalId,
        id: draft.recordIds.get(item.key)!,
        before,
        retired: found?.retired ? found : undefined,
        after: { ...(before ?? {}), ...item.desired },
      };
    });
    const byId = new Map(written.map((record) => [record.id, record]));
    const outgoing = (id: string, type: RelationshipType) => draft.relationships.filter((rel) => rel.fromId === id && rel.type === type);
    const programmeRecords = written.filter((record) => ONE_EACH[record.type]);
    if (programmeRecords.length === 0 && !written.some((record) => (GATED_TYPES as readonly string[]).includes(record.type))) return [];

    for (const record of programmeRecords) {
      for (const { type, what } of ONE_EACH[record.type]!) {
        const count = outgoing(record.id, type).length;
        if (count !== 1) problems.push({ path: record.path, message: `a ${record.type} is sent with exactly one ${type} (${what}) in the same call; this one has ${count}` });
      }
    }

    // Approvals: their fields, and an approver who may approve their stage.
    const approvals = written.filter((record) => record.type === 'GateApproval');
    const approverIds = approvals.flatMap((record) => outgoing(record.id, 'APPROVED_BY').map((rel) => rel.toId)).filter((id) => !byId.has(id));
    const storedApprovers = new Map((approverIds.length > 0 ? await repo.findByIds(tx, [...new Set(approverIds)]) : []).map((row) => [row.id, row]));
    for (const approval of approvals) {
      checkApprovalFields(approval.after, approval.path, problems);
      const stage = approval.after.stage as LifecycleStage | undefined;
      for (const rel of outgoing(approval.id, 'APPROVED_BY')) {
        const approver = byId.get(rel.toId)?.after ?? storedApprovers.get(rel.toId);
        if (stage && approver && !mayApprove(approver.approvesStages, stage)) {
          const may = (approver.approvesStages as string[] | undefined)?.join(', ') || 'none';
          problems.push({ path: approval.path, message: `Owner "${String(approver.name)}" may not approve the ${stage} gate (their approvesStages: ${may})` });
        }
      }
    }
    for (const assessment of written.filter((record) => record.type === 'VendorAssessment')) {
      if (!assessment.after.assessedAt) problems.push({ path: `${assessment.path}.assessedAt`, message: 'is required: when the review was made' });
    }

    // Moves through a gate: the payload's approvals of the record count with the stored ones.
    const derived: DerivedRisk[] = [];
    const gated = written.filter((record) => (GATED_TYPES as readonly string[]).includes(record.type));
    const moves = gated
      .map((record) => ({ record, from: stageOf(record.before ?? record.retired), gate: record.before || record.retired ? gateCrossed(stageOf(record.before ?? record.retired), stageOf(record.after)) : null }))
      .filter((move) => move.gate !== null);
    if (moves.length > 0 && this.enforcement !== 'off') {
      const sent = new Map<string, ApprovalFacts[]>();
      for (const rel of draft.relationships.filter((rel) => rel.type === 'APPROVES')) {
        const approval = byId.get(rel.fromId);
        if (approval) sent.set(rel.toId, [...(sent.get(rel.toId) ?? []), approvalFacts(approval.id, approval.after)]);
      }
      const storedApprovals = await approvalsOf(tx, moves.map((move) => move.record.id));
      for (const { record, from, gate } of moves) {
        const mine = sent.get(record.id) ?? [];
        const all = [...mine, ...(storedApprovals.get(record.id) ?? []).filter((approval) => !byId.has(approval.id))];
        if (passes(all, gate!)) continue;
        const move = { type: record.type, name: String(record.after.name), externalId: record.externalId, id: record.id, from, to: stageOf(record.after)!, gate: gate! };
        if (this.enforcement === 'refuse') problems.push({ path: `${record.path}.lifecycleStage`, message: refusal(move) });
        else derived.push(exceptionRisk(move, at, this.access.actor));
      }
    }
    // Exceptions recorded before stay while their record is sent (a REPLACE would otherwise drop them).
    const exceptionKeys = gated.flatMap((record) => {
      const gate = GATE_OF_STAGE[stageOf(record.after) ?? 'DESIGN'];
      return gate && !derived.some((risk) => risk.threatens === record.id) ? [{ record, externalId: exceptionExternalId(record.externalId, gate) }] : [];
    });

    for (const assessment of written.filter((record) => record.type === 'VendorAssessment')) {
      const [vendor] = outgoing(assessment.id, 'ASSESSES');
      if (vendor) derived.push(...findingRisks(assessment.externalId, assessment.after, assessment.before, vendor.toId));
    }
    for (const { record, externalId } of exceptionKeys) derived.push({ externalId, desired: {}, initial: {}, existingOnly: true, threatens: record.id });
    return this.addToDraft(tx, draft, derived);
  }

  private async addToDraft(tx: Tx, draft: SyncDraft, derived: DerivedRisk[]): Promise<string[]> {
    const { payload, audit, report } = draft;
    const sentKeys = new Set(payload.records.map((item) => item.key));
    const keyOf = (risk: DerivedRisk) => entityKey('Risk', payload.source, risk.externalId);
    const mine = derived.filter((risk) => !sentKeys.has(keyOf(risk)));
    if (mine.length === 0) return [];
    const stored = new Map((await repo.findByKeys(tx, mine.map(keyOf), { retired: true })).map((row) => [row.key, row]));
    const fresh = new Set([...draft.createdRecords, ...draft.revivedRecords].map((row) => row.id));
    const planned = new Set(draft.relationships.map(relationshipKey));
    const kept: string[] = [];
    for (const risk of mine) {
      const existing = stored.get(keyOf(risk));
      if (risk.existingOnly && (!existing || existing.retired)) continue;
      const desired = existing && !existing.retired ? risk.desired : { ...risk.initial, ...risk.desired };
      const change = planEntityChange('Risk', payload.source, risk.externalId, desired, existing);
      report.assets[change.outcome] += 1;
      if (change.outcome !== 'unchanged') {
        (change.outcome === 'updated' ? draft.updatedRecords : existing?.retired ? draft.revivedRecords : draft.createdRecords).push(change.row);
        audit.entity(change.outcome === 'created' ? 'CREATE' : 'UPDATE', change.row.id, 'Risk', change.changes);
        if (change.outcome === 'created') fresh.add(change.row.id);
      }
      kept.push(keyOf(risk));
      const link = { fromId: change.row.id, type: 'THREATENS' as const, toId: risk.threatens, source: payload.source, properties: {}, fromType: 'Risk' as const };
      if (planned.has(relationshipKey(link))) continue;
      planned.add(relationshipKey(link));
      draft.relationships.push(link);
      if (!fresh.has(link.fromId) && !fresh.has(link.toId)) draft.mayExist.push(link);
    }
    return kept;
  }

  /**
   * A hand edit of one record (updateEntity), inside its transaction: a move through a gate, and
   * what may not change outside a sync. Writes the exception Risk when one is recorded.
   */
  async applyToPatch(tx: Tx, existing: EntityRow, changed: Record<string, unknown>, audit: AuditLog, now: string): Promise<void> {
    if (existing.type === 'VendorAssessment' && 'findings' in changed) {
      throw badUserInput('A vendor assessment\'s findings change through recordVendorAssessment or syncInventory, which turn them into risks', [{ path: 'patch.fields.findings', message: 'cannot be patched' }]);
    }
    if (existing.type === 'GateApproval') {
      if ('stage' in changed) throw badUserInput('An approval\'s stage does not change: record a new approval for the other gate', [{ path: 'patch.fields.stage', message: 'cannot be patched' }]);
      const problems: InputProblem[] = [];
      checkApprovalFields({ ...existing, ...changed }, 'patch.fields', problems);
      if (problems.length > 0) throw badUserInput(`Invalid approval: ${problems[0].path}: ${problems[0].message}`, problems);
    }
    if (!(GATED_TYPES as readonly string[]).includes(existing.type) || !('lifecycleStage' in changed) || this.enforcement === 'off') return;
    const from = stageOf(existing);
    const to = changed.lifecycleStage as LifecycleStage | null;
    const gate = gateCrossed(from, to);
    if (!gate || passes((await approvalsOf(tx, [existing.id])).get(existing.id) ?? [], gate)) return;
    const move = { type: existing.type, name: String(changed.name ?? existing.name), externalId: existing.externalId, id: existing.id, from, to: to!, gate };
    if (this.enforcement === 'refuse') throw badUserInput(refusal(move), [{ path: 'patch.fields.lifecycleStage', message: `needs an approval of the ${gate} gate` }]);
    const risk = exceptionRisk(move, now, this.access.actor);
    const key = entityKey('Risk', existing.source, risk.externalId);
    const [stored] = await repo.findByKeys(tx, [key], { retired: true });
    const change = planEntityChange('Risk', existing.source, risk.externalId, stored && !stored.retired ? risk.desired : { ...risk.initial, ...risk.desired }, stored);
    const row = { ...change.row, properties: storableProperties(change.row.properties) };
    if (change.outcome === 'created') await (stored ? repo.reviveEntities(tx, [row], now) : repo.createEntities(tx, [row], now));
    else if (change.outcome === 'updated') await repo.updateEntities(tx, [row], now);
    if (change.outcome !== 'unchanged') audit.entity(change.outcome === 'created' ? 'CREATE' : 'UPDATE', change.row.id, 'Risk', change.changes);
    const link = { fromId: change.row.id, type: 'THREATENS' as const, toId: existing.id };
    if ((await repo.relationshipsBetween(tx, [link])).size === 0) {
      await repo.createRelationships(tx, [{ ...link, source: existing.source, properties: {} }], now);
      audit.link('LINK', link, 'Risk', {});
    }
  }

  /** Links that only a sync writes, with their start record (see ONE_EACH). */
  checkLink(type: RelationshipType): void {
    if (PROGRAMME_RELATIONSHIPS.includes(type)) {
      throw badUserInput(`${type} is written with its ${type.startsWith('APPROV') ? 'GateApproval' : 'VendorAssessment'} through ${type.startsWith('APPROV') ? 'recordGateApproval' : 'recordVendorAssessment'} or syncInventory, where its rules are checked`, [{ path: 'type', message: 'not linked by hand' }]);
    }
  }
}

/** The live approvals of records, by record id. */
async function approvalsOf(tx: Tx, ids: string[]): Promise<Map<string, ApprovalFacts[]>> {
  const rows = await tx.run<{ subjectId: string; approval: Record<string, unknown> & { id: string } }>('gates/findApprovalsOf', { ids });
  const byRecord = new Map<string, ApprovalFacts[]>();
  for (const row of rows) byRecord.set(row.subjectId, [...(byRecord.get(row.subjectId) ?? []), approvalFacts(row.approval.id, row.approval)]);
  return byRecord;
}

interface Move {
  type: EntityType;
  name: string;
  externalId: string;
  id: string;
  from: LifecycleStage | null;
  to: LifecycleStage;
  gate: LifecycleStage;
}

const refusal = (move: Move) =>
  `moving ${move.type} "${move.name}" from ${move.from ?? 'no stage'} to ${move.to} crosses the ${move.gate} gate without an APPROVED or CONDITIONAL approval of stage ${move.gate} (GATE_ENFORCEMENT=refuse): record one first (recordGateApproval), or send it in the same call`;

function exceptionRisk(move: Move, at: string, actor: string): DerivedRisk {
  return {
    externalId: exceptionExternalId(move.externalId, move.gate),
    desired: {
      name: `Gate exception: ${move.name} past ${move.gate} without approval`.slice(0, 512),
      description: `${move.type} "${move.name}" moved from ${move.from ?? 'no stage'} to ${move.to} at ${at} (by ${actor}) without an APPROVED or CONDITIONAL approval of the ${move.gate} gate; let through because GATE_ENFORCEMENT=record.`,
      status: 'IDENTIFIED',
    },
    initial: { tags: [EXCEPTION_TAG, `gate:${move.gate}`] },
    threatens: move.id,
  };
}
