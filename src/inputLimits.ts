import type { InputProblem } from './errors';

/**
 * The limits every client-supplied value meets, in every domain and in dry runs alike: what passes
 * here is what Neo4j can store and index, so bad input is a BAD_USER_INPUT naming its path and
 * never a database error.
 */
export const INPUT_LIMITS = {
  /** Free text: descriptions, reasons, notes. */
  text: 20_000,
  /** Names, keys, external ids, sources and list items: indexed, so well below Neo4j's index-entry limit. */
  name: 512,
  listItems: 1_000,
  relationshipProperties: 50,
  propertyName: 64,
} as const;

/** Invisible characters that corrupt CSV exports, logs and terminals; tabs and line breaks stay allowed in text. */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Keys and names are single-line. */
export const LINE_BREAKING = /[\u0000-\u001F\u007F]/;

/** A name, key or source: trimmed, 1 to INPUT_LIMITS.name characters, one line. Returns the trimmed value or null. */
export function checkName(value: unknown, path: string, problems: InputProblem[]): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > INPUT_LIMITS.name) {
    problems.push({ path, message: `must be 1 to ${INPUT_LIMITS.name} characters` });
    return null;
  }
  if (LINE_BREAKING.test(text)) {
    problems.push({ path, message: 'must not contain control characters or line breaks' });
    return null;
  }
  return text;
}

/** Free text of at most INPUT_LIMITS.text characters, without invisible control characters. */
export function checkText(value: string, path: string, problems: InputProblem[], { required = false } = {}): void {
  if (required && value.trim().length === 0) problems.push({ path, message: 'must not be empty' });
  if (value.length > INPUT_LIMITS.text) problems.push({ path, message: `longer than ${INPUT_LIMITS.text} characters` });
  else if (CONTROL_CHARACTERS.test(value)) problems.push({ path, message: 'must not contain control characters' });
}

/**
 * A number Neo4j keeps exactly and reads back as the same JavaScript number: finite, and an
 * integer only within ±(2^53 − 1), where a JavaScript number is still exact.
 */
export function checkNumber(value: number, path: string, problems: InputProblem[]): void {
  if (!Number.isFinite(value)) problems.push({ path, message: 'must be a finite number' });
  else if (Number.isInteger(value) && !Number.isSafeInteger(value)) problems.push({ path, message: 'integers must be within ±9007199254740991' });
}

/** A list field: at most INPUT_LIMITS.listItems items, each a short single-line string. */
export function checkStringList(values: unknown[], path: string, problems: InputProblem[]): void {
  if (values.length > INPUT_LIMITS.listItems) {
    problems.push({ path, message: `more than ${INPUT_LIMITS.listItems} items` });
    return;
  }
  values.forEach((item, index) => {
    if (typeof item !== 'string') return;
    if (item.length > INPUT_LIMITS.name) problems.push({ path: `${path}[${index}]`, message: `longer than ${INPUT_LIMITS.name} characters` });
    else if (CONTROL_CHARACTERS.test(item)) problems.push({ path: `${path}[${index}]`, message: 'must not contain control characters' });
  });
}
