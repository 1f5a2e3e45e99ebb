import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/access';
import type { ImportReport, ImportWarning } from '../model';
import { pointer, pointerTokens } from '../pointer';

/** What one event's sender is told once the batch that carried it is committed. */
export interface EventOutcome {
  /** This event's own warnings, their pointers into the event as it was sent. */
  warnings: ImportWarning[];
  /** The sync of the whole batch: its counts cover the other events committed with this one. */
  batch: { events: number; report: ImportReport };
}

/** Imports a list of events under a source, as the caller: one transaction. */
export type ImportEvents = (principal: Principal, source: string, events: unknown[]) => Promise<ImportReport>;

interface Pending {
  event: unknown;
  resolve(outcome: EventOutcome): void;
  reject(error: unknown): void;
}

interface Queue {
  principal: Principal;
  source: string;
  pending: Pending[];
}

/**
 * A batch waits for the one before it, never for a timer: one event alone is written at once, and
 * while a transaction holds the source's lock the events that arrive meanwhile gather into the
 * next. This cap keeps one transaction (and the wait of the first event in it) short whatever the
 * number of clients.
 */
const MAX_EVENTS_PER_BATCH = 100;

/**
 * Group commit for OpenLineage's HTTP transport, which sends one event per request: the sync of a
 * source is serialised by its lock, so writing each event in its own transaction caps a busy source
 * at the rate of one transaction after another. Events of the same caller and source are written
 * together instead, and each request is answered only once its event is committed (or refused), so
 * no client is told yes for an event that is not stored. A batch refused as bad input is tried
 * again event by event, so that one client's bad event never fails another's.
 */
export class EventBatcher {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly importEvents: ImportEvents) {}

  submit(principal: Principal, source: string, event: unknown): Promise<EventOutcome> {
    // One transaction has one actor in the audit and one set of rights: callers never share one.
    const key = JSON.stringify([principal.kind, principal.name, principal.role, principal.source ?? null, source]);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.pending.push({ event, resolve, reject });
        return;
      }
      const fresh: Queue = { principal, source, pending: [{ event, resolve, reject }] };
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, queue: Queue): Promise<void> {
    while (queue.pending.length > 0) await this.commit(queue, queue.pending.splice(0, MAX_EVENTS_PER_BATCH));
    this.queues.delete(key);
  }

  private async commit(queue: Queue, batch: Pending[]): Promise<void> {
    let report: ImportReport;
    try {
      report = await this.importEvents(queue.principal, queue.source, batch.map((pending) => pending.event));
    } catch (error) {
      if (batch.length > 1 && error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
        for (const pending of batch) await this.commit(queue, [pending]);
      } else {
        for (const pending of batch) pending.reject(error);
      }
      return;
    }
    batch.forEach((pending, index) => pending.resolve({ warnings: warningsOf(report.warnings, index), batch: { events: batch.length, report } }));
  }
}

/** The warnings about the index-th event of a batch, as pointers into that event alone. */
function warningsOf(warnings: ImportWarning[], index: number): ImportWarning[] {
  return warnings.flatMap((warning) => {
    const [first, ...rest] = pointerTokens(warning.pointer) ?? [];
    return first === String(index) ? [{ ...warning, pointer: pointer('', ...rest) }] : [];
  });
}
