import fs from 'node:fs';
import type { InputProblem } from '../errors';
import type { EntityRow } from '../estate/model';
import type { AiActCategory, AiActRole, Article6Exception, AiSystemClassificationInput } from '../generated/graphql';
import { checkText } from '../inputLimits';
import { projectPath } from '../paths';

/**
 * An AI system's classification under the EU AI Act, pure: what the regulation lets it be classified
 * under (seed/ai-act-classification.json), the checks a classification meets, and how it is stored on
 * the AISystem record and read back from a stored state (of now or of an instant).
 */

export const REGULATION_FILE = projectPath('seed/ai-act-classification.json');

export interface AnnexIIIPoint {
  /** As Annex III numbers it: 5(b), or 2 for an area without points. */
  point: string;
  area: string;
  covers: string;
}

export interface AnnexIAct {
  item: number;
  section: 'A' | 'B';
  /** As Annex I names it: Directive 2006/42/EC, Regulation (EU) 2017/745. */
  act: string;
  subject: string;
}

export interface Regulation {
  annexIII: AnnexIIIPoint[];
  annexI: AnnexIAct[];
}

let regulation: Regulation | null = null;

/** The regulation's lists, read once (a start without them is a broken checkout). */
export function readRegulation(): Regulation {
  regulation ??= JSON.parse(fs.readFileSync(REGULATION_FILE, 'utf8')) as Regulation;
  return regulation;
}

/** Properties of an AISystem that only classifyAISystem writes (sync and updateEntity have no input for them). */
export const CLASSIFICATION_PROPERTIES = [
  'aiActCategory',
  'article50',
  'roles',
  'annexIIIPoint',
  'annexILegislation',
  'exception',
  'exceptionReasoning',
  'profiling',
  'classificationRationale',
  'classifiedBy',
  'classifiedAt',
] as const;

export interface Classification {
  category: AiActCategory;
  article50: boolean;
  categories: AiActCategory[];
  roles: AiActRole[];
  annexIIIPoint: string | null;
  annexIIIArea: string | null;
  annexILegislation: string | null;
  exception: Article6Exception | null;
  exceptionReasoning: string | null;
  profiling: boolean;
  rationale: string;
  classifiedBy: string;
  classifiedAt: string;
}

/** A system's categories as obligations see them (the contract with the obligation catalogue). */
export const categoriesOf = (category: AiActCategory, article50: boolean): AiActCategory[] => (article50 && category !== 'TRANSPARENCY' ? [category, 'TRANSPARENCY'] : [category]);

/** The classification a stored state of an AISystem carries; null before it was classified. */
export function classificationOf(row: EntityRow): Classification | null {
  if (typeof row.aiActCategory !== 'string') return null;
  const category = row.aiActCategory as AiActCategory;
  const article50 = row.article50 === true;
  const point = (row.annexIIIPoint as string | null | undefined) ?? null;
  return {
    category,
    article50,
    categories: categoriesOf(category, article50),
    roles: ((row.roles as AiActRole[] | null | undefined) ?? []).slice(),
    annexIIIPoint: point,
    annexIIIArea: point ? (readRegulation().annexIII.find((entry) => entry.point === point)?.area ?? null) : null,
    annexILegislation: (row.annexILegislation as string | null | undefined) ?? null,
    exception: (row.exception as Article6Exception | null | undefined) ?? null,
    exceptionReasoning: (row.exceptionReasoning as string | null | undefined) ?? null,
    profiling: row.profiling === true,
    rationale: String(row.classificationRationale ?? ''),
    classifiedBy: String(row.classifiedBy ?? ''),
    classifiedAt: String(row.classifiedAt ?? row.updatedAt),
  };
}

const blank = (value: string | null | undefined) => value === null || value === undefined || value.trim() === '';

/**
 * Checks a classification against the regulation and returns the properties to store (every
 * classification property, so that one classification replaces the last whole). Each problem is
 * named by its input path; nothing is returned when there is one.
 */
export function checkClassification(input: AiSystemClassificationInput, actor: string, at: string, problems: InputProblem[]): Record<string, unknown> | null {
  const before = problems.length;
  const { annexIII, annexI } = readRegulation();
  const point = blank(input.annexIIIPoint) ? null : input.annexIIIPoint!.trim();
  const act = blank(input.annexILegislation) ? null : input.annexILegislation!.trim();
  const reasoning = blank(input.exceptionReasoning) ? null : input.exceptionReasoning!.trim();
  const profiling = input.profiling ?? false;
  const roles = [...new Set(input.roles)];

  if (input.category === 'TRANSPARENCY') problems.push({ path: 'input.category', message: 'TRANSPARENCY is not a primary category: give the category (often MINIMAL) and article50: true' });
  if (roles.length === 0) problems.push({ path: 'input.roles', message: 'at least one AI Act role (PROVIDER, DEPLOYER, IMPORTER, DISTRIBUTOR, AUTHORISED_REPRESENTATIVE, PRODUCT_MANUFACTURER)' });
  for (const [field, value] of [['annexIIIPoint', point], ['annexILegislation', act], ['exceptionReasoning', reasoning], ['rationale', input.rationale]] as const) {
    if (value !== null) checkText(value, `input.${field}`, problems);
  }
  if (blank(input.rationale)) problems.push({ path: 'input.rationale', message: 'say why the system is classified so' });
  if (point !== null && !annexIII.some((entry) => entry.point === point)) {
    const area = annexIII.filter((entry) => entry.point.startsWith(`${point}(`)).map((entry) => entry.point);
    problems.push({
      path: 'input.annexIIIPoint',
      message: area.length > 0 ? `Annex III area ${point} has points ${area.join(', ')}: name one` : `Annex III has no point "${point.slice(0, 20)}" (points run 1(a) to 8(b), e.g. 4(a) recruitment, 5(b) creditworthiness)`,
    });
  }
  if (act !== null && !annexI.some((entry) => entry.act === act)) {
    problems.push({ path: 'input.annexILegislation', message: `Annex I lists no act "${act.slice(0, 60)}" (name it as the Annex does, e.g. Regulation (EU) 2017/745 or Directive 2006/42/EC)` });
  }
  if (input.category === 'HIGH_RISK') {
    if (point === null && act === null) problems.push({ path: 'input.category', message: 'a high-risk system is so through an Annex III point (Article 6(2)) or Annex I legislation (Article 6(1)): give one' });
    if (input.exception) problems.push({ path: 'input.exception', message: 'the Article 6(3) exception takes a system out of high-risk: classify it by what it is otherwise' });
  } else {
    if (act !== null) problems.push({ path: 'input.annexILegislation', message: 'Annex I legislation is recorded as the basis of a HIGH_RISK classification (Article 6(1))' });
    if (point !== null && !input.exception) problems.push({ path: 'input.annexIIIPoint', message: 'an Annex III system is high-risk unless the Article 6(3) exception is documented (exception and exceptionReasoning)' });
  }
  if (input.exception) {
    if (point === null) problems.push({ path: 'input.annexIIIPoint', message: 'the Article 6(3) exception applies to a system referred to in Annex III: name its point' });
    if (reasoning === null) problems.push({ path: 'input.exceptionReasoning', message: 'Article 6(4): the assessment behind the exception must be documented' });
    if (profiling) problems.push({ path: 'input.exception', message: 'Article 6(3): an Annex III system that profiles natural persons is always high-risk' });
  } else if (reasoning !== null) {
    problems.push({ path: 'input.exceptionReasoning', message: 'reasoning documents an Article 6(3) exception: give the exception too, or leave it out' });
  }
  if (problems.length > before) return null;
  return {
    aiActCategory: input.category,
    article50: input.article50 ?? false,
    roles,
    annexIIIPoint: point,
    annexILegislation: act,
    exception: input.exception ?? null,
    exceptionReasoning: reasoning,
    profiling,
    classificationRationale: input.rationale.trim(),
    classifiedBy: actor,
    classifiedAt: at,
  };
}
