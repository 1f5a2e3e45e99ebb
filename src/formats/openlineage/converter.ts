import { INPUT_LIMITS } from '../../inputLimits';
import type { Conversion, RecordOrigin } from '../model';
import { PayloadBuilder } from '../payloadBuilder';
import { pointer } from '../pointer';
import { LineageDataset, LineageEvent, LineageName, ReadEvents, RunEventType } from './events';
import { columnLineage, datasetFields } from './facets';
import { applyEvent, decode, RunState, runKey, sameRun } from './runs';

/**
 * OpenLineage events as a sync payload. Every dataset an event names is a Dataset record keyed by
 * `namespace/name`; every output of a job is DERIVED_FROM every input of the same run (the run's
 * events added up with what is stored of it), with the job and any column lineage on the
 * relationship. A run, job or dataset event without a usable runId stands alone.
 */

export interface LineageConversion extends Conversion {
  /** Runs the events changed: written in the sync's transaction, under the source's lock. */
  runs: RunState[];
  /** The events as the audit names them: type, job and run of each. */
  reason: string;
}

type RunEvent = LineageEvent & { runId: string; job: LineageName; eventType: RunEventType };
const isMergedRun = (event: LineageEvent): event is RunEvent => event.kind === 'RunEvent' && event.runId !== null && event.job !== null && event.eventType !== null;

/** The keys of the stored runs a document's events add to: read before converting. */
export const runKeys = (events: LineageEvent[]) => [...new Set(events.filter(isMergedRun).map((event) => runKey(event.job, event.runId)))];

export function convertEvents(read: ReadEvents, stored: ReadonlyMap<string, RunState>): LineageConversion {
  const builder = new PayloadBuilder();
  const { conversion } = builder;
  conversion.warnings.push(...read.warnings);
  conversion.problems.push(...read.problems);
  const warn = (at: string, message: string) => builder.warn(at, message);
  const runs = new Map(stored);
  const changed = new Map<string, RunState>();
  // Later events' facets complete earlier ones': the builder keeps a record as first added.
  const records = new Map<string, { fields: Record<string, unknown>; origin: RecordOrigin }>();
  const record = (name: LineageName, at: string, fields: Record<string, unknown> = { externalId: name.key, name: name.name }) => {
    const known = records.get(name.key);
    records.set(name.key, known ? { ...known, fields: { ...known.fields, ...fields } } : { fields, origin: { pointer: at, fields: {} } });
  };

  for (const event of read.events) {
    const named: LineageDataset[] = [...event.inputs, ...event.outputs];
    conversion.considered += named.length;
    conversion.mapped += named.length;
    for (const dataset of named) record(dataset, dataset.pointer, datasetFields(dataset, warn));

    let inputs: LineageName[] = event.inputs;
    let outputs: LineageName[] = event.outputs;
    if (isMergedRun(event)) {
      const key = runKey(event.job, event.runId);
      const before = runs.get(key);
      const run = applyEvent(before, event, warn);
      if (!sameRun(before, run)) changed.set(key, run);
      runs.set(key, run);
      inputs = run.inputs.map(decode);
      outputs = run.outputs.map(decode);
    }
    const job: Record<string, string> = event.job ? { job: event.job.key } : {};
    for (const output of outputs) {
      record(output, event.pointer);
      for (const input of inputs) {
        record(input, event.pointer);
        if (input.key === output.key) warn(event.pointer, `${output.key} is both read and written: no relationship from a dataset to itself`);
        else builder.link('DERIVED_FROM', ref(output), ref(input), event.pointer, job);
      }
    }
    for (const dataset of named) {
      for (const { source, mappings } of columnLineage(dataset, warn)) {
        record(source, source.pointer);
        if (source.key === dataset.key) warn(source.pointer, 'a column taken from the same dataset: no relationship from a dataset to itself');
        else builder.link('DERIVED_FROM', ref(dataset), ref(source), pointer(dataset.pointer, 'facets', 'columnLineage'), { ...job, columnLineage: mappings });
      }
    }
  }
  for (const { fields, origin } of records.values()) builder.addRecord('Dataset', fields as Record<string, unknown> & { externalId: string; name: string }, origin);
  return { ...builder.build(), runs: [...changed.values()], reason: auditReason(read.events) };
}

const ref = (name: LineageName) => ({ type: 'Dataset' as const, externalId: name.key });

/** Short enough to stay one audit entry whatever the batch: the first events in full, then a count. */
function auditReason(events: LineageEvent[]): string {
  const parts = events.map((event) => {
    const what = event.eventType ?? event.kind;
    const subject = event.job ? `job ${event.job.key}` : `dataset ${event.outputs[0]?.key}`;
    const error = event.errorMessage ? `: ${event.errorMessage.slice(0, 200)}` : '';
    return `${what} ${subject}${event.runId ? ` run ${event.runId}` : ''}${error}`;
  });
  let note = 'OpenLineage';
  for (const [index, part] of parts.entries()) {
    const rest = parts.length - index;
    if (note.length + part.length > INPUT_LIMITS.text / 4) return `${note}; and ${rest} more event${rest > 1 ? 's' : ''}`;
    note += `${index === 0 ? ' ' : '; '}${part}`;
  }
  return note;
}
