import { badUserInput } from '../errors';
import type { EntityRow } from '../estate/model';
import type { SatisfiedRouteRow, ThreatChainRow } from './complianceRepository';
import { INVERSE_MAPPING, MappingType, RequirementRow, SatisfactionCoverage, StepRow } from './model';

/**
 * Crosswalk decisions, pure: how a route reads (direct, hops, the requirements passed through), how
 * a stored mapping reads in the direction of travel, and how a threat chain's rows fit together.
 */

export const MAX_DEPTH = 3;

/** A route's length in mappings, as asked: from `min` to MAX_DEPTH. */
export function checkDepth(depth: number, min: number): number {
  if (!Number.isInteger(depth) || depth < min || depth > MAX_DEPTH) {
    throw badUserInput(`depth must be from ${min} to ${MAX_DEPTH}`, [{ path: 'depth', message: `got ${depth}` }]);
  }
  return depth;
}

/** A related requirement's route: direct when one mapping links them; `viaKeys` in the order passed. */
export function readRoute(steps: StepRow[]): { direct: boolean; hops: number; viaKeys: string[] } {
  return { direct: steps.length === 1, hops: steps.length, viaKeys: steps.slice(0, -1).map((step) => travelled(step).toKey) };
}

/**
 * A stored mapping read in the direction of travel: mappings point one way and a route may travel
 * either way, so a step taken against its mapping swaps its ends and reads its type inverted.
 */
export function travelled(step: StepRow): { fromKey: string; toKey: string; type: MappingType; reversed: boolean } {
  return step.forward
    ? { fromKey: step.fromKey, toKey: step.toKey, type: step.type, reversed: false }
    : { fromKey: step.toKey, toKey: step.fromKey, type: INVERSE_MAPPING[step.type], reversed: true };
}

export interface SatisfactionMatch {
  coverage: SatisfactionCoverage;
  rationale: string | null;
  direct: boolean;
  satisfies: RequirementRow;
  path: StepRow[];
}

/** A claim reached through crosswalks: direct when it is on the asked requirement itself, a route of no mappings. */
export function satisfactionMatch(row: SatisfiedRouteRow): SatisfactionMatch {
  return { coverage: row.coverage, rationale: row.rationale, direct: row.steps.length === 0, satisfies: row.satisfied, path: row.steps };
}

export interface ThreatChain {
  start: RequirementRow;
  techniques: RequirementRow[];
  mitigations: Array<{ mitigation: RequirementRow; addresses: RequirementRow[] }>;
  controls: Array<{ control: EntityRow; implements: RequirementRow[]; protects: EntityRow[]; satisfies: Array<SatisfactionMatch & { requirement: RequirementRow }> }>;
}

/** The chain's rows joined up: the keys a mitigation addresses and a control implements, read as the chain's requirements. */
export function assembleThreatChain(row: ThreatChainRow): ThreatChain {
  const known = new Map<string, RequirementRow>([[row.start.key, row.start], ...row.techniques.map((t) => [t.key, t] as const), ...row.mitigations.map((m) => [m.mitigation.key, m.mitigation] as const)]);
  const chainRequirements = (keys: string[]) => keys.flatMap((key) => known.get(key) ?? []);
  return {
    start: row.start,
    techniques: row.techniques,
    mitigations: row.mitigations.map((m) => ({ mitigation: m.mitigation, addresses: chainRequirements(m.addresses) })),
    controls: row.controls.map((c) => ({
      control: c.control,
      implements: chainRequirements(c.implements.map((item) => item.key)),
      protects: c.assets,
      satisfies: c.requirements.map((r) => ({ requirement: r.requirement, coverage: r.coverage, rationale: r.rationale, direct: true, satisfies: r.requirement, path: [] })),
    })),
  };
}
