import type { DerivedRisk } from '../gates/writeRules';
import { INPUT_LIMITS } from '../inputLimits';

export const FINDING_TAG = 'vendor-finding';

/** The key of the Risk of an assessment's n-th finding (1-based): a finding is known by its place. */
export const findingExternalId = (assessmentExternalId: string, n: number) => `${assessmentExternalId}-finding-${n}`.slice(-INPUT_LIMITS.name);

/**
 * The Risks an assessment's findings become, each THREATENING the vendor: one per finding, named by
 * it; a finding dropped since the stored state closes its Risk (which stays, with its history).
 */
export function findingRisks(assessmentExternalId: string, after: Record<string, unknown>, before: Record<string, unknown> | undefined, vendorId: string): DerivedRisk[] {
  const findings = (after.findings as string[] | null | undefined) ?? [];
  const earlier = (before?.findings as string[] | null | undefined) ?? [];
  const assessedOn = after.assessedAt ? new Date(String(after.assessedAt)).toISOString().slice(0, 10) : 'an undated review';
  const risks: DerivedRisk[] = findings.map((finding, index) => ({
    externalId: findingExternalId(assessmentExternalId, index + 1),
    desired: {
      name: finding.trim() || `Finding ${index + 1}`,
      description: `Finding ${index + 1} of the vendor review "${String(after.name)}" (${assessedOn}).`,
      category: 'THIRD_PARTY',
    },
    initial: { status: 'IDENTIFIED', tags: [FINDING_TAG] },
    threatens: vendorId,
  }));
  for (let index = findings.length; index < earlier.length; index += 1) {
    risks.push({ externalId: findingExternalId(assessmentExternalId, index + 1), desired: { status: 'CLOSED' }, initial: {}, existingOnly: true, threatens: vendorId });
  }
  return risks;
}
