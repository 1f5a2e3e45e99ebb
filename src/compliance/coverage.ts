import type { EntityRow } from '../estate/model';
import type { RiskTier } from '../generated/graphql';
import type { PostureRow } from './complianceRepository';
import { countStatuses, CoverageGroup, CoverageMap, CoverageStatus, FrameworkRow, RISK_TIER_SCOPE, ScopedRequirementRow, StatusCount, TOP_LEVEL_GROUP } from './model';

/**
 * Coverage decisions, pure: what status a requirement has, how a map groups and counts, and the
 * posture summary's figures. The service reads the rows in one query and hands them here.
 */

/**
 * NOT_APPLICABLE when an active declaration says so; SATISFIED when some IMPLEMENTED control claims
 * FULL coverage and has at least one piece of unexpired evidence (no expiry = unexpired); PARTIAL
 * when any control claims it otherwise; GAP when none does.
 */
export function coverageStatus({ notApplicable, controls }: Pick<ScopedRequirementRow, 'notApplicable' | 'controls'>): CoverageStatus {
  if (notApplicable) return 'NOT_APPLICABLE';
  const satisfied = controls.some(
    (claim) => claim.coverage === 'FULL' && claim.control.implementationStatus === 'IMPLEMENTED' && claim.evidence.some((evidence) => !evidence.expired),
  );
  if (satisfied) return 'SATISFIED';
  return controls.length > 0 ? 'PARTIAL' : 'GAP';
}

/** The risk tier a map is scoped to, as applied: only a tier the framework defines a scope for. */
export const appliedRiskTier = (frameworkKey: string, tier: RiskTier | null): RiskTier | null => (tier && RISK_TIER_SCOPE[frameworkKey]?.[tier] ? tier : null);

/**
 * A coverage map from the rows its one query returned: each requirement's status, its group (its
 * top-level ancestor, or a label for its kind when it has none), and counts per group and overall.
 */
export function buildCoverageMap(framework: FrameworkRow, rows: ScopedRequirementRow[], assetId: string | null, riskTier: RiskTier | null, now: string, asOf: string | null = null): CoverageMap {
  const groups = new Map<string, CoverageGroup & { statuses: CoverageStatus[] }>();
  const items = rows.map(({ top, ...row }) => {
    const status = coverageStatus(row);
    const selfTop = !top || top.identifier === row.requirement.identifier;
    const identifier = selfTop ? (TOP_LEVEL_GROUP[row.requirement.kind] ?? framework.name) : top.identifier;
    const group = groups.get(identifier) ?? { identifier, title: selfTop ? null : top.title, total: 0, counts: [], statuses: [] };
    group.statuses.push(status);
    groups.set(identifier, group);
    return { ...row, status, group: identifier };
  });
  return {
    framework,
    assetId,
    riskTier,
    generatedAt: now,
    asOf,
    total: items.length,
    counts: countStatuses(items.map((item) => item.status)),
    groups: [...groups.values()].map(({ statuses, ...group }) => ({ ...group, total: statuses.length, counts: countStatuses(statuses) })),
    items,
  };
}

/** Bands of a risk's score (residual, else inherent), highest first: a score falls in the first band whose floor it reaches. */
export const RISK_BANDS: ReadonlyArray<readonly [string, number]> = [
  ['CRITICAL', 16],
  ['HIGH', 10],
  ['MEDIUM', 5],
  ['LOW', 0],
];

export function riskBand(risk: EntityRow): string {
  const score = Number(risk.residualScore ?? risk.inherentScore ?? 0);
  return RISK_BANDS.find(([, floor]) => score >= floor)?.[0] ?? 'LOW';
}

const TIER_ORDER = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL', 'UNCLASSIFIED'];

export interface PostureSummary {
  generatedAt: string;
  asOf: string | null;
  assetsByRiskTier: Array<{ tier: string; count: number }>;
  openRisks: EntityRow[];
  openRisksByBand: Array<{ band: string; count: number }>;
  openIncidents: EntityRow[];
  coverage: Array<{ framework: FrameworkRow; total: number; counts: StatusCount[] }>;
}

/** The board report's figures, from the posture query and the coverage rows of every framework. */
export function summarisePosture(frameworks: FrameworkRow[], posture: PostureRow, rows: ScopedRequirementRow[], now: string, asOf: string | null = null): PostureSummary {
  const tierCounts = new Map<string, number>();
  for (const tier of posture.tiers) tierCounts.set(tier, (tierCounts.get(tier) ?? 0) + 1);
  const bands = posture.openRisks.map(riskBand);
  return {
    generatedAt: now,
    asOf,
    assetsByRiskTier: TIER_ORDER.map((tier) => ({ tier, count: tierCounts.get(tier) ?? 0 })),
    openRisks: posture.openRisks,
    openRisksByBand: RISK_BANDS.map(([band]) => ({ band, count: bands.filter((value) => value === band).length })),
    openIncidents: posture.openIncidents,
    coverage: frameworks.map((framework) => {
      const statuses = rows.filter((row) => row.requirement.framework === framework.key).map(coverageStatus);
      return { framework, total: statuses.length, counts: countStatuses(statuses) };
    }),
  };
}
