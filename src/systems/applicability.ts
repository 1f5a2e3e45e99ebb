import { coverageStatus } from '../compliance/coverage';
import type { AiActCategory, AiActRole, ApplicabilityRow, CoverageStatus, RequirementRow, ScopedRequirementRow } from '../compliance/model';

/**
 * Which AI Act obligations apply, pure: an obligation binds a system when one of the system's roles
 * and one of its categories are among the obligation's, and applies on a date from its appliesFrom
 * on. The coverage map, a system's obligations and the upcoming list all decide it here.
 */

export const AI_ACT = 'eu-ai-act';

/** A classified system as applicability sees it. */
export interface ClassifiedSystem {
  id: string;
  name: string;
  roles: AiActRole[];
  categories: AiActCategory[];
  /** Whether its classification documents the Article 6(3) exception. */
  exception: boolean;
  /** High-risk as (a safety component of) a product under Annex I's legislation (Article 6(1)). */
  annexI: boolean;
}

/**
 * Article 113(c): Article 6(1), high-risk through Annex I, and the obligations that follow from it
 * apply from this date, later than the same obligations for Annex III systems.
 */
export const ANNEX_I_FROM = '2027-08-02';

export interface ObligationCheck {
  requirement: RequirementRow;
  /** The system's roles and categories meet the obligation's. */
  binds: boolean;
  /** It binds and is in force on the date. */
  applies: boolean;
  roles: AiActRole[];
  categories: AiActCategory[];
  appliesFrom: string;
  reason: string;
}

/** An entry of the catalogue that binds operators with roles, categories and a date. */
export const isObligation = (row: RequirementRow): boolean => (row.roles?.length ?? 0) > 0 && (row.categories?.length ?? 0) > 0 && typeof row.appliesFrom === 'string';

const words = (values: readonly string[]) => values.map((value) => value.toLowerCase().replace(/_/g, ' ')).join(' or ');

/**
 * Obligations that exist only for an Annex III system its provider holds not high-risk under
 * Article 6(3) (Articles 6(4), 49(2), 80): the catalogue states it in their condition, and a
 * classification records the exception, so these bind only a system that documents it.
 */
const forTheException = (obligation: RequirementRow) => /Article 6\(3\)/.test(obligation.condition ?? '');

/** The calendar day (UTC) of an instant, as obligations' dates are written. */
export const dayOf = (instant: string | Date) => (typeof instant === 'string' ? instant : instant.toISOString()).slice(0, 10);

/** Whether and why one obligation binds one system on a date. */
export function checkObligation(obligation: RequirementRow, system: ClassifiedSystem, date: string): ObligationCheck {
  const roles = system.roles.filter((role) => obligation.roles?.includes(role));
  const categories = system.categories.filter((category) => obligation.categories?.includes(category));
  const appliesFrom = system.annexI && categories.includes('HIGH_RISK') && obligation.appliesFrom! < ANNEX_I_FROM ? ANNEX_I_FROM : obligation.appliesFrom!;
  const exceptionMet = !forTheException(obligation) || system.exception;
  const binds = roles.length > 0 && categories.length > 0 && exceptionMet;
  const inForce = appliesFrom <= date;
  const condition = obligation.condition ? ` Only where: ${obligation.condition.replace(/\.$/, '')}.` : '';
  const reason = binds
    ? `${obligation.identifier} binds the ${words(roles)} of a ${words(categories)} system; ${system.name} is one. It applies from ${appliesFrom}: ${inForce ? `in force on ${date}` : `not yet on ${date}`}.${condition}`
    : exceptionMet
      ? `${obligation.identifier} binds the ${words(obligation.roles ?? [])} of a ${words(obligation.categories ?? [])} system; ${system.name} is a ${words(system.categories)} system whose ${words(system.roles)} the organisation is.`
      : `${obligation.identifier} binds a system held not high-risk under Article 6(3); ${system.name}'s classification documents no such exception.`;
  return { requirement: obligation, binds, applies: binds && inForce, roles, categories, appliesFrom, reason };
}

/** The obligations that bind a system (in force on the date or later), in catalogue order. */
export function systemObligations(obligations: RequirementRow[], system: ClassifiedSystem, date: string): ObligationCheck[] {
  return obligations
    .filter(isObligation)
    .map((obligation) => checkObligation(obligation, system, date))
    .filter((check) => check.binds)
    .sort((a, b) => a.requirement.order - b.requirement.order);
}

/** The obligations each requirement stands for: itself when it is one, else its children that are. */
export function obligationsUnder(obligations: RequirementRow[]): Map<string, RequirementRow[]> {
  const under = new Map<string, RequirementRow[]>();
  for (const obligation of obligations.filter(isObligation)) {
    for (const key of [obligation.key, ...obligation.parentKeys]) under.set(key, [...(under.get(key) ?? []), obligation]);
  }
  return under;
}

export interface RequirementApplicability {
  /** Null when the catalogue says nothing about whom the requirement binds: it is assessed as before. */
  applicable: boolean | null;
  reason: string;
  /** The systems it applies to on the date. */
  systemIds: string[];
}

/** Whether a requirement of the AI Act map applies to any of `systems` on a date, and why. */
export function requirementApplicability(requirement: RequirementRow, under: RequirementRow[], systems: ClassifiedSystem[], date: string): RequirementApplicability {
  if (requirement.bindsOperator === false) return { applicable: false, reason: `${requirement.identifier} binds no operator.`, systemIds: [] };
  if (under.length === 0) return { applicable: null, reason: '', systemIds: [] };
  const checks = systems.flatMap((system) => under.map((obligation) => ({ system, check: checkObligation(obligation, system, date) })));
  const applying = checks.filter(({ check }) => check.applies);
  if (applying.length > 0) {
    const systemIds = [...new Set(applying.map(({ system }) => system.id))];
    return { applicable: true, reason: applying.map(({ check }) => check.reason).join(' '), systemIds };
  }
  const later = checks.filter(({ check }) => check.binds);
  if (later.length > 0) {
    const from = later.map(({ check }) => check.appliesFrom).sort()[0];
    const names = [...new Set(later.map(({ system }) => system.name))].join(', ');
    return { applicable: false, reason: `Applies to ${names} from ${from}: not in force on ${date}.`, systemIds: [] };
  }
  const roles = [...new Set(under.flatMap((obligation) => obligation.roles ?? []))];
  const categories = [...new Set(under.flatMap((obligation) => obligation.categories ?? []))];
  const whom = systems.length === 1 ? `${systems[0].name} is not one (${words(systems[0].categories)}; ${words(systems[0].roles)})` : `none of the organisation's ${systems.length} classified AI systems is one`;
  return { applicable: false, reason: `${requirement.identifier} binds the ${words(roles)} of a ${words(categories)} system; ${whom}.`, systemIds: [] };
}

/** A not-applicable status computed from the classifications, shaped as a declaration so that maps and exports show its reason. */
export const computedDeclaration = (requirementKey: string, rationale: string, at: string): ApplicabilityRow => ({
  id: `computed:${requirementKey}`,
  requirementKey,
  rationale,
  declaredBy: 'computed from the AI systems’ classification',
  declaredAt: at,
  withdrawnAt: null,
  withdrawnBy: null,
});

export const isComputed = (row: ApplicabilityRow) => row.id.startsWith('computed:');

/**
 * An AI Act map's rows with applicability decided: a requirement that applies to none of `systems`
 * on the date becomes NOT_APPLICABLE with the computed reason (a declaration made by a person keeps
 * precedence). With `onlyApplicable` (a map scoped to one system) the others are left out. Without
 * any classified system nothing can be computed, and the rows are assessed as they come.
 */
export function applyApplicability(
  rows: ScopedRequirementRow[],
  obligations: RequirementRow[],
  systems: ClassifiedSystem[],
  date: string,
  at: string,
  onlyApplicable = false,
): ScopedRequirementRow[] {
  if (systems.length === 0) return onlyApplicable ? [] : rows;
  const under = obligationsUnder(obligations);
  const decided = rows.map((row) => ({ row, applicability: requirementApplicability(row.requirement, under.get(row.requirement.key) ?? [], systems, date) }));
  return decided
    .filter(({ applicability }) => !onlyApplicable || applicability.applicable === true)
    .map(({ row, applicability }) =>
      applicability.applicable === false && !row.notApplicable ? { ...row, notApplicable: computedDeclaration(row.requirement.key, applicability.reason, at) } : row,
    );
}

export interface UpcomingItem {
  requirement: RequirementRow;
  appliesFrom: string;
  inForce: boolean;
  status: CoverageStatus;
  systemIds: string[];
}

/**
 * Obligations that bind some system and apply from `before` or earlier, whose status is still GAP
 * or PARTIAL: decided from the claims on the obligation itself, or else on its article (where the
 * organisation's claims usually are). A declaration on either takes it off the list.
 */
export function upcomingObligations(rows: ScopedRequirementRow[], obligations: RequirementRow[], systems: ClassifiedSystem[], before: string, date: string): UpcomingItem[] {
  const byKey = new Map(rows.map((row) => [row.requirement.key, row]));
  const items: UpcomingItem[] = [];
  for (const obligation of obligations.filter(isObligation).sort((a, b) => a.order - b.order)) {
    const binding = systems.map((system) => ({ system, check: checkObligation(obligation, system, date) })).filter(({ check }) => check.binds && check.appliesFrom <= before);
    if (binding.length === 0) continue;
    const systemIds = binding.map(({ system }) => system.id);
    const appliesFrom = binding.map(({ check }) => check.appliesFrom).sort()[0];
    const own = byKey.get(obligation.key);
    const parent = obligation.parentKeys.map((key) => byKey.get(key)).find((row) => row !== undefined);
    const decidedBy = own && (own.controls.length > 0 || own.notApplicable) ? own : (parent ?? own);
    const status = decidedBy ? coverageStatus(decidedBy) : 'GAP';
    if (status === 'SATISFIED' || status === 'NOT_APPLICABLE') continue;
    items.push({ requirement: obligation, appliesFrom, inForce: appliesFrom <= date, status, systemIds });
  }
  return items;
}
