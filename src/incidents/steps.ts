import { badUserInput, type InputProblem } from '../errors';
import { checkName, checkText } from '../inputLimits';

/**
 * An incident's progress through its playbook, as pure decisions: the step records an Incident
 * stores (`stepRecords`, one JSON object per step that left PENDING), the rule that keeps them in
 * order, what one step update changes, and the view that lays them over the playbook's steps.
 */

export type StepStatus = 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'SKIPPED';
const STATUSES: readonly StepStatus[] = ['PENDING', 'IN_PROGRESS', 'DONE', 'SKIPPED'];
/** A step in one of these no longer holds up the steps after it. */
const ENDED: readonly StepStatus[] = ['DONE', 'SKIPPED'];

/** An owner by its stable key: a sync can name one without knowing its id. */
export interface OwnerRef {
  source: string;
  externalId: string;
}

export interface StepRecord {
  position: number;
  status: StepStatus;
  owner?: OwnerRef;
  startedAt?: string;
  completedAt?: string;
  note?: string;
}

/** A playbook step with its progress on one incident (GraphQL IncidentStep; the owner resolved by key). */
export interface IncidentStepView extends StepRecord {
  text: string;
  /** The instant the incident was read at, so that the owner is read then too. */
  asOf?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function instant(value: unknown, path: string, problems: InputProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) {
    problems.push({ path, message: 'must be an ISO 8601 date-time' });
    return undefined;
  }
  return new Date(parsed).toISOString();
}

/** One stored record, read and checked on its own; null when it is unusable (problems say why). */
function readRecord(text: unknown, path: string, problems: InputProblem[]): StepRecord | null {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    value = undefined;
  }
  if (!isObject(value)) {
    problems.push({ path, message: 'must be a JSON object {position, status, owner?, startedAt?, completedAt?, note?}' });
    return null;
  }
  const before = problems.length;
  const unknownFields = Object.keys(value).filter((field) => !['position', 'status', 'owner', 'startedAt', 'completedAt', 'note'].includes(field));
  if (unknownFields.length > 0) problems.push({ path, message: `unknown field(s): ${unknownFields.slice(0, 5).join(', ')}` });
  const { position, status, owner, note } = value;
  if (!Number.isInteger(position) || (position as number) < 1 || (position as number) > 1000) problems.push({ path: `${path}.position`, message: 'must be an integer from 1' });
  if (!STATUSES.includes(status as StepStatus)) problems.push({ path: `${path}.status`, message: `must be one of ${STATUSES.join(', ')}` });
  let ownerRef: OwnerRef | undefined;
  if (owner !== undefined && owner !== null) {
    if (!isObject(owner)) problems.push({ path: `${path}.owner`, message: 'must be {source, externalId}' });
    else {
      const source = checkName(owner.source, `${path}.owner.source`, problems);
      const externalId = checkName(owner.externalId, `${path}.owner.externalId`, problems);
      if (source && externalId) ownerRef = { source, externalId };
    }
  }
  if (note !== undefined && note !== null) {
    if (typeof note !== 'string') problems.push({ path: `${path}.note`, message: 'must be a string' });
    else checkText(note, `${path}.note`, problems);
  }
  const startedAt = instant(value.startedAt, `${path}.startedAt`, problems);
  const completedAt = instant(value.completedAt, `${path}.completedAt`, problems);
  if (problems.length > before) return null;
  const record: StepRecord = { position: position as number, status: status as StepStatus };
  if (ownerRef) record.owner = ownerRef;
  if (startedAt) record.startedAt = startedAt;
  if (completedAt) record.completedAt = completedAt;
  if (typeof note === 'string' && note.trim()) record.note = note.trim();
  return record;
}

/** What each status needs of its times, and that a step ends no earlier than it starts. */
function checkTimes(record: StepRecord, path: string, problems: InputProblem[]): void {
  if ((record.status === 'IN_PROGRESS' || record.status === 'DONE') && !record.startedAt) problems.push({ path: `${path}.startedAt`, message: `a ${record.status} step has started` });
  if (ENDED.includes(record.status) && !record.completedAt) problems.push({ path: `${path}.completedAt`, message: `a ${record.status} step has ended` });
  if (!ENDED.includes(record.status) && record.completedAt) problems.push({ path: `${path}.completedAt`, message: `a ${record.status} step has not ended` });
  if (record.startedAt && record.completedAt && record.completedAt < record.startedAt) problems.push({ path: `${path}.completedAt`, message: `before its start (${record.startedAt})` });
}

/**
 * The order rule: a step leaves PENDING only once every step before it is DONE or SKIPPED, and
 * neither starts nor ends before they ended.
 */
function checkOrder(records: StepRecord[], path: string, problems: InputProblem[]): void {
  const byPosition = new Map(records.map((record) => [record.position, record]));
  for (const record of records) {
    if (record.status === 'PENDING') continue;
    for (let earlier = 1; earlier < record.position; earlier += 1) {
      const before = byPosition.get(earlier);
      if (!before || !ENDED.includes(before.status)) {
        problems.push({ path, message: `step ${record.position} is ${record.status} while step ${earlier} is ${before?.status ?? 'PENDING'}: steps run in order` });
        return;
      }
      const began = record.startedAt ?? record.completedAt;
      if (began && before.completedAt && began < before.completedAt) {
        problems.push({ path, message: `step ${record.position} began at ${began}, before step ${earlier} ended (${before.completedAt}): steps run in order` });
        return;
      }
    }
  }
}

/** Stored form: one canonical JSON object per step, by position, so that equal progress compares equal. */
export const storedRecords = (records: StepRecord[]): string[] => [...records].sort((a, b) => a.position - b.position).map((record) => JSON.stringify(record));

/**
 * Checks an incident's `stepRecords` as any write sends them (a sync, a patch, a create): each a
 * well-formed record, one per position, in order. Returns them parsed, or null with problems.
 */
export function checkStepRecords(value: unknown, path: string, problems: InputProblem[]): StepRecord[] | null {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list of JSON objects' });
    return null;
  }
  const before = problems.length;
  const records: StepRecord[] = [];
  const seen = new Set<number>();
  value.forEach((text, index) => {
    const record = readRecord(text, `${path}[${index}]`, problems);
    if (!record) return;
    if (seen.has(record.position)) problems.push({ path: `${path}[${index}].position`, message: `step ${record.position} is recorded twice` });
    seen.add(record.position);
    checkTimes(record, `${path}[${index}]`, problems);
    records.push(record);
  });
  if (problems.length === before) checkOrder(records, path, problems);
  return problems.length === before ? records : null;
}

export interface StepUpdate {
  position: number;
  status: StepStatus;
  owner?: OwnerRef;
  /** ISO instant. */
  at: string;
  note?: string;
}

/**
 * What one step update makes of an incident's records: `unchanged` when the step already is in
 * that status (a repeated call, or a concurrent one that got there first); otherwise the new
 * records, checked by the same rule as every write. Throws BAD_USER_INPUT for a step the playbook
 * does not have, a step going back, a skip without a reason, or a step out of order.
 */
export function planStepUpdate(records: StepRecord[], stepCount: number, update: StepUpdate): { unchanged: boolean; records: StepRecord[] } {
  const { position, status, at } = update;
  if (!Number.isInteger(position) || position < 1 || position > stepCount) {
    throw badUserInput(`The playbook has steps 1 to ${stepCount}; there is no step ${position}`, [{ path: 'input.position', message: `from 1 to ${stepCount}` }]);
  }
  if (status === 'PENDING') throw badUserInput('A step never goes back to PENDING', [{ path: 'input.status', message: 'IN_PROGRESS, DONE or SKIPPED' }]);
  if (status === 'SKIPPED' && !update.note?.trim()) throw badUserInput('Skipping a step needs a note saying why', [{ path: 'input.note', message: 'required to skip' }]);
  const current = records.find((record) => record.position === position) ?? { position, status: 'PENDING' as StepStatus };
  const sameOwner = !update.owner || (current.owner?.source === update.owner.source && current.owner.externalId === update.owner.externalId);
  if (current.status === status && sameOwner && (!update.note || update.note.trim() === current.note)) return { unchanged: true, records };
  if (ENDED.includes(current.status) && current.status !== status) {
    throw badUserInput(`Step ${position} is ${current.status}; it cannot become ${status}`, [{ path: 'input.status', message: `step ${position} is ${current.status}` }]);
  }
  const next: StepRecord = { ...current, status };
  if (update.owner) next.owner = update.owner;
  if (update.note?.trim()) next.note = update.note.trim();
  if (current.status === 'PENDING') next.startedAt = at;
  if (ENDED.includes(status) && !ENDED.includes(current.status)) next.completedAt = at;
  const updated = [...records.filter((record) => record.position !== position), next];
  const problems: InputProblem[] = [];
  const checked = checkStepRecords(storedRecords(updated), 'input', problems);
  if (!checked) {
    const [first] = problems;
    throw badUserInput(`Step ${position} cannot become ${status}: ${first.message}`, problems);
  }
  return { unchanged: false, records: checked };
}

/** The playbook's steps in order, each with its record on the incident or PENDING. */
export function stepsView(playbookSteps: readonly string[], records: StepRecord[], asOf?: string): IncidentStepView[] {
  const byPosition = new Map(records.map((record) => [record.position, record]));
  return playbookSteps.map((text, index) => {
    const record = byPosition.get(index + 1) ?? { position: index + 1, status: 'PENDING' as StepStatus };
    return { ...record, text, ...(asOf ? { asOf } : {}) };
  });
}

/** An incident's stored records, read leniently: a record stored before a rule existed is shown, not refused. */
export function readStoredRecords(value: unknown): StepRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((text, index) => {
    const record = readRecord(text, `stepRecords[${index}]`, []);
    return record ? [record] : [];
  });
}
