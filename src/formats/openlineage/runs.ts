import { pointer } from '../pointer';
import { LineageEvent, LineageName, RunEventType, TERMINAL_EVENT_TYPES } from './events';

/**
 * What the graph remembers of a run so that its events add up, whatever order they arrive in and
 * however often: OpenLineage's events of one run are accumulative (a Spark START names the inputs,
 * its COMPLETE the outputs), and COMPLETE, ABORT and FAIL are terminal. Merging an event is a pure
 * union of the datasets it names and a state that only moves forward, so the same events in any
 * order, each any number of times, give the same run.
 */
export interface RunState {
  /** The job's key and the runId: a runId is unique, the job guards against one reused. */
  key: string;
  runId: string;
  job: string;
  /** Datasets the run's events named, each as the JSON of [namespace, name], sorted. */
  inputs: string[];
  outputs: string[];
  state: RunEventType;
  /** When the event that set `state` happened, when it said. */
  stateAt: string | null;
}

export const runKey = (job: LineageName, runId: string) => `${job.key}|${runId}`;

/**
 * How far along the run cycle a state is: OTHER may come before START, RUNNING follows START, and a
 * terminal state is final. Within a rank the later eventTime wins.
 */
const RANK: Record<RunEventType, number> = { OTHER: 0, START: 1, RUNNING: 1, COMPLETE: 2, ABORT: 2, FAIL: 2 };

const encode = (name: LineageName) => JSON.stringify([name.namespace, name.name]);
export function decode(encoded: string): LineageName {
  const [namespace, name] = JSON.parse(encoded) as [string, string];
  return { namespace, name, key: `${namespace}/${name}` };
}

const union = (stored: readonly string[], added: LineageName[]) => [...new Set([...stored, ...added.map(encode)])].sort();

/** The run after one more of its events; `warn` hears of a second, different terminal event. */
export function applyEvent(stored: RunState | undefined, event: LineageEvent & { runId: string; job: LineageName; eventType: RunEventType }, warn: (where: string, message: string) => void): RunState {
  const base: RunState = stored ?? { key: runKey(event.job, event.runId), runId: event.runId, job: event.job.key, inputs: [], outputs: [], state: event.eventType, stateAt: event.eventTime };
  const rank = RANK[event.eventType] - RANK[base.state];
  const later = event.eventTime !== null && base.stateAt !== null && event.eventTime > base.stateAt;
  const moves = stored === undefined || rank > 0 || (rank === 0 && later);
  if (stored && TERMINAL_EVENT_TYPES.has(stored.state) && TERMINAL_EVENT_TYPES.has(event.eventType) && stored.state !== event.eventType) {
    warn(
      pointer(event.pointer, 'eventType'),
      `the run already ended as ${stored.state}${stored.stateAt ? ` at ${stored.stateAt}` : ''}; the later of the two by eventTime (the first to arrive when either has none) is kept: ${moves ? event.eventType : stored.state}`,
    );
  }
  return {
    ...base,
    inputs: union(base.inputs, event.inputs),
    outputs: union(base.outputs, event.outputs),
    ...(moves ? { state: event.eventType, stateAt: event.eventTime } : {}),
  };
}

/** Field by field: a run read back from Neo4j need not list its properties in the order they were written. */
export const sameRun = (a: RunState | undefined, b: RunState) =>
  a !== undefined && a.state === b.state && a.stateAt === b.stateAt && a.inputs.join('\n') === b.inputs.join('\n') && a.outputs.join('\n') === b.outputs.join('\n');
