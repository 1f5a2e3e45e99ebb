import type { EntityRow } from '../estate/model';
import type { AiActCategory, AiActRole, CoverageStatus, MappingType, RequirementKind, RiskTier, SatisfactionCoverage } from '../generated/graphql';

export type { AiActCategory, AiActRole, CoverageStatus, MappingType, RequirementKind, SatisfactionCoverage };

export const MAPPING_TYPES: readonly MappingType[] = ['EQUIVALENT', 'SUBSET_OF', 'SUPERSET_OF', 'INTERSECTS'];
export const REQUIREMENT_KINDS: readonly RequirementKind[] = [
  'CHAPTER', 'SECTION', 'ARTICLE', 'ANNEX', 'FUNCTION', 'CATEGORY', 'SUBCATEGORY', 'CONTROL_GROUP', 'CONTROL', 'RISK', 'TACTIC', 'TECHNIQUE', 'MITIGATION', 'OBLIGATION', 'CLAUSE', 'SUBCLAUSE', 'COMPONENT', 'PERSONA',
];
export const AI_ACT_ROLES: readonly AiActRole[] = ['PROVIDER', 'DEPLOYER', 'IMPORTER', 'DISTRIBUTOR', 'AUTHORISED_REPRESENTATIVE', 'PRODUCT_MANUFACTURER'];
export const AI_ACT_CATEGORIES: readonly AiActCategory[] = ['PROHIBITED', 'HIGH_RISK', 'TRANSPARENCY', 'GPAI', 'GPAI_SYSTEMIC_RISK', 'MINIMAL'];
export const COVERAGE_STATUSES: readonly CoverageStatus[] = ['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'];

/** Read the other way, a subset becomes a superset; equivalence and intersection are symmetric. */
export const INVERSE_MAPPING: Record<MappingType, MappingType> = {
  EQUIVALENT: 'EQUIVALENT',
  SUBSET_OF: 'SUPERSET_OF',
  SUPERSET_OF: 'SUBSET_OF',
  INTERSECTS: 'INTERSECTS',
};

/**
 * The kinds a coverage map assesses. Chapters, sections, functions, categories, control groups and
 * ISO main clauses only group them (their status would merely restate their children's); ATLAS
 * tactics and techniques describe the adversary (an organisation implements mitigations); SAIF's
 * components and personas say where a risk sits and who answers for it.
 */
export const ASSESSABLE_KINDS: readonly RequirementKind[] = ['ARTICLE', 'ANNEX', 'SUBCATEGORY', 'CONTROL', 'RISK', 'MITIGATION', 'SUBCLAUSE'];

/**
 * Which AI Act requirements a risk tier brings into scope: a requirement is in scope when it or one
 * of its ancestors is listed. HIGH follows the brief's reading of the high-risk obligations
 * (Chapter III Sections 2 and 3, Articles 8 to 27); classification (Section 1) and the notified-body
 * and standards sections (4 and 5) address authorities and bodies rather than the organisation.
 */
export const RISK_TIER_SCOPE: Record<string, Partial<Record<RiskTier, string[]>>> = {
  'eu-ai-act': {
    PROHIBITED: ['Chapter II'],
    HIGH: ['Chapter III Section 2', 'Chapter III Section 3'],
    LIMITED: ['Chapter IV'],
    MINIMAL: ['Article 4', 'Article 95'],
  },
};

/** Top-level requirements without a chapter of their own are grouped under a label for their kind. */
export const TOP_LEVEL_GROUP: Partial<Record<RequirementKind, string>> = {
  ANNEX: 'Annexes',
  RISK: 'Risks',
  MITIGATION: 'Mitigations',
  TECHNIQUE: 'Techniques',
  TACTIC: 'Tactics',
};

export const requirementKey = (framework: string, identifier: string) => `${framework}|${identifier}`;

export interface FrameworkRow {
  key: string;
  name: string;
  version: string;
  publisher: string | null;
  url: string | null;
  description: string | null;
  attribution: string | null;
  licence: string | null;
  requirementCount?: number;
  importedFrom?: string | null;
}

export interface RequirementRow {
  key: string;
  framework: string;
  identifier: string;
  kind: RequirementKind;
  title: string;
  summary: string | null;
  officialText: string | null;
  order: number;
  parentKeys: string[];
  /** AI Act obligations only (empty or null elsewhere): whom and what they bind, from when, on what narrower condition. */
  roles?: AiActRole[] | null;
  categories?: AiActCategory[] | null;
  appliesFrom?: string | null;
  bindsOperator?: boolean | null;
  condition?: string | null;
}

export interface MappingRow {
  fromKey: string;
  toKey: string;
  type: MappingType;
  source: string;
  sourceTitle: string | null;
  sourceUrl: string | null;
  rationale: string | null;
}

/** One mapping on a route, as Cypher returns it: `forward` when stored in the direction of travel. */
export interface StepRow {
  fromKey: string;
  toKey: string;
  forward: boolean;
  type: MappingType;
  source: string;
  rationale: string | null;
}

export interface ApplicabilityRow {
  id: string;
  requirementKey: string;
  rationale: string;
  declaredBy: string;
  declaredAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

export interface CoverageControlRow {
  control: EntityRow;
  coverage: SatisfactionCoverage;
  rationale: string | null;
  evidence: Array<EntityRow & { expired: boolean }>;
  owners: EntityRow[];
}

/** A requirement in a coverage map's scope, with what its status is decided from. */
export interface ScopedRequirementRow {
  requirement: RequirementRow;
  notApplicable: ApplicabilityRow | null;
  controls: CoverageControlRow[];
  top: { identifier: string; title: string; kind: RequirementKind } | null;
}

export interface CoverageRow extends ScopedRequirementRow {
  status: CoverageStatus;
}

export interface StatusCount {
  status: CoverageStatus;
  count: number;
  percent: number;
}

export interface CoverageItem extends Omit<CoverageRow, 'top'> {
  group: string;
}

export interface CoverageGroup {
  identifier: string;
  title: string | null;
  total: number;
  counts: StatusCount[];
}

/** A whole coverage map: what the GraphQL field returns and what the exporters render. */
export interface CoverageMap {
  framework: FrameworkRow;
  assetId: string | null;
  riskTier: RiskTier | null;
  /** The AI system an AI Act map is scoped to (src/systems decides what applies to it). */
  systemId?: string | null;
  generatedAt: string;
  /** The instant the map describes when asked as of one; null for now. */
  asOf: string | null;
  total: number;
  counts: StatusCount[];
  groups: CoverageGroup[];
  items: CoverageItem[];
}

/** Counts per status, with percentages of `total` to one decimal, in the fixed status order. */
export function countStatuses(statuses: CoverageStatus[]): StatusCount[] {
  const total = statuses.length;
  return COVERAGE_STATUSES.map((status) => {
    const count = statuses.filter((value) => value === status).length;
    return { status, count, percent: total === 0 ? 0 : Math.round((count / total) * 1000) / 10 };
  });
}
