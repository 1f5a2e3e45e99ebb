import { coerceInputValue, GraphQLInputObjectType } from 'graphql';
import type { InputProblem } from '../errors';
import type { EntityPatchInput } from '../generated/graphql';
import { checkName, checkNumber, checkStringList, checkText, INPUT_LIMITS, LINE_BREAKING } from '../inputLimits';
import { EntityRow, EntityType, RELATIONSHIPS, RelationshipType, SYSTEM_FIELDS } from './model';
import { comparable } from './values';
import { checkAssessmentFields } from '../vendors/assessmentRule';
import { checkStepRecords, storedRecords } from '../incidents/steps';

// compromisedSince/Until: a compromise window, written by markCompromised and clearCompromised only
// (a sync or a link could otherwise forge one on an incident's INVOLVES).
const RELATIONSHIP_SYSTEM_PROPERTIES = new Set(['sources', 'createdAt', 'updatedAt', 'validFrom', 'validTo', 'was', 'compromisedSince', 'compromisedUntil']);

/** A sync's source or a created record's source. */
export function checkSource(source: string, path: string, problems: InputProblem[]): string | null {
  return checkName(source, path, problems);
}

/**
 * Checks one record's input and returns the fields it sets, as comparable values. Only the fields
 * present in the input are returned (restricted to `only` for a patch): the rest keep what is stored.
 */
export function checkEntityInput(type: EntityType, input: Record<string, unknown>, path: string, problems: InputProblem[], only?: string[]): Record<string, unknown> | null {
  const before = problems.length;
  checkName(input.externalId, `${path}.externalId`, problems);
  const name = checkName(input.name, `${path}.name`, problems);

  const desired: Record<string, unknown> = {};
  if (!only || only.includes('name')) desired.name = name;
  for (const [field, value] of Object.entries(input)) {
    if (field === 'externalId' || field === 'name' || SYSTEM_FIELDS.has(field)) continue;
    if (only && !only.includes(field)) continue;
    const fieldPath = `${path}.${field}`;
    if (typeof value === 'string') checkText(value, fieldPath, problems);
    else if (typeof value === 'number') checkNumber(value, fieldPath, problems);
    else if (Array.isArray(value)) checkStringList(value, fieldPath, problems);
    desired[field] = comparable(value);
  }

  if (type === 'Risk') checkRiskScores(desired, path, problems);
  if (type === 'VendorAssessment') checkAssessmentFields(desired, path, problems);
  if (type === 'Incident' && desired.stepRecords !== undefined) {
    const records = checkStepRecords(desired.stepRecords, `${path}.stepRecords`, problems);
    // Stored canonical, so that the same progress sent again reports no change.
    if (records) desired.stepRecords = records.length > 0 ? storedRecords(records) : null;
  }
  if (type === 'SignalRule') checkSignalRule(desired, path, problems, only);
  if (type === 'Dataset' && typeof desired.recordCount === 'number' && desired.recordCount < 0) {
    problems.push({ path: `${path}.recordCount`, message: 'must not be negative' });
  }
  return problems.length === before ? desired : null;
}

function checkRiskScores(desired: Record<string, unknown>, path: string, problems: InputProblem[]): void {
  const inRange = (field: string, min: number, max: number) => {
    const value = desired[field];
    if (value !== undefined && value !== null && (!Number.isInteger(value) || (value as number) < min || (value as number) > max)) {
      problems.push({ path: `${path}.${field}`, message: `must be an integer from ${min} to ${max}` });
    }
  };
  inRange('likelihood', 1, 5);
  inRange('impact', 1, 5);
  inRange('inherentScore', 0, 25);
  inRange('residualScore', 0, 25);
  if (desired.inherentScore === undefined && typeof desired.likelihood === 'number' && typeof desired.impact === 'number') {
    desired.inherentScore = desired.likelihood * desired.impact;
  }
}

/** A rule must say what it counts and how many make a burst; a patch may not clear either. */
function checkSignalRule(desired: Record<string, unknown>, path: string, problems: InputProblem[], only: string[] | undefined): void {
  for (const field of ['signalKind', 'threshold']) {
    if ((only === undefined || only.includes(field)) && (desired[field] === undefined || desired[field] === null)) problems.push({ path: `${path}.${field}`, message: 'is required' });
  }
  const { threshold, windowHours } = desired;
  if (threshold !== undefined && threshold !== null && (!Number.isInteger(threshold) || (threshold as number) < 1)) problems.push({ path: `${path}.threshold`, message: 'must be an integer of at least 1' });
  if (windowHours !== undefined && windowHours !== null && (!Number.isInteger(windowHours) || (windowHours as number) < 1 || (windowHours as number) > 720)) {
    problems.push({ path: `${path}.windowHours`, message: 'must be an integer from 1 to 720' });
  }
}

type PropertyScalar = 'string' | 'number' | 'boolean';

/**
 * A relationship's own properties, which arrive as free JSON: each a string, number or boolean, or
 * a list of one of them (Neo4j stores no mixed or nested lists), under a plain property name.
 */
export function checkRelationshipProperties(properties: Record<string, unknown> | null | undefined, path: string, problems: InputProblem[]): Record<string, unknown> | null {
  const checked: Record<string, unknown> = {};
  const before = problems.length;
  const entries = Object.entries(properties ?? {});
  if (entries.length > INPUT_LIMITS.relationshipProperties) {
    problems.push({ path, message: `more than ${INPUT_LIMITS.relationshipProperties} properties` });
    return null;
  }
  for (const [name, value] of entries) {
    const at = `${path}.${name}`;
    // Any text is a valid property name to Cypher when passed as data; only what Neo4j cannot
    // store (an empty name) or what breaks logs and exports (control characters) is refused.
    if (name.trim().length === 0 || name.length > INPUT_LIMITS.propertyName || LINE_BREAKING.test(name)) {
      problems.push({ path: `${path}["${name.slice(0, INPUT_LIMITS.propertyName).replace(/[^\x20-\x7E]/g, '?')}"]`, message: `property names are 1 to ${INPUT_LIMITS.propertyName} characters on one line, not blank` });
      continue;
    }
    if (RELATIONSHIP_SYSTEM_PROPERTIES.has(name)) {
      problems.push({ path: at, message: `"${name}" is managed by the API` });
      continue;
    }
    if (value === null) {
      checked[name] = null;
      continue;
    }
    if (Array.isArray(value)) {
      const kinds = new Set(value.map((item) => (item === null ? 'null' : typeof item)));
      const kind = [...kinds][0];
      if (kinds.size > 1 || (kind !== undefined && !isPropertyScalar(kind))) {
        problems.push({ path: at, message: 'a list must hold only strings, only numbers or only booleans' });
        continue;
      }
      if (value.length > INPUT_LIMITS.listItems) problems.push({ path: at, message: `more than ${INPUT_LIMITS.listItems} items` });
      else value.forEach((item, index) => checkScalar(item as string | number | boolean, `${at}[${index}]`, INPUT_LIMITS.name, problems));
    } else if (isPropertyScalar(typeof value)) {
      checkScalar(value as string | number | boolean, at, INPUT_LIMITS.text, problems);
    } else {
      problems.push({ path: at, message: 'must be a string, number, boolean or a list of them' });
      continue;
    }
    checked[name] = value;
  }
  return problems.length === before ? checked : null;
}

const isPropertyScalar = (kind: string): kind is PropertyScalar => kind === 'string' || kind === 'number' || kind === 'boolean';

function checkScalar(value: string | number | boolean, path: string, maxLength: number, problems: InputProblem[]): void {
  if (typeof value === 'number') checkNumber(value, path, problems);
  else if (typeof value === 'string') {
    if (value.length > maxLength) problems.push({ path, message: `longer than ${maxLength} characters` });
    else checkText(value, path, problems);
  }
}

export function checkEndpoints(type: RelationshipType, fromType: EntityType, toType: EntityType, path: string, problems: InputProblem[]): boolean {
  const spec = RELATIONSHIPS[type];
  if (spec.from.includes(fromType) && spec.to.includes(toType)) return true;
  problems.push({ path, message: `${type} goes from ${spec.from.join(' or ')} to ${spec.to.join(' or ')}, not from ${fromType} to ${toType}` });
  return false;
}

/**
 * A patch of a stored record, checked as a create of its type is: each field must exist on the
 * type's GraphQL input object and coerce through it (GraphQL's own rules for enums and scalars are
 * the one definition of a field's type), then meet the same limits. Returns the fields it sets.
 */
export function checkPatch(inputType: GraphQLInputObjectType, existing: EntityRow, patch: EntityPatchInput, problems: InputProblem[]): Record<string, unknown> | null {
  const fields = { ...(patch.fields ?? {}) };
  for (const name of ['name', 'description', 'tags'] as const) {
    if (patch[name] !== undefined) fields[name] = patch[name];
  }
  const before = problems.length;
  for (const name of Object.keys(fields)) {
    if (!(name in inputType.getFields()) || name === 'externalId') problems.push({ path: `patch.fields.${name}`, message: `${existing.type} has no field "${name}" that can be changed` });
  }
  if (problems.length > before) return null;
  const coerced = coerceInputValue({ externalId: existing.externalId, name: existing.name, ...fields }, inputType, (path, _value, error) => {
    problems.push({ path: ['patch.fields', ...path].join('.'), message: error.message });
  }) as Record<string, unknown>;
  if (problems.length > before) return null;
  return checkEntityInput(existing.type, coerced, 'patch.fields', problems, Object.keys(fields));
}
