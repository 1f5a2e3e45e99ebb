import type { Rating } from '../generated/graphql';
import type { EvidenceRow, FrameworkCoverageRow, IncidentRow, RiskRow, TrendPointData } from './operations';
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
 * The response targets the report holds open incidents to, by severity (unrated: MEDIUM's): closed
 * within so many days of detection. They are the report's documented rule, not a field of the
 * graph: a board asks how many incidents run late, and the graph records when each was detected.
 */
export const CLOSE_TARGET_DAYS: Record<Rating, number> = { CRITICAL: 14, HIGH: 30, MEDIUM: 60, LOW: 90 };

export interface OpenIncident extends IncidentRow {
  /** Whole days from detection to the report's instant; null when the detection time is unknown. */
  daysOpen: number | null;
  /** When it should have been closed by its severity's target; null when the detection time is unknown. */
  closeBy: string | null;
  /** Whether closeBy had gone by at the report's instant: the incident runs late. */
  pastTarget: boolean;
  /** Whole days past closeBy (0 within the target, or when the detection time is unknown). */
  daysPastTarget: number;
}

const DAY_MS = 86_400_000;

/** Open incidents with their targets: those furthest past their target first, then the longest open. */
export function openIncidents(rows: readonly IncidentRow[], instant: Date): OpenIncident[] {
  return rows
    .map((row) => {
      if (row.detectedAt === null) return { ...row, daysOpen: null, closeBy: null, pastTarget: false, daysPastTarget: 0 };
      const detected = Date.parse(row.detectedAt);
      const closeBy = detected + CLOSE_TARGET_DAYS[row.severity ?? 'MEDIUM'] * DAY_MS;
      return {
        ...row,
        daysOpen: Math.max(0, Math.floor((instant.getTime() - detected) / DAY_MS)),
        closeBy: new Date(closeBy).toISOString(),
        pastTarget: closeBy < instant.getTime(),
        daysPastTarget: Math.max(0, Math.floor((instant.getTime() - closeBy) / DAY_MS)),
      };
    })
    .sort((a, b) => b.daysPastTarget - a.daysPastTarget || (b.daysOpen ?? -1) - (a.daysOpen ?? -1) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

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
  actions: {
    expiredEvidence: ExpiredEvidence[];
    openIncidents: OpenIncident[];
  };
}
