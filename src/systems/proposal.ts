import type { EntityRow } from '../estate/model';
import type { AiActCategory, AiActRole } from '../generated/graphql';
import { readRegulation } from './classification';

/**
 * A classification suggested from the graph, pure: Annex III candidates from the decisions a system
 * drives or its parts inform, roles from who provides its parts, Article 50 from parts that talk to
 * people or generate content. Only ever a suggestion with its reasons: a person classifies.
 */

/** What the proposal reads of a system: its parts with their vendors and bases, and the decisions around it. */
export interface SystemGraphRow {
  system: EntityRow;
  parts: Array<{ part: EntityRow; vendors: string[]; basedOn: Array<{ name: string; vendors: string[] }> }>;
  decisions: Array<{ decision: EntityRow; via: string }>;
}

export interface Proposal {
  category: AiActCategory;
  article50: boolean;
  roles: AiActRole[];
  annexIIIPoint: string | null;
  reasons: string[];
}

/**
 * Words that place a decision under an Annex III point. A match is a candidate to confirm, not a
 * finding: the Annex speaks of intended purposes, which a person states.
 */
const ANNEX_III_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  ['5(b)', /credit|loan|lending|underwrit|mortgage/],
  ['4(a)', /recruit|hiring|candidate|job applica|cv screen/],
  ['4(b)', /promotion|terminat|performance review|employee monitor|task allocation/],
  ['5(c)', /(life|health) insurance/],
  ['5(a)', /benefit eligib|public assistance|social benefit/],
  ['5(d)', /emergency call|patient triage|dispatch/],
  ['3(a)', /admission|enrolment/],
  ['3(b)', /exam|grading|learning outcome/],
  ['1(a)', /biometric identification|face recognition|facial recognition/],
  ['1(c)', /emotion recognition/],
  ['8(b)', /election|referend|voting/],
];

const text = (row: EntityRow, fields: string[]) =>
  fields
    .flatMap((field) => (Array.isArray(row[field]) ? (row[field] as string[]) : [row[field]]))
    .filter((value): value is string => typeof value === 'string')
    .join(' ')
    .toLowerCase();

export function proposeClassification({ system, parts, decisions }: SystemGraphRow): Proposal {
  const reasons: string[] = [];
  const points = new Map<string, string[]>();
  for (const { decision, via } of decisions) {
    const about = text(decision, ['name', 'description', 'businessProcess', 'tags']);
    for (const [point, cue] of ANNEX_III_CUES) {
      if (!cue.test(about)) continue;
      // Annex III 5(b) leaves out systems used to detect financial fraud.
      if (point === '5(b)' && /fraud/.test(about)) {
        reasons.push(`Decision "${decision.name}" (${via}) concerns credit but fraud detection: Annex III point 5(b) excludes systems used to detect financial fraud.`);
        continue;
      }
      points.set(point, [...(points.get(point) ?? []), `"${decision.name}" (${via})`]);
    }
  }
  const { annexIII } = readRegulation();
  for (const [point, found] of points) {
    reasons.push(`Annex III point ${point} candidate (${annexIII.find((entry) => entry.point === point)?.covers}): it drives or informs ${found.join(', ')}.`);
  }

  const roles = new Set<AiActRole>();
  for (const { part, vendors, basedOn } of parts) {
    if (vendors.length > 0) {
      roles.add('DEPLOYER');
      reasons.push(`Deployer: ${part.type} "${part.name}" is provided by ${vendors.join(', ')}.`);
    } else {
      roles.add('PROVIDER');
      const base = basedOn.find((entry) => entry.vendors.length > 0);
      reasons.push(`Provider: ${part.type} "${part.name}" is the organisation's own${base ? `, built on ${base.name} from ${base.vendors.join(', ')}` : ''}.`);
      if (base) roles.add('DEPLOYER');
    }
  }
  if (parts.length === 0) {
    roles.add('DEPLOYER');
    reasons.push('No model or agent is recorded as part of it: deployer assumed until its parts are recorded.');
  }

  const purpose = text(system, ['intendedPurpose', 'description']);
  const talks = parts.filter(({ part }) => part.type === 'Agent' && /customer|chat|convers|answer|assistant/.test(`${text(part, ['purpose', 'description', 'name'])} ${purpose}`));
  const generates = parts.filter(({ part }) => part.type === 'AIModel' && /genai|llm|generat/.test(text(part, ['tags', 'description'])));
  for (const { part } of talks) reasons.push(`Article 50(1) candidate: agent "${part.name}" interacts with people.`);
  if (talks.length === 0) for (const { part } of generates) reasons.push(`Article 50(2) candidate: model "${part.name}" generates content.`);

  const foundation = parts.length > 0 && parts.every(({ part }) => part.type === 'AIModel' && /foundation-model|general-purpose/.test(text(part, ['tags', 'description'])));
  let category: AiActCategory = 'MINIMAL';
  if (points.size > 0) category = 'HIGH_RISK';
  else if (foundation && decisions.length === 0) {
    category = 'GPAI';
    reasons.push('Its parts are general-purpose models used as they are, driving no recorded decision.');
  } else reasons.push('No Annex III use found in the decisions it drives or informs: minimal risk unless its intended purpose says otherwise.');

  return { category, article50: talks.length > 0 || generates.length > 0, roles: [...roles].sort(), annexIIIPoint: [...points.keys()][0] ?? null, reasons };
}
