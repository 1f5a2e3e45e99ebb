import type { Principal } from '../../src/auth/access';
import { badUserInput, codedError } from '../../src/errors';
import type { ImportReport } from '../../src/formats/model';
import { EventBatcher } from '../../src/formats/openlineage/batcher';

/** Group commit over a stand-in import: which events share a transaction, and what each sender hears. */
const SYNC: Principal = { name: 'airflow', kind: 'apiKey', role: 'SYNC', source: 'airflow' };
const report = (events: unknown[]): ImportReport =>
  ({ format: 'OPENLINEAGE', source: 'airflow', considered: events.length, mapped: events.length, problems: [], warnings: events.map((_, index) => ({ pointer: `/${index}/run/runId`, message: `event ${index}`, skipped: false })) }) as unknown as ImportReport;

function recorder(fail: (events: unknown[]) => Error | undefined = () => undefined) {
  const batches: unknown[][] = [];
  let release: () => void = () => undefined;
  const batcher = new EventBatcher(async (_principal, _source, events) => {
    batches.push(events);
    // The first transaction holds the lock until the test lets it go.
    if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    const error = fail(events);
    if (error) throw error;
    return report(events);
  });
  return { batcher, batches, release: () => release() };
}

test('events that arrive while a transaction runs are committed together by the next one, each told its own warnings', async () => {
  const { batcher, batches, release } = recorder();
  const first = batcher.submit(SYNC, 'airflow', 'a');
  const rest = ['b', 'c', 'd'].map((event) => batcher.submit(SYNC, 'airflow', event));
  release();
  const outcomes = await Promise.all([first, ...rest]);
  expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  expect(outcomes.map((outcome) => [outcome.batch.events, outcome.warnings])).toEqual([
    [1, [{ pointer: '/run/runId', message: 'event 0', skipped: false }]],
    [3, [{ pointer: '/run/runId', message: 'event 0', skipped: false }]],
    [3, [{ pointer: '/run/runId', message: 'event 1', skipped: false }]],
    [3, [{ pointer: '/run/runId', message: 'event 2', skipped: false }]],
  ]);
});

test('a batch refused as bad input is tried event by event: only the bad event is refused', async () => {
  const { batcher, batches, release } = recorder((events) => (events.includes('bad') ? badUserInput('bad event') : undefined));
  const first = batcher.submit(SYNC, 'airflow', 'a');
  const rest = ['b', 'bad', 'c'].map((event) => batcher.submit(SYNC, 'airflow', event));
  release();
  const settled = await Promise.allSettled([first, ...rest]);
  expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect(batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
});

test('any other failure fails every event of the batch (the clients retry it), and callers never share a transaction', async () => {
  const { batcher, batches, release } = recorder((events) => (events.length > 1 ? codedError('SERVICE_UNAVAILABLE', 'database away') : undefined));
  const other: Principal = { ...SYNC, name: 'dbt' };
  const first = batcher.submit(SYNC, 'airflow', 'a');
  const mine = ['b', 'c'].map((event) => batcher.submit(SYNC, 'airflow', event));
  const theirs = batcher.submit(other, 'airflow', 'd');
  release();
  const settled = await Promise.allSettled([first, ...mine, theirs]);
  expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
  expect(batches).toEqual(expect.arrayContaining([['a'], ['b', 'c'], ['d']]));
});
