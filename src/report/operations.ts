import type { CoverageStatus, EvidenceKind, IncidentStatus, Rating, RiskCategory, RiskStatus } from '../generated/graphql';

/**
 * Every GraphQL operation the quarterly report sends, with the shape of its answer. The report is a
 * client of the API like any other: it asks through the schema with its caller's context, so roles,
 * query costs and asOf bounds hold for it as for anyone. test/unit/reportOperations.test.ts
 * validates each against the schema.
 */

const NAMED = 'id name source';

/** The quarter's figures from the posture summary: the register, the open incidents, coverage per framework. */
export const REPORT_POSTURE = `query ReportPosture($asOf: DateTime) {
  postureSummary(asOf: $asOf) {
    generatedAt asOf
    assetsByRiskTier { tier count }
    openRisks { ${NAMED} category likelihood impact inherentScore residualScore status owners { name } }
    openIncidents { ${NAMED} severity status detectedAt owners { name } }
    coverage { framework { key name version } total counts { status count percent } }
  }
}`;

/**
 * Open risks and incidents at one instant, as the posture counts them (risks not CLOSED, incidents
 * not RESOLVED or CLOSED): all less the closed ones, so that a record without a status counts as
 * open in both.
 */
export const REPORT_TREND_POINT = `query ReportTrendPoint($asOf: DateTime) {
  risks(first: 1, asOf: $asOf) { totalCount }
  closedRisks: risks(filter: { status: ["CLOSED"] }, first: 1, asOf: $asOf) { totalCount }
  incidents(first: 1, asOf: $asOf) { totalCount }
  closedIncidents: incidents(filter: { status: ["RESOLVED", "CLOSED"] }, first: 1, asOf: $asOf) { totalCount }
}`;

/** Every evidence record, a page at a time: which ones had expired is decided at the report's instant. */
export const REPORT_EVIDENCE = `query ReportEvidence($asOf: DateTime, $first: Int!, $after: String) {
  evidence(first: $first, after: $after, asOf: $asOf) {
    pageInfo { hasNextPage endCursor }
    nodes { ${NAMED} kind expiresAt supports { name } owners { name } }
  }
}`;

export const REPORT_OPERATIONS = { REPORT_POSTURE, REPORT_TREND_POINT, REPORT_EVIDENCE } as const;

export interface OwnerName {
  name: string;
}

export interface RiskRow {
  id: string;
  name: string;
  source: string;
  category: RiskCategory | null;
  likelihood: number | null;
  impact: number | null;
  inherentScore: number | null;
  residualScore: number | null;
  status: RiskStatus | null;
  owners: OwnerName[];
}

export interface IncidentRow {
  id: string;
  name: string;
  source: string;
  severity: Rating | null;
  status: IncidentStatus | null;
  detectedAt: string | null;
  owners: OwnerName[];
}

export interface FrameworkCoverageRow {
  framework: { key: string; name: string; version: string };
  total: number;
  counts: Array<{ status: CoverageStatus; count: number; percent: number }>;
}

export interface PostureData {
  postureSummary: {
    generatedAt: string;
    asOf: string | null;
    assetsByRiskTier: Array<{ tier: string; count: number }>;
    openRisks: RiskRow[];
    openIncidents: IncidentRow[];
    coverage: FrameworkCoverageRow[];
  };
}

export interface TrendPointData {
  risks: { totalCount: number };
  closedRisks: { totalCount: number };
  incidents: { totalCount: number };
  closedIncidents: { totalCount: number };
}

export interface EvidenceRow {
  id: string;
  name: string;
  source: string;
  kind: EvidenceKind | null;
  expiresAt: string | null;
  supports: Array<{ name: string }>;
  owners: OwnerName[];
}

export interface EvidenceData {
  evidence: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: EvidenceRow[] };
}
