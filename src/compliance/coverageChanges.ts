import type { EntityRow } from '../estate/model';
import type { CoverageChangeReason } from '../generated/graphql';
import { coverageStatus } from './coverage';
import type { CoverageControlRow, CoverageStatus, RequirementRow, ScopedRequirementRow } from './model';

export type { CoverageChangeReason };

/** One difference in what a requirement's status is decided from. */
export interface CoverageChangeCause {
  reason: CoverageChangeReason;
  control: EntityRow | null;
  evidence: (EntityRow & { expired: boolean }) | null;
  before: string | null;
  after: string | null;
}

export interface CoverageChange {
  requirement: RequirementRow;
  before: CoverageStatus;
  after: CoverageStatus;
  causes: CoverageChangeCause[];
}

type Rows = Pick<ScopedRequirementRow, 'requirement' | 'notApplicable' | 'controls'>;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const cause = (reason: CoverageChangeReason, control: EntityRow | null, extra: Partial<CoverageChangeCause> = {}): CoverageChangeCause => ({
  reason,
  control,
  evidence: null,
  before: null,
  after: null,
  ...extra,
});

/** What changed in one control's claim between the two instants, evidence by evidence. */
function claimCauses(before: CoverageControlRow, after: CoverageControlRow): CoverageChangeCause[] {
  const causes: CoverageChangeCause[] = [];
  const { control } = after;
  if (before.coverage !== after.coverage) causes.push(cause('COVERAGE_CHANGED', control, { before: before.coverage, after: after.coverage }));
  if (before.control.implementationStatus !== after.control.implementationStatus) {
    causes.push(cause('CONTROL_STATUS_CHANGED', control, { before: text(before.control.implementationStatus), after: text(after.control.implementationStatus) }));
  }
  const earlier = new Map(before.evidence.map((evidence) => [evidence.id, evidence]));
  const later = new Map(after.evidence.map((evidence) => [evidence.id, evidence]));
  for (const evidence of after.evidence) {
    const was = earlier.get(evidence.id);
    if (!was) causes.push(cause('EVIDENCE_ADDED', control, { evidence, after: text(evidence.expiresAt) }));
    else if (!was.expired && evidence.expired) causes.push(cause('EVIDENCE_EXPIRED', control, { evidence, before: text(was.expiresAt), after: text(evidence.expiresAt) }));
    else if (was.expired && !evidence.expired) causes.push(cause('EVIDENCE_RENEWED', control, { evidence, before: text(was.expiresAt), after: text(evidence.expiresAt) }));
  }
  for (const evidence of before.evidence) {
    if (!later.has(evidence.id)) causes.push(cause('EVIDENCE_REMOVED', control, { evidence, before: text(evidence.expiresAt) }));
  }
  return causes;
}

/** Every difference in a requirement's inputs: claims (in the later map's control order, then the withdrawn ones), then its declaration. */
function causesOf(before: Rows | undefined, after: Rows | undefined): CoverageChangeCause[] {
  const causes: CoverageChangeCause[] = [];
  const earlier = new Map((before?.controls ?? []).map((claim) => [claim.control.id, claim]));
  const later = new Set((after?.controls ?? []).map((claim) => claim.control.id));
  for (const claim of after?.controls ?? []) {
    const was = earlier.get(claim.control.id);
    if (was) causes.push(...claimCauses(was, claim));
    else causes.push(cause('CLAIM_ADDED', claim.control, { after: claim.coverage }));
  }
  for (const claim of before?.controls ?? []) {
    if (!later.has(claim.control.id)) causes.push(cause('CLAIM_WITHDRAWN', claim.control, { before: claim.coverage }));
  }
  // A declaration replaced by another changes no status, so only one's arrival or end is a cause.
  const declaredBefore = before?.notApplicable ?? null;
  const declaredAfter = after?.notApplicable ?? null;
  if (!declaredBefore && declaredAfter) causes.push(cause('DECLARED_NOT_APPLICABLE', null, { after: declaredAfter.rationale }));
  if (declaredBefore && !declaredAfter) causes.push(cause('NOT_APPLICABLE_WITHDRAWN', null, { before: declaredBefore.rationale }));
  return causes;
}

/**
 * The requirements whose status differs between two coverage maps' rows (each the map as it stood
 * at one instant), in catalogue order, each with both statuses and every difference in what they
 * were decided from. A requirement in only one map (a scope that grew or shrank) is a GAP in the
 * other, as it would be with nothing claiming it.
 */
export function diffCoverage(before: Rows[], after: Rows[]): CoverageChange[] {
  const earlier = new Map(before.map((row) => [row.requirement.key, row]));
  const later = new Map(after.map((row) => [row.requirement.key, row]));
  const requirements = [...after, ...before.filter((row) => !later.has(row.requirement.key))]
    .map((row) => row.requirement)
    .sort((a, b) => (a.framework === b.framework ? a.order - b.order : a.framework < b.framework ? -1 : 1));
  const changes: CoverageChange[] = [];
  for (const requirement of requirements) {
    const was = earlier.get(requirement.key);
    const is = later.get(requirement.key);
    const statusBefore: CoverageStatus = was ? coverageStatus(was) : 'GAP';
    const statusAfter: CoverageStatus = is ? coverageStatus(is) : 'GAP';
    if (statusBefore !== statusAfter) changes.push({ requirement, before: statusBefore, after: statusAfter, causes: causesOf(was, is) });
  }
  return changes;
}
