import type { EntityRow } from '../estate/model';
import type { SoaImplementation, SoaJustificationSource } from '../generated/graphql';
import { coverageStatus } from './coverage';
import type { CoverageStatus, FrameworkRow, RequirementRow, SatisfactionCoverage, ScopedRequirementRow } from './model';

export type { SoaImplementation, SoaJustificationSource };

/**
 * The Statement of Applicability, decided without a database: from a framework's coverage rows
 * (its controls, with the claims, evidence and owners their status is decided from) and the
 * applicability decisions and treated risks read beside them.
 */

export const SOA_IMPLEMENTATIONS: readonly SoaImplementation[] = ['IMPLEMENTED', 'PARTIALLY_IMPLEMENTED', 'NOT_IMPLEMENTED', 'EXCLUDED'];

const IMPLEMENTATION: Record<CoverageStatus, SoaImplementation> = {
  SATISFIED: 'IMPLEMENTED',
  PARTIAL: 'PARTIALLY_IMPLEMENTED',
  GAP: 'NOT_IMPLEMENTED',
  NOT_APPLICABLE: 'EXCLUDED',
};

/** A decision as findSoaContext returns it: an Applicability node read through its relationship's type. */
export interface SoaDecisionRow {
  id: string;
  included: boolean;
  justification: string | null;
  decidedBy: string;
  decidedAt: string;
  endedAt: string | null;
  endedBy: string | null;
}

export interface SoaContextRow {
  decisions: Array<{ key: string; decisions: SoaDecisionRow[] }>;
  risks: Array<{ controlId: string; risks: EntityRow[] }>;
}

export interface SoaImplementingControl {
  control: EntityRow;
  coverage: SatisfactionCoverage;
  rationale: string | null;
  evidence: EntityRow[];
  owners: EntityRow[];
}

export interface SoaEntry {
  requirement: RequirementRow;
  /** The key of its control objective (its parent), when it has one. */
  objectiveKey: string | null;
  included: boolean;
  justification: string;
  justificationSource: SoaJustificationSource;
  implementation: SoaImplementation;
  implementedBy: SoaImplementingControl[];
  risks: EntityRow[];
  owners: EntityRow[];
  decision: SoaDecisionRow | null;
  decisions: SoaDecisionRow[];
}

export interface StatementOfApplicability {
  framework: FrameworkRow;
  generatedAt: string;
  asOf: string | null;
  total: number;
  included: number;
  excluded: number;
  counts: Array<{ implementation: SoaImplementation; count: number }>;
  entries: SoaEntry[];
}

/** Each record once, in the order first met. */
const distinct = (rows: EntityRow[]): EntityRow[] => [...new Map(rows.map((row) => [row.id, row])).values()];

export const DEFAULT_INCLUSION = 'Included by default: not excluded, and no risk treatment or implementing control links it yet.';

/**
 * Why a control is in or out. An exclusion's reason is the one its decision states (required when
 * it was made). An inclusion's is the stated one, else the risks its controls treat (the answer
 * ISO/IEC 42001 6.1.3 expects: controls follow from risk treatment; closed risks left out), else its
 * claims' rationales, else the default, said as such.
 */
export function justify(
  excluded: SoaDecisionRow | null,
  included: SoaDecisionRow | null,
  risks: EntityRow[],
  claims: Array<{ control: EntityRow; rationale: string | null }>,
): { justification: string; source: SoaJustificationSource } {
  if (excluded) return { justification: excluded.justification ?? '', source: 'STATED' };
  if (included?.justification) return { justification: included.justification, source: 'STATED' };
  // A closed risk no longer calls for treatment; it stays listed among the entry's risks.
  const open = risks.filter((risk) => risk.status !== 'CLOSED');
  if (open.length > 0) {
    const named = open.map((risk) => (risk.status ? `${risk.name} (${String(risk.status)})` : risk.name));
    return { justification: `Treats ${open.length === 1 ? 'the risk' : `${open.length} risks`}: ${named.join('; ')}.`, source: 'RISK_TREATMENT' };
  }
  const reasons = claims.filter((claim) => claim.rationale).map((claim) => `${claim.control.name}: ${claim.rationale}`);
  if (reasons.length > 0) return { justification: `Implemented by ${reasons.join('; ')}`, source: 'CLAIMS' };
  return { justification: DEFAULT_INCLUSION, source: 'DEFAULT' };
}

/** The newest decision of a kind still in force (not ended as known at the statement's instant). */
const inForce = (decisions: SoaDecisionRow[], included: boolean): SoaDecisionRow | null =>
  decisions.filter((decision) => decision.included === included && !decision.endedAt).sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt))[0] ?? null;

/**
 * The statement from the coverage rows of a framework's controls and their context. An exclusion
 * in force wins over an inclusion in force (one made by declareNotApplicable after an inclusion):
 * the coverage map shows the control NOT_APPLICABLE, and the statement must say the same.
 */
export function buildStatement(framework: FrameworkRow, rows: ScopedRequirementRow[], context: SoaContextRow, now: string, asOf: string | null): StatementOfApplicability {
  const decisionsByKey = new Map(context.decisions.map((row) => [row.key, row.decisions]));
  const risksByControl = new Map(context.risks.map((row) => [row.controlId, row.risks]));
  const entries = rows.map((row): SoaEntry => {
    const decisions = [...(decisionsByKey.get(row.requirement.key) ?? [])].sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt));
    const excluded = inForce(decisions, false);
    const included = excluded ? null : inForce(decisions, true);
    const risks = distinct(row.controls.flatMap((claim) => risksByControl.get(claim.control.id) ?? []));
    const { justification, source } = justify(excluded, included, risks, row.controls);
    return {
      requirement: row.requirement,
      objectiveKey: row.requirement.parentKeys[0] ?? null,
      included: !excluded,
      justification,
      justificationSource: source,
      // The coverage map's status, from the same rows: the statement cannot disagree with the map.
      implementation: excluded ? 'EXCLUDED' : IMPLEMENTATION[coverageStatus({ notApplicable: null, controls: row.controls })],
      implementedBy: row.controls.map((claim) => ({
        control: claim.control,
        coverage: claim.coverage,
        rationale: claim.rationale,
        evidence: claim.evidence.filter((evidence) => !evidence.expired),
        owners: claim.owners,
      })),
      risks,
      owners: distinct(row.controls.flatMap((claim) => claim.owners)),
      decision: excluded ?? included,
      decisions,
    };
  });
  const excludedCount = entries.filter((entry) => !entry.included).length;
  return {
    framework,
    generatedAt: now,
    asOf,
    total: entries.length,
    included: entries.length - excludedCount,
    excluded: excludedCount,
    counts: SOA_IMPLEMENTATIONS.map((implementation) => ({ implementation, count: entries.filter((entry) => entry.implementation === implementation).length })),
    entries,
  };
}
