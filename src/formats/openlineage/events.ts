import { INPUT_LIMITS, LINE_BREAKING } from '../../inputLimits';
import { isObject } from '../read';
import type { DocumentProblem, ImportWarning } from '../model';
import { pointer } from '../pointer';

/**
 * OpenLineage 2-0-2 events read by hand, not against the official JSON Schema: the project ships
 * neither the schema (it stays with the shared fixtures) nor ajv (a dev dependency, used by the
 * tests to hold this reader to the schema). What the graph is built from (event kind, eventType,
 * runId, job and dataset names) must be right or the event is refused; everything else the spec
 * requires but the graph does not use (producer, schemaURL, facets' _producer) is only warned, so
 * that an event a client really sends is never lost over metadata.
 */

export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];
/** OpenLineage's run cycle: after one of these no other event of the run is sent. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<RunEventType> = new Set(['COMPLETE', 'ABORT', 'FAIL']);

export interface LineageName {
  namespace: string;
  name: string;
  /** `namespace/name`, OpenLineage's URI form of a dataset (Naming.md): the record's externalId. */
  key: string;
}

export interface LineageDataset extends LineageName {
  facets: Record<string, unknown>;
  pointer: string;
}

export interface LineageEvent {
  pointer: string;
  kind: 'RunEvent' | 'JobEvent' | 'DatasetEvent';
  /** A RunEvent's; OTHER when it sent none. Null for job and dataset events, which have no run. */
  eventType: RunEventType | null;
  /** ISO 8601 in UTC, or null when missing or unreadable. */
  eventTime: string | null;
  /** A UUID, or null: a run without one cannot be told apart from others, so it is not merged. */
  runId: string | null;
  job: LineageName | null;
  inputs: LineageDataset[];
  outputs: LineageDataset[];
  /** The errorMessage run facet of a FAIL or ABORT. */
  errorMessage: string | null;
}

export interface ReadEvents {
  events: LineageEvent[];
  warnings: ImportWarning[];
  problems: DocumentProblem[];
}

const TOP_LEVEL = new Set(['eventType', 'eventTime', 'producer', 'schemaURL', 'run', 'job', 'inputs', 'outputs', 'dataset']);
/** What integrations' expected-event templates hold where a real event has a value (json-unit, dbt's matchers). */
const PLACEHOLDER = /\$\{json-unit\.|\{\{.*\}\}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3339 as the spec's date-time format has it, except that a missing zone is read as UTC (see dataset-event.json). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Whether a parsed document is OpenLineage: one event, or a list of them (as integrations' tests keep them). */
export function isOpenLineage(document: unknown): boolean {
  const first = Array.isArray(document) ? document[0] : document;
  if (!isObject(first)) return false;
  if (typeof first.schemaURL === 'string' && /openlineage/i.test(first.schemaURL)) return true;
  const named = (value: unknown) => isObject(value) && typeof value.namespace === 'string' && typeof value.name === 'string';
  return (named(first.job) && (isObject(first.run) || 'inputs' in first || 'outputs' in first)) || (named(first.dataset) && 'eventTime' in first);
}

/** The events of a document, each checked in the parts the graph is built from. */
export function readEvents(document: unknown): ReadEvents {
  const out: ReadEvents = { events: [], warnings: [], problems: [] };
  const items = Array.isArray(document) ? document.map((item, index) => [item, pointer('', index)] as const) : [[document, ''] as const];
  if (items.length === 0) out.problems.push({ pointer: '', message: 'holds no OpenLineage event' });
  for (const [item, at] of items) {
    const event = readEvent(item, at, out);
    if (event) out.events.push(event);
  }
  return out;
}

function readEvent(raw: unknown, at: string, out: ReadEvents): LineageEvent | null {
  const before = out.problems.length;
  const problem = (where: string, message: string) => out.problems.push({ pointer: where, message });
  const warn = (where: string, message: string) => out.warnings.push({ pointer: where, message, skipped: false });
  if (!isObject(raw)) {
    problem(at, 'must be an OpenLineage event, a JSON object');
    return null;
  }
  const kind = 'dataset' in raw && !('run' in raw) && !('job' in raw) ? 'DatasetEvent' : 'run' in raw ? 'RunEvent' : 'job' in raw ? 'JobEvent' : null;
  if (!kind) {
    problem(at, 'is neither a RunEvent (run and job), a JobEvent (job) nor a DatasetEvent (dataset)');
    return null;
  }
  for (const key of Object.keys(raw)) if (!TOP_LEVEL.has(key)) warn(pointer(at, key), 'not part of an OpenLineage event; not kept');
  for (const key of ['producer', 'schemaURL']) {
    if (typeof raw[key] !== 'string') warn(pointer(at, key), 'missing or not a string (the spec requires it); the event is read anyway');
  }

  const eventType = kind === 'RunEvent' ? readEventType(raw.eventType, pointer(at, 'eventType'), problem, warn) : null;
  if (kind !== 'RunEvent' && 'eventType' in raw) warn(pointer(at, 'eventType'), `a ${kind} has no run, so no run state; not kept`);
  if (kind !== 'DatasetEvent' && 'dataset' in raw) warn(pointer(at, 'dataset'), `a ${kind} names its datasets in inputs and outputs; not kept`);
  const eventTime = readEventTime(raw.eventTime, pointer(at, 'eventTime'), problem, warn);
  const run = kind === 'RunEvent' ? readRun(raw.run, pointer(at, 'run'), eventType === 'FAIL' || eventType === 'ABORT', problem, warn) : { runId: null, errorMessage: null };
  const job = kind === 'DatasetEvent' ? null : readName(raw.job, pointer(at, 'job'), problem, warn);
  if (job && isObject(raw.job)) warnFacets(raw.job.facets, pointer(at, 'job', 'facets'), 'job facets are not kept: the job is named on the relationships it asserts and in the audit', warn);
  const inputs = kind === 'DatasetEvent' ? [] : readDatasets(raw.inputs, pointer(at, 'inputs'), 'inputFacets', problem, warn);
  const outputs = kind === 'DatasetEvent' ? [] : readDatasets(raw.outputs, pointer(at, 'outputs'), 'outputFacets', problem, warn);
  const dataset = kind === 'DatasetEvent' ? readDataset(raw.dataset, pointer(at, 'dataset'), problem, warn) : null;
  if (out.problems.length > before) return null;
  return {
    pointer: at,
    kind,
    eventType,
    eventTime,
    runId: run.runId,
    job,
    // A DatasetEvent's dataset is read as an output: it is written, and derives from nothing here.
    inputs,
    outputs: dataset ? [dataset] : outputs,
    errorMessage: run.errorMessage,
  };
}

type Report = (where: string, message: string) => void;

function readEventType(value: unknown, at: string, problem: Report, warn: Report): RunEventType | null {
  if (value === undefined || value === null) {
    warn(at, 'missing: read as OTHER, metadata that adds to the run without changing its state');
    return 'OTHER';
  }
  if (typeof value === 'string' && (RUN_EVENT_TYPES as readonly string[]).includes(value)) return value as RunEventType;
  problem(at, `must be one of ${RUN_EVENT_TYPES.join(', ')}`);
  return null;
}

function readEventTime(value: unknown, at: string, problem: Report, warn: Report): string | null {
  if (value === undefined) {
    warn(at, 'missing: the event is ordered by its arrival');
    return null;
  }
  if (typeof value !== 'string') {
    problem(at, 'must be a date-time string');
    return null;
  }
  const time = DATE_TIME.test(value) ? new Date(/(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`) : null;
  if (!time || Number.isNaN(time.getTime())) {
    warn(at, 'not a date-time (a template placeholder?): the event is ordered by its arrival');
    return null;
  }
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(value)) warn(at, 'has no time zone: read as UTC');
  return time.toISOString();
}

/** `failed`: a FAIL or ABORT, whose errorMessage facet the audit names. */
function readRun(value: unknown, at: string, failed: boolean, problem: Report, warn: Report): { runId: string | null; errorMessage: string | null } {
  if (!isObject(value)) {
    problem(at, 'must be an object with a runId');
    return { runId: null, errorMessage: null };
  }
  let runId: string | null = null;
  if (value.runId === undefined) warn(pointer(at, 'runId'), 'missing: the event stands alone, not merged with other events of its run');
  else if (typeof value.runId !== 'string') problem(pointer(at, 'runId'), 'must be a string, a UUID');
  else if (!UUID.test(value.runId)) warn(pointer(at, 'runId'), 'not a UUID (a template placeholder?): the event stands alone, not merged with other events of its run');
  else runId = value.runId.toLowerCase();
  const facets = isObject(value.facets) ? value.facets : {};
  const error = failed && isObject(facets.errorMessage) && typeof facets.errorMessage.message === 'string' ? facets.errorMessage.message : null;
  warnFacets(value.facets, pointer(at, 'facets'), 'run facets are not kept', warn, error === null ? [] : ['errorMessage']);
  if (error !== null) warnFacets(facets.errorMessage, pointer(at, 'facets', 'errorMessage'), 'only the message is kept, in the audit', warn, ['_producer', '_schemaURL', 'message']);
  return { runId, errorMessage: error };
}

/** A job's or a dataset's namespace and name: single-line, and short enough together to be a key. */
function readName(value: unknown, at: string, problem: Report, warn: Report): LineageName | null {
  if (!isObject(value)) {
    problem(at, 'must be an object with a namespace and a name');
    return null;
  }
  const read = (field: 'namespace' | 'name') => {
    const text = value[field];
    if (typeof text !== 'string' || text.trim().length === 0) problem(pointer(at, field), 'must be a non-empty string');
    else if (LINE_BREAKING.test(text)) problem(pointer(at, field), 'must not contain control characters or line breaks');
    else return text.trim();
    return null;
  };
  const namespace = read('namespace');
  const name = read('name');
  if (namespace === null || name === null) return null;
  const key = `${namespace}/${name}`;
  if (key.length > INPUT_LIMITS.name) {
    problem(at, `namespace and name together are ${key.length} characters; at most ${INPUT_LIMITS.name - 1} are kept as a key`);
    return null;
  }
  if (PLACEHOLDER.test(key)) warn(at, 'holds what looks like a test template\'s placeholder; kept as written');
  return { namespace, name, key };
}

function readDataset(value: unknown, at: string, problem: Report, warn: Report): LineageDataset | null {
  const name = readName(value, at, problem, warn);
  if (!name || !isObject(value)) return null;
  return { ...name, facets: isObject(value.facets) ? value.facets : {}, pointer: at };
}

function readDatasets(value: unknown, at: string, runFacets: 'inputFacets' | 'outputFacets', problem: Report, warn: Report): LineageDataset[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problem(at, 'must be a list of datasets');
    return [];
  }
  return value.flatMap((item, index) => {
    const dataset = readDataset(item, pointer(at, index), problem, warn);
    if (dataset && isObject(item)) warnFacets(item[runFacets], pointer(at, index, runFacets), `${runFacets} describe one run, not the dataset; not kept`, warn);
    return dataset ? [dataset] : [];
  });
}

/** One warning per facet the graph does not keep, so that a report accounts for each. */
function warnFacets(facets: unknown, at: string, message: string, warn: Report, kept: readonly string[] = []): void {
  if (!isObject(facets)) return;
  for (const name of Object.keys(facets)) if (!kept.includes(name)) warn(pointer(at, name), message);
}
