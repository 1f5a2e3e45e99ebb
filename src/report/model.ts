import type { Rating } from '../generated/graphql';
import type { EvidenceRow, FrameworkCoverageRow, GatedSubject, IncidentMetricsRow, IncidentRow, NamedRecord, ProgrammeData, RiskRow, ShadowAIRow, TrendPointData, VendorReviewRow } from './operations';
import type { Quarter } from './quarter';

/**
 * The quarterly posture report as data, decided by pure functions from what the API answered; the
 * renderers (html.ts, markdown.ts) only lay it out, so every format tells the same figures.
 */

export const SCALE = [1, 2, 3, 4, 5] as const;

/** The register's bands by score, as the posture summary's openRisksByBand draws them. */
export type Band = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export const band = (score: number): Band => (score >= 16 ? 'CRITICAL' : score >= 10 ? 'HIGH' : score >= 5 ? 'MEDIUM' : 'LOW');

export interface HeatMap {
  /** cells[likelihood - 1][impact - 1]: open risks rated so. */
  cells: number[][];
  /** Open risks without a likelihood or an impact on the 1-5 scale: not on the map, counted beside it. */
  unscored: number;
}

/** Open risks by likelihood × impact (as rated before treatment: what the register records). */
export function heatMap(risks: readonly Pick<RiskRow, 'likelihood' | 'impact'>[]): HeatMap {
  const cells = SCALE.map(() => SCALE.map(() => 0));
  let unscored = 0;
  const onScale = (value: number | null): value is number => value !== null && Number.isInteger(value) && value >= 1 && value <= 5;
  for (const { likelihood, impact } of risks) {
    if (onScale(likelihood) && onScale(impact)) cells[likelihood - 1][impact - 1] += 1;
    else unscored += 1;
  }
  return { cells, unscored };
}

export interface TrendPoint {
  quarter: string;
  /** The instant counted: the quarter's last millisecond, or the report's instant for a running quarter. */
  at: string;
  openRisks: number;
  openIncidents: number;
}

export const trendPoint = (quarter: Quarter, at: Date, data: TrendPointData): TrendPoint => ({
  quarter: quarter.label,
  at: at.toISOString(),
  openRisks: data.risks.totalCount - data.closedRisks.totalCount,
  openIncidents: data.incidents.totalCount - data.closedIncidents.totalCount,
});

export interface ExpiredEvidence extends EvidenceRow {
  expiresAt: string;
}

/** Evidence whose expiry had passed at the instant, longest expired first. */
export function expiredEvidence(rows: readonly EvidenceRow[], instant: Date): ExpiredEvidence[] {
  return rows
    .filter((row): row is ExpiredEvidence => row.expiresAt !== null && Date.parse(row.expiresAt) <= instant.getTime())
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * The response targets the report holds open incidents to, by severity (unrated: as MEDIUM):
 * contained within so many hours of detection, closed within so many days. They are the report's
 * documented rule, not a field of the graph: a board asks how many incidents run late, and the
 * graph records when each was detected and contained.
 */
export const INCIDENT_TARGETS: Record<Rating, { containHours: number; closeDays: number }> = {
  CRITICAL: { containHours: 24, closeDays: 14 },
  HIGH: { containHours: 72, closeDays: 30 },
  MEDIUM: { containHours: 168, closeDays: 60 },
  LOW: { containHours: 336, closeDays: 90 },
};

export type IncidentTarget = 'containment' | 'closure';

export interface OpenIncident extends IncidentRow {
  /** Whole days from detection to the report's instant; null when the detection time is unknown. */
  daysOpen: number | null;
  /** When it should have been contained by its severity's target; null when the detection time is unknown. */
  containBy: string | null;
  /** When it should have been closed by its severity's target; null when the detection time is unknown. */
  closeBy: string | null;
  /** The targets gone by at the report's instant: containment while not contained, closure. */
  lateOn: IncidentTarget[];
  pastTarget: boolean;
  /** Whole days past the earliest target missed (0 within its targets, or when the detection time is unknown). */
  daysPastTarget: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Open incidents with their targets: those furthest past a target first, then the longest open. */
export function openIncidents(rows: readonly IncidentRow[], instant: Date): OpenIncident[] {
  const at = instant.getTime();
  return rows
    .map((row): OpenIncident => {
      if (row.detectedAt === null) return { ...row, daysOpen: null, containBy: null, closeBy: null, lateOn: [], pastTarget: false, daysPastTarget: 0 };
      const detected = Date.parse(row.detectedAt);
      const target = INCIDENT_TARGETS[row.severity ?? 'MEDIUM'];
      const containBy = detected + target.containHours * HOUR_MS;
      const closeBy = detected + target.closeDays * DAY_MS;
      // Contained after the instant read counts as not contained then (an asOf read shows the later value only when it was known).
      const contained = row.containedAt !== null && Date.parse(row.containedAt) <= at;
      const missed: Array<[IncidentTarget, number]> = [];
      if (!contained && containBy < at) missed.push(['containment', containBy]);
      if (closeBy < at) missed.push(['closure', closeBy]);
      return {
        ...row,
        daysOpen: Math.max(0, Math.floor((at - detected) / DAY_MS)),
        containBy: new Date(containBy).toISOString(),
        closeBy: new Date(closeBy).toISOString(),
        lateOn: missed.map(([which]) => which),
        pastTarget: missed.length > 0,
        daysPastTarget: missed.length > 0 ? Math.floor((at - Math.min(...missed.map(([, by]) => by))) / DAY_MS) : 0,
      };
    })
    .sort((a, b) => b.daysPastTarget - a.daysPastTarget || Number(b.pastTarget) - Number(a.pastTarget) || (b.daysOpen ?? -1) - (a.daysOpen ?? -1) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** A model or agent that went past a gate without a passing approval, or on conditions not met. */
export interface GateFinding {
  subject: GatedSubject;
  /** Why it is listed, one line each. */
  reasons: string[];
  /** Decisions that rest on it while it has no passing approval. */
  decisions: string[];
}

/**
 * Models and agents without a passing approval behind decisions (exposure), gate exceptions not
 * closed, and conditional approvals past their due date, one row per record, by name.
 */
export function gateFindings(data: Pick<ProgrammeData, 'exposure' | 'gateExceptions' | 'gateConditionsOverdue'>): GateFinding[] {
  const rows = new Map<string, GateFinding>();
  const row = (subject: GatedSubject) => {
    const found = rows.get(subject.id) ?? { subject, reasons: [], decisions: [] };
    rows.set(subject.id, found);
    return found;
  };
  for (const entry of data.exposure.ungatedModels) {
    for (const source of entry.sources) row(source).decisions.push(entry.decision.name);
  }
  for (const found of rows.values()) found.reasons.push(`no passing approval for its stage${found.subject.lifecycleStage ? ` (${found.subject.lifecycleStage})` : ''}`);
  for (const exception of data.gateExceptions) for (const subject of exception.subjects) row(subject).reasons.push(exception.risk.name);
  for (const overdue of data.gateConditionsOverdue) {
    for (const subject of overdue.subjects) row(subject).reasons.push(`conditions of ${overdue.approval.name} ${overdue.daysOverdue} days overdue: ${overdue.conditions.join('; ')}`);
  }
  return [...rows.values()]
    .map((found) => ({ ...found, decisions: [...new Set(found.decisions)].sort() }))
    .sort((a, b) => a.subject.name.localeCompare(b.subject.name) || a.subject.id.localeCompare(b.subject.id));
}

/** The vendor tiers as the report draws them: CRITICAL first, never assessed last, as the API orders them. */
export interface VendorTier {
  /** Null: never assessed. */
  tier: Rating | null;
  vendors: Array<{ review: VendorReviewRow; decisionCount: number; highImpactDecisions: string[] }>;
}

export const vendorTiers = (groups: ProgrammeData['vendorTiers']): VendorTier[] =>
  groups.map((group) => ({ tier: group.tier, vendors: group.vendors.map((entry) => ({ ...entry, highImpactDecisions: entry.highImpactDecisions.map((decision) => decision.name) })) }));

/** Reviews that need action: overdue (or never made), or failed; most overdue first, as the API sorts. */
export const vendorReviewsToAct = (groups: ProgrammeData['vendorTiers']): VendorReviewRow[] =>
  groups
    .flatMap((group) => group.vendors.map((entry) => entry.review))
    .filter((review) => review.overdue || review.failed)
    .sort((a, b) => (b.daysOverdue ?? Infinity) - (a.daysOverdue ?? Infinity) || a.vendor.name.localeCompare(b.vendor.name) || a.vendor.id.localeCompare(b.vendor.id));

/** Risks for the register table: highest score first (residual, else inherent, else likelihood × impact). */
export const riskScore = (risk: Pick<RiskRow, 'residualScore' | 'inherentScore' | 'likelihood' | 'impact'>): number | null =>
  risk.residualScore ?? risk.inherentScore ?? (risk.likelihood !== null && risk.impact !== null ? risk.likelihood * risk.impact : null);

export interface QuarterlyReport {
  quarter: { label: string; start: string; end: string };
  /** The instant the figures describe: the quarter's end, or the moment of the report while it runs. */
  instant: string;
  /** False while the quarter is still running (its figures are today's). */
  closed: boolean;
  generatedAt: string;
  modelsByRiskTier: Array<{ tier: string; count: number }>;
  heatMap: HeatMap;
  openRisks: RiskRow[];
  /** Oldest quarter first, ending with the reported one; quarters before the graph's history are left out. */
  trend: TrendPoint[];
  coverage: FrameworkCoverageRow[];
  vendorTiers: VendorTier[];
  /** Time to contain and to close for incidents detected in the quarter, by category. */
  incidentResponse: IncidentMetricsRow[];
  actions: {
    vendorReviews: VendorReviewRow[];
    gates: GateFinding[];
    expiredEvidence: ExpiredEvidence[];
    openIncidents: OpenIncident[];
    shadowAI: ShadowAIRow[];
    /** The first of them (as the API orders them: by type, then name) and how many there are in all. */
    unownedAssets: { total: number; items: Array<NamedRecord & { __typename: string }> };
  };
}
