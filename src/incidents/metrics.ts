import type { RiskCategory } from '../generated/graphql';

/** An incident's times as the metrics read them (ISO instants; closedAt falls back to resolvedAt). */
export interface IncidentTimesRow {
  category: RiskCategory | null;
  detectedAt: string;
  containedAt: string | null;
  closedAt: string | null;
}

export interface IncidentMetrics {
  category: RiskCategory | null;
  quarter: string;
  incidents: number;
  uncontained: number;
  open: number;
  meanHoursToContain: number | null;
  medianHoursToContain: number | null;
  maxHoursToContain: number | null;
  meanHoursToClose: number | null;
  medianHoursToClose: number | null;
  maxHoursToClose: number | null;
}

/** The calendar quarter of an instant, in UTC: 2026-Q4. */
export const quarterOf = (iso: string): string => {
  const date = new Date(iso);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
};

const HOUR_MS = 3_600_000;
const round = (hours: number) => Math.round(hours * 100) / 100;

function summary(hours: number[]): { mean: number | null; median: number | null; max: number | null } {
  if (hours.length === 0) return { mean: null, median: null, max: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { mean: round(sorted.reduce((total, value) => total + value, 0) / sorted.length), median: round(median), max: round(sorted[sorted.length - 1]) };
}

/**
 * Time to contain and to close per category and quarter of detection, as known at `at` (ms): an
 * incident detected after it is not counted, a time after it has not happened yet. A time before
 * detection (a data error) counts the incident as contained or closed but gives no duration.
 * Quarters oldest first, then categories by name, uncategorised last.
 */
export function incidentMetrics(rows: IncidentTimesRow[], at: number): IncidentMetrics[] {
  const groups = new Map<string, { category: RiskCategory | null; quarter: string; rows: IncidentTimesRow[] }>();
  for (const row of rows) {
    const detected = Date.parse(row.detectedAt);
    if (Number.isNaN(detected) || detected > at) continue;
    const quarter = quarterOf(row.detectedAt);
    const key = `${quarter}|${row.category ?? ''}`;
    const group = groups.get(key) ?? { category: row.category ?? null, quarter, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const hoursTo = (group: IncidentTimesRow[], field: 'containedAt' | 'closedAt') => {
    const reached = group.filter((row) => row[field] !== null && Date.parse(row[field]!) <= at);
    const hours = reached.map((row) => (Date.parse(row[field]!) - Date.parse(row.detectedAt)) / HOUR_MS).filter((value) => value >= 0);
    return { pending: group.length - reached.length, ...summary(hours) };
  };
  return [...groups.values()]
    .sort((a, b) => (a.quarter !== b.quarter ? (a.quarter < b.quarter ? -1 : 1) : a.category === b.category ? 0 : a.category === null ? 1 : b.category === null ? -1 : a.category < b.category ? -1 : 1))
    .map(({ category, quarter, rows: group }) => {
      const contain = hoursTo(group, 'containedAt');
      const close = hoursTo(group, 'closedAt');
      return {
        category,
        quarter,
        incidents: group.length,
        uncontained: contain.pending,
        open: close.pending,
        meanHoursToContain: contain.mean,
        medianHoursToContain: contain.median,
        maxHoursToContain: contain.max,
        meanHoursToClose: close.mean,
        medianHoursToClose: close.median,
        maxHoursToClose: close.max,
      };
    });
}
