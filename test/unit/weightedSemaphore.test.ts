import { WeightedSemaphore } from '../../src/weightedSemaphore';

/** Work that runs until released, recording when it started. */
function heldWork(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => release(),
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('light work that fits goes at once past heavy work that waits, and waiting work is admitted in order as capacity frees', async () => {
  const semaphore = new WeightedSemaphore(1_200);
  const log: string[] = [];
  const [first, second, third, fourth] = ['first', 'second', 'third', 'fourth'].map((name) => heldWork(log, name));
  const runs = [first, second, third, fourth].map((held) => semaphore.run(500, held.work));
  await settle();
  expect(log).toEqual(['start first', 'start second']);

  const light = heldWork(log, 'light');
  const lightRun = semaphore.run(1, light.work);
  await settle();
  expect(log).toEqual(['start first', 'start second', 'start light']);

  first.release();
  await settle();
  expect(log.slice(3)).toEqual(['end first', 'start third']);
  second.release();
  await settle();
  expect(log.slice(5)).toEqual(['end second', 'start fourth']);

  // Full again (1,001 of 1,200): light work that does not fit waits for a release, not for the queue.
  const tooMuch = heldWork(log, 'two hundred');
  const tooMuchRun = semaphore.run(200, tooMuch.work);
  await settle();
  expect(log.slice(7)).toEqual([]);
  light.release();
  await settle();
  expect(log.slice(7)).toEqual(['end light', 'start two hundred']);
  [third, fourth, tooMuch].forEach((held) => held.release());
  await expect(Promise.all([...runs, lightRun, tooMuchRun])).resolves.toEqual(['first', 'second', 'third', 'fourth', 'light', 'two hundred']);
});

test('work heavier than the capacity runs alone rather than never, and a failure frees its share', async () => {
  const semaphore = new WeightedSemaphore(100);
  const log: string[] = [];
  const huge = heldWork(log, 'huge');
  const hugeRun = semaphore.run(10_000, huge.work);
  const small = semaphore.run(1, async () => 'small');
  await settle();
  expect(log).toEqual(['start huge']);
  huge.release();
  await expect(hugeRun).resolves.toBe('huge');
  await expect(small).resolves.toBe('small');

  await expect(semaphore.run(100, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  await expect(semaphore.run(100, async () => 'after')).resolves.toBe('after');
});

test('a capacity must be a positive integer', () => {
  expect(() => new WeightedSemaphore(0)).toThrow('positive integer');
  expect(() => new WeightedSemaphore(1.5)).toThrow('positive integer');
});
