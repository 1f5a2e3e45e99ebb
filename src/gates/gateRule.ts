import type { InputProblem } from '../errors';
import type { GateOutcome, LifecycleStage } from '../generated/graphql';

/** The gates, in lifecycle order: approval for use, then deployment. */
export const GATE_STAGES: readonly LifecycleStage[] = ['APPROVED', 'DEPLOYED'];

/**
 * The gate a stage lies behind: APPROVED for APPROVED, DEPLOYED for DEPLOYED and MONITORED; none
 * for the stages before the first gate, and none for RETIRED (retiring needs no approval).
 */
export const GATE_OF_STAGE: Readonly<Partial<Record<LifecycleStage, LifecycleStage>>> = { APPROVED: 'APPROVED', DEPLOYED: 'DEPLOYED', MONITORED: 'DEPLOYED' };

/**
 * The gate whose approval a record at a stage must hold not to count as ungated: its stage's gate,
 * or the first gate for a record that has not reached one (it informs decisions before approval).
 * As a map for Cypher (the key '' stands for no stage).
 */
export const REQUIRED_GATE: Readonly<Record<string, LifecycleStage>> = {
  '': 'APPROVED',
  DESIGN: 'APPROVED',
  DATA_SOURCING: 'APPROVED',
  TRAINING: 'APPROVED',
  VALIDATION: 'APPROVED',
  APPROVED: 'APPROVED',
  DEPLOYED: 'DEPLOYED',
  MONITORED: 'DEPLOYED',
  RETIRED: 'DEPLOYED',
};

/** The outcomes that let a record through its gate. */
export const PASSING_OUTCOMES: readonly GateOutcome[] = ['APPROVED', 'CONDITIONAL'];

/** Types whose lifecycleStage is gated. */
export const GATED_TYPES = ['AIModel', 'Agent'] as const;

/** The gate a move from one stage to another crosses, or null when it crosses none. */
export function gateCrossed(from: LifecycleStage | null | undefined, to: LifecycleStage | null | undefined): LifecycleStage | null {
  const gate = to ? GATE_OF_STAGE[to] : undefined;
  if (!gate) return null;
  return (from ? GATE_OF_STAGE[from] : undefined) === gate ? null : gate;
}

export interface ApprovalFacts {
  id: string;
  stage: LifecycleStage | null;
  outcome: GateOutcome | null;
  decidedAt: string | null;
}

/** Whether the latest approval of `gate` (by decidedAt, then id) lets the record through. */
export function passes(approvals: readonly ApprovalFacts[], gate: LifecycleStage): boolean {
  const latest = approvals
    .filter((approval) => approval.stage === gate)
    .sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? '') || a.id.localeCompare(b.id))
    .at(-1);
  return latest !== undefined && latest.outcome !== null && PASSING_OUTCOMES.includes(latest.outcome);
}

/** An approval's fields as they will stand (stored merged with the write): what every approval must say. */
export function checkApprovalFields(approval: Record<string, unknown>, path: string, problems: InputProblem[]): void {
  const stage = approval.stage as LifecycleStage | null | undefined;
  if (!stage) problems.push({ path: `${path}.stage`, message: `is required: the gate, one of ${GATE_STAGES.join(', ')}` });
  else if (!GATE_STAGES.includes(stage)) problems.push({ path: `${path}.stage`, message: `${stage} is not a gated stage; the gates are ${GATE_STAGES.join(', ')}` });
  if (!approval.outcome) problems.push({ path: `${path}.outcome`, message: 'is required: APPROVED, REJECTED or CONDITIONAL' });
  if (!approval.decidedAt) problems.push({ path: `${path}.decidedAt`, message: 'is required: when the approver decided' });
  if (approval.outcome === 'CONDITIONAL') {
    if (!Array.isArray(approval.conditions) || approval.conditions.length === 0) problems.push({ path: `${path}.conditions`, message: 'a CONDITIONAL approval states its conditions' });
    if (!approval.conditionsDueAt) problems.push({ path: `${path}.conditionsDueAt`, message: 'a CONDITIONAL approval has a due date for its conditions' });
  }
}

/** Whether an approver's approvesStages let it decide a gate. */
export const mayApprove = (approvesStages: unknown, stage: LifecycleStage): boolean => Array.isArray(approvesStages) && approvesStages.includes(stage);

/** The deterministic key of the exception Risk of a record's gate. */
export const exceptionExternalId = (recordExternalId: string, gate: LifecycleStage) => `gate-exception-${gate.toLowerCase()}-${recordExternalId}`;

export const EXCEPTION_TAG = 'gate-exception';
