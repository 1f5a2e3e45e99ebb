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

export interface OpenIncident extends IncidentRow {
  /** Whole days from detection to the report's instant; null when the detection time is unknown. */
  daysOpen: number | null;
}

const DAY_MS = 86_400_000;

/** Open incidents, oldest detection first: the ones that have waited longest lead the list. */
export function openIncidents(rows: readonly IncidentRow[], instant: Date): OpenIncident[] {
  return rows
    .map((row) => ({ ...row, daysOpen: row.detectedAt === null ? null : Math.max(0, Math.floor((instant.getTime() - Date.parse(row.detectedAt)) / DAY_MS)) }))
    .sort((a, b) => (b.daysOpen ?? -1) - (a.daysOpen ?? -1) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
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
