import { randomUUID } from 'node:crypto';
import type { AuditEventRow, EntityWriteRow, RelationshipRef } from './estateRepository';
import { EntityRow, EntityType, SYSTEM_FIELDS, entityKey } from './model';
import { comparable, sameValue } from './values';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** An audit event as the API shows it: its changes read back from the JSON stored with it. */
export interface HistoryEvent extends Omit<AuditEventRow, 'changes'> {
  changes: FieldChange[];
}

export const readHistoryEvent = (row: AuditEventRow): HistoryEvent => ({ ...row, changes: JSON.parse(row.changes) as FieldChange[] });

export type ChangeOutcome = 'created' | 'updated' | 'unchanged';

export interface EntityChange {
  outcome: ChangeOutcome;
  changes: FieldChange[];
  /** What to write: for an update, only the fields that change (a null removes the property). */
  row: EntityWriteRow;
}

/** Audit rows for one unit of work, ordered by `seq` when they share a timestamp. */
export class AuditLog {
  readonly rows: AuditEventRow[] = [];
  constructor(
    private readonly actor: string,
    private readonly at: string,
    private readonly source: string,
    /** Why the caller made the change, when the operation asks (compromise handling). */
    private readonly reason?: string,
    /** When the graph learned it, for a dated unit of work whose `at` is earlier. */
    readonly recordedAt?: string,
  ) {}

  entity(action: 'CREATE' | 'UPDATE' | 'DELETE', entityId: string, entityType: EntityType, changes: FieldChange[]): void {
    this.push({ action, entityId, entityType, changes: JSON.stringify(changes) });
  }

  link(action: 'LINK' | 'UNLINK', ref: RelationshipRef, fromType: EntityType, properties: Record<string, unknown>): void {
    const changes: FieldChange[] = Object.entries(properties).map(([field, after]) => ({ field, before: null, after }));
    this.push({ action, entityId: ref.fromId, entityType: fromType, relationshipType: ref.type, relatedEntityId: ref.toId, changes: JSON.stringify(changes) });
  }

  private push(event: Pick<AuditEventRow, 'action' | 'entityId' | 'entityType' | 'relationshipType' | 'relatedEntityId' | 'changes'>): void {
    this.rows.push({
      id: randomUUID(),
      seq: this.rows.length,
      at: this.at,
      actor: this.actor,
      source: this.source,
      ...event,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.recordedAt ? { recordedAt: this.recordedAt } : {}),
    });
  }
}

/**
 * Compares what a caller wants a record to be with what is stored: the outcome, the field changes
 * the audit records, and the row to write. A new record's empty fields are not changes.
 */
export function planEntityChange(type: EntityType, source: string, externalId: string, desired: Record<string, unknown>, stored: EntityRow | undefined, newId: () => string = randomUUID): EntityChange {
  // A retired record sent again is created anew, under its old id, so that its history reads on.
  const existing = stored?.retired ? undefined : stored;
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(desired)) {
    const before = existing ? comparable(existing[field]) : null;
    if (existing ? !sameValue(before, after) : after !== null && !(Array.isArray(after) && after.length === 0)) {
      changes.push({ field, before, after });
    }
  }
  const outcome: ChangeOutcome = !existing ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
  const properties = existing ? Object.fromEntries(changes.map((change) => [change.field, change.after])) : desired;
  const row: EntityWriteRow = { id: stored?.id ?? newId(), key: entityKey(type, source, externalId), type, source, externalId, properties };
  return { outcome, changes, row };
}

/** A deleted record's fields as changes to nothing, so that its last state stays in the history. */
export function deletionChanges(row: EntityRow): FieldChange[] {
  return Object.entries(row)
    .filter(([field]) => !SYSTEM_FIELDS.has(field) || field === 'externalId')
    .map(([field, before]) => ({ field, before, after: null }));
}
