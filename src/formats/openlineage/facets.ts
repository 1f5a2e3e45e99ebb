import { CONTROL_CHARACTERS, INPUT_LIMITS } from '../../inputLimits';
import { pointer } from '../pointer';
import { isObject } from '../read';
import type { LineageDataset, LineageName } from './events';

/**
 * What the graph keeps of a dataset's facets: its documentation as the record's description, its
 * schema as `columns`, and its column lineage on the DERIVED_FROM relationships it implies. Every
 * other facet is warned, once each. Values are cut to what the sync accepts (with a warning), so
 * that a facet never fails the event it came with.
 */

type Warn = (where: string, message: string) => void;

/** Facets read here; columnLineage is read by columnLineage() below. */
const KEPT = new Set(['documentation', 'schema', 'columnLineage']);
const COLUMN_KEYS = new Set(['name', 'type', 'description', 'ordinal_position', 'fields']);

/** A facet sent with `_deleted: true` clears what it set (OpenLineage's way to remove a facet). */
const deleted = (facet: Record<string, unknown>) => facet._deleted === true;

/** The Dataset fields a dataset's facets set; a field left out keeps its stored value. */
export function datasetFields(dataset: LineageDataset, warn: Warn): Record<string, unknown> {
  const fields: Record<string, unknown> = { externalId: dataset.key, name: dataset.name };
  const at = pointer(dataset.pointer, 'facets');
  for (const name of Object.keys(dataset.facets)) if (!KEPT.has(name)) warn(pointer(at, name), 'dataset facet not kept');
  const { documentation, schema } = dataset.facets;
  if (isObject(documentation)) {
    const description = deleted(documentation) ? null : text(documentation.description, pointer(at, 'documentation', 'description'), warn);
    if (description !== undefined) fields.description = description;
  }
  if (isObject(schema)) fields.columns = deleted(schema) ? null : columns(schema.fields, pointer(at, 'schema', 'fields'), warn);
  return fields;
}

function text(value: unknown, at: string, warn: Warn): string | undefined {
  if (typeof value !== 'string') warn(at, 'not a string; not kept');
  else if (value.length > INPUT_LIMITS.text) warn(at, `longer than ${INPUT_LIMITS.text} characters; not kept`);
  else if (CONTROL_CHARACTERS.test(value)) warn(at, 'holds control characters; not kept');
  else return value;
  return undefined;
}

/** The schema's fields, nested ones named by their path (`address.city`), each a JSON object { name, type?, description? }. */
function columns(value: unknown, at: string, warn: Warn): string[] {
  const kept: string[] = [];
  const visit = (items: unknown, where: string, prefix: string) => {
    if (!Array.isArray(items)) {
      warn(where, 'not a list of fields; not kept');
      return;
    }
    items.forEach((item, index) => {
      const fieldAt = pointer(where, index);
      if (!isObject(item) || typeof item.name !== 'string') {
        warn(fieldAt, 'a field without a name; not kept');
        return;
      }
      const name = `${prefix}${item.name}`;
      const others = Object.keys(item).filter((key) => !COLUMN_KEYS.has(key));
      if (others.length > 0) warn(fieldAt, `${others.join(', ')} not kept`);
      const column = columnJson(name, item, fieldAt, warn);
      if (column !== null && kept.length < INPUT_LIMITS.listItems) kept.push(column);
      else if (column !== null) warn(fieldAt, `beyond the first ${INPUT_LIMITS.listItems} columns; not kept`);
      if (item.fields !== undefined) visit(item.fields, pointer(fieldAt, 'fields'), `${name}.`);
    });
  };
  visit(value, at, '');
  return kept;
}

function columnJson(name: string, item: Record<string, unknown>, at: string, warn: Warn): string | null {
  const type = typeof item.type === 'string' ? item.type : undefined;
  const description = typeof item.description === 'string' && item.description.length > 0 ? item.description : undefined;
  const full = JSON.stringify({ name, ...(type ? { type } : {}), ...(description ? { description } : {}) });
  const usable = (json: string) => json.length <= INPUT_LIMITS.name && !CONTROL_CHARACTERS.test(json);
  if (usable(full)) return full;
  const bare = JSON.stringify({ name, ...(type ? { type } : {}) });
  if (!usable(bare)) {
    warn(at, `longer than ${INPUT_LIMITS.name} characters or holds control characters; not kept`);
    return null;
  }
  warn(pointer(at, 'description'), `the column would be longer than ${INPUT_LIMITS.name} characters or hold control characters; its description is not kept`);
  return bare;
}

/** The datasets one dataset's columns come from, each with its column mappings as `out <- in [TYPE/SUBTYPE]`. */
export interface ColumnSources {
  source: LineageName & { pointer: string };
  mappings: string[];
}

/**
 * A columnLineage facet, grouped by the dataset each input field belongs to. A field that affects
 * the whole dataset (a join key, a filter) maps from `*`.
 */
export function columnLineage(dataset: LineageDataset, warn: Warn): ColumnSources[] {
  const facet = dataset.facets.columnLineage;
  if (!isObject(facet) || deleted(facet)) return [];
  const at = pointer(dataset.pointer, 'facets', 'columnLineage');
  const bySource = new Map<string, ColumnSources>();
  const add = (output: string, input: unknown, where: string, fallback?: string) => {
    if (!isObject(input) || typeof input.namespace !== 'string' || typeof input.name !== 'string' || typeof input.field !== 'string') {
      warn(where, 'an input field without namespace, name and field; not kept');
      return;
    }
    const key = `${input.namespace.trim()}/${input.name.trim()}`;
    if (key.length > INPUT_LIMITS.name || input.namespace.trim() === '' || input.name.trim() === '') {
      warn(where, `names a dataset whose key would be empty or longer than ${INPUT_LIMITS.name} characters; not kept`);
      return;
    }
    const mapping = `${output} <- ${input.field}${describe(input.transformations, fallback)}`;
    if (mapping.length > INPUT_LIMITS.name || CONTROL_CHARACTERS.test(mapping)) {
      warn(where, `the mapping would be longer than ${INPUT_LIMITS.name} characters or hold control characters; not kept`);
      return;
    }
    const entry = bySource.get(key) ?? { source: { namespace: input.namespace.trim(), name: input.name.trim(), key, pointer: where }, mappings: [] };
    entry.mappings.push(mapping);
    bySource.set(key, entry);
  };
  if (isObject(facet.fields)) {
    for (const [output, spec] of Object.entries(facet.fields)) {
      const where = pointer(at, 'fields', output);
      const inputs = isObject(spec) ? spec.inputFields : undefined;
      if (!Array.isArray(inputs)) warn(where, 'no inputFields list; not kept');
      // transformationType is the deprecated, field-wide way of saying what inputs' transformations now say.
      else inputs.forEach((input, index) => add(output, input, pointer(where, 'inputFields', index), isObject(spec) && typeof spec.transformationType === 'string' ? spec.transformationType : undefined));
    }
  }
  if (Array.isArray(facet.dataset)) facet.dataset.forEach((input, index) => add('*', input, pointer(at, 'dataset', index)));
  for (const entry of bySource.values()) {
    if (entry.mappings.length > INPUT_LIMITS.listItems) {
      warn(at, `${entry.mappings.length - INPUT_LIMITS.listItems} column mappings from ${entry.source.key} beyond the first ${INPUT_LIMITS.listItems}; not kept`);
      entry.mappings = entry.mappings.slice(0, INPUT_LIMITS.listItems);
    }
  }
  return [...bySource.values()];
}

function describe(transformations: unknown, fallback: string | undefined): string {
  const items = Array.isArray(transformations) ? transformations.filter(isObject) : [];
  const words = items.map((item) =>
    [
      [item.type, item.subtype].filter((part): part is string => typeof part === 'string' && part.length > 0).join('/'),
      item.masking === true ? 'masked' : '',
      typeof item.description === 'string' && item.description.length > 0 ? `: ${item.description}` : '',
    ]
      .filter(Boolean)
      .join(' ')
      .replace(' :', ':'),
  );
  const all = words.length > 0 ? words : fallback ? [fallback] : [];
  return all.length > 0 ? ` [${all.join(', ')}]` : '';
}
