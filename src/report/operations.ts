import type { CoverageStatus, DataClassification, EvidenceKind, IncidentStatus, LifecycleStage, Rating, RiskCategory, RiskStatus } from '../generated/graphql';
import type { IncidentMetrics } from '../incidents/metrics';

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
    openIncidents { ${NAMED} category severity status detectedAt containedAt owners { name } }
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

/**
 * The programme's parts at the instant: vendors by tier with what rests on them, models and agents
 * that skipped a gate, shadow AI, assets nobody owns, and incident response times.
 */
export const REPORT_PROGRAMME = `query ReportProgramme($asOf: DateTime, $first: Int!) {
  vendorTiers(asOf: $asOf) {
    tier
    vendors {
      review { vendor { ${NAMED} owners { name } } latest { name assessedAt } tier score failed nextReviewDue overdue daysOverdue }
      decisionCount
      highImpactDecisions { name }
    }
  }
  exposure(asOf: $asOf) {
    ungatedModels { decision { name } sources { ${NAMED} __typename ... on AIModel { lifecycleStage } ... on Agent { lifecycleStage } } }
  }
  gateExceptions(asOf: $asOf) { risk { name } subjects { ${NAMED} __typename } }
  gateConditionsOverdue(asOf: $asOf) { approval { name } subjects { ${NAMED} __typename } conditions dueAt daysOverdue }
  shadowAI(asOf: $asOf) {
    items { ${NAMED} department vendorName userCount firstSeenAt owners { name } touches { name classification containsPersonalData } }
  }
  unownedAssets(first: $first, asOf: $asOf) { total items { ${NAMED} __typename } }
  incidentMetrics(asOf: $asOf) {
    category quarter incidents uncontained open meanHoursToContain medianHoursToContain maxHoursToContain meanHoursToClose medianHoursToClose maxHoursToClose
  }
}`;

export const REPORT_OPERATIONS = { REPORT_POSTURE, REPORT_TREND_POINT, REPORT_EVIDENCE, REPORT_PROGRAMME } as const;

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
  category: RiskCategory | null;
  severity: Rating | null;
  status: IncidentStatus | null;
  detectedAt: string | null;
  containedAt: string | null;
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

export interface NamedRecord {
  id: string;
  name: string;
  source: string;
}

/** A model or agent, with its type and stage (as exposure and the gates answer). */
export interface GatedSubject extends NamedRecord {
  __typename: string;
  lifecycleStage?: LifecycleStage | null;
}

export interface VendorReviewRow {
  vendor: NamedRecord & { owners: OwnerName[] };
  latest: { name: string; assessedAt: string | null } | null;
  tier: Rating | null;
  score: number | null;
  failed: boolean;
  nextReviewDue: string | null;
  overdue: boolean;
  daysOverdue: number | null;
}

export interface ShadowAIRow extends NamedRecord {
  department: string | null;
  vendorName: string | null;
  userCount: number | null;
  firstSeenAt: string | null;
  owners: OwnerName[];
  touches: Array<{ name: string; classification: DataClassification | null; containsPersonalData: boolean | null }>;
}

/** The incident metrics query answers every field of the service's rows. */
export type IncidentMetricsRow = IncidentMetrics;

export interface ProgrammeData {
  vendorTiers: Array<{ tier: Rating | null; vendors: Array<{ review: VendorReviewRow; decisionCount: number; highImpactDecisions: Array<{ name: string }> }> }>;
  exposure: { ungatedModels: Array<{ decision: { name: string }; sources: GatedSubject[] }> };
  gateExceptions: Array<{ risk: { name: string }; subjects: GatedSubject[] }>;
  gateConditionsOverdue: Array<{ approval: { name: string }; subjects: GatedSubject[]; conditions: string[]; dueAt: string; daysOverdue: number }>;
  shadowAI: { items: ShadowAIRow[] };
  unownedAssets: { total: number; items: Array<NamedRecord & { __typename: string }> };
  incidentMetrics: IncidentMetricsRow[];
}
