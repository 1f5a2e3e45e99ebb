import { badUserInput } from '../errors';
import type { FieldChange } from '../estate/audit';
import type { RelationshipRow } from '../estate/estateRepository';
import { EntityRow, EntityType, RelationshipType, SYSTEM_FIELDS } from '../estate/model';
import { sameValue } from '../estate/values';
import { HISTORY_PROPERTIES, HISTORY_RELATIONSHIP_PROPERTIES } from './historyRepository';

/**
 * What changes() decides without the database: which properties count as a record's or a
 * relationship's fields, the fields that differ between two states, and the page cursor.
 */

export type ChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

export interface RecordChangeModel {
  kind: ChangeKind;
  id: string;
  entityType: EntityType;
  before: EntityRow | null;
  after: EntityRow | null;
  fields: FieldChange[];
}

export interface RelationshipChangeModel {
  kind: ChangeKind;
  relationshipType: RelationshipType;
  fromId: string;
  toId: string;
  before: RelationshipRow | null;
  after: RelationshipRow | null;
  fields: FieldChange[];
}

export type ChangeModel = RecordChangeModel | RelationshipChangeModel;

export const isRelationshipChange = (change: ChangeModel): change is RelationshipChangeModel => 'fromId' in change;

/** Properties that change with every write (version, updatedAt), never change, or are the history's own. */
export const IGNORED_RECORD_PROPERTIES: readonly string[] = [...SYSTEM_FIELDS, ...HISTORY_PROPERTIES];
/** Properties the API keeps on a relationship (its sources are not versioned), and the WAS bookkeeping. */
export const IGNORED_RELATIONSHIP_PROPERTIES: readonly string[] = ['sources', 'createdAt', 'updatedAt', ...HISTORY_RELATIONSHIP_PROPERTIES];

export function kindOf(before: unknown, after: unknown): ChangeKind {
  if (before === null || before === undefined) return 'ADDED';
  return after === null || after === undefined ? 'REMOVED' : 'CHANGED';
}

/**
 * The fields that differ between two states (null: absent then), by name: an absent property and
 * a null one are the same, and the state of something added or removed is compared with nothing.
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null, ignored: readonly string[]): FieldChange[] {
  const skip = new Set(ignored);
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})].filter((name) => !skip.has(name)));
  return [...names]
    .sort()
    .map((field) => ({ field, before: before?.[field] ?? null, after: after?.[field] ?? null }))
    .filter((change) => !sameValue(change.before, change.after));
}

/** Where a page of changes ends: records come first, in id order, then relationships in key order. */
export type ChangeCursor = { part: 'record'; id: string } | { part: 'relationship'; key: string };

export const encodeChangeCursor = (cursor: ChangeCursor): string =>
  Buffer.from(JSON.stringify(cursor.part === 'record' ? ['record', cursor.id] : ['relationship', cursor.key])).toString('base64url');

export function decodeChangeCursor(cursor: string): ChangeCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') {
      if (value[0] === 'record') return { part: 'record', id: value[1] };
      if (value[0] === 'relationship') return { part: 'relationship', key: value[1] };
    }
  } catch {
    // fall through to the coded error: a cursor is opaque, and a mangled one is the caller's mistake
  }
  throw badUserInput('`after` is not a cursor this API returned for changes', [{ path: 'after', message: 'not a changes cursor' }]);
}

export const cursorOf = (change: ChangeModel): ChangeCursor =>
  isRelationshipChange(change) ? { part: 'relationship', key: `${change.fromId}|${change.relationshipType}|${change.toId}` } : { part: 'record', id: change.id };
