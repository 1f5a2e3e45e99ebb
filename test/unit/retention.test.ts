import { parseCommandLine } from '../../scripts/runScript';
import { cutoffOf, formatPruneReport, PRUNE_USAGE, readPruneCommand } from '../../src/history/retention';

/** `npm run history -- prune` read without a database: what it would prune, or why it refuses. */
const read = (argv: string[], retentionDays?: number) => {
  const { options, positional } = parseCommandLine(argv, PRUNE_USAGE, ['dry-run']);
  return readPruneCommand(options, positional, { retentionDays });
};

test('the retention setting gives the days; --older-than-days overrides it; --dry-run only counts', () => {
  expect(read(['prune'], 90)).toEqual({ dryRun: false, days: 90, reason: 'HISTORY_RETENTION_DAYS=90' });
  expect(read(['prune', '--dry-run'], 90)).toMatchObject({ dryRun: true, days: 90 });
  expect(read(['--dry-run', 'prune', '--older-than-days', '400'])).toEqual({ dryRun: true, days: 400, reason: '--older-than-days 400' });
  expect(read(['prune', '--older-than-days', '7'], 90)).toMatchObject({ days: 7 });
});

test('without a retention it refuses, saying how to set one; wrong commands and days are refused with the usage', () => {
  expect(() => read(['prune'])).toThrow(/history is kept forever: HISTORY_RETENTION_DAYS is not set.*--older-than-days/);
  expect(() => read([], 30)).toThrow(PRUNE_USAGE);
  expect(() => read(['purge'], 30)).toThrow(PRUNE_USAGE);
  expect(() => read(['prune', 'now'], 30)).toThrow(PRUNE_USAGE);
  expect(() => read(['prune', '--force'], 30)).toThrow(/unknown option --force/);
  for (const days of ['0', '-3', '1.5', 'soon', '36501']) expect(() => read(['prune', '--older-than-days', days])).toThrow(/--older-than-days must be a whole number/);
  expect(() => read(['prune', '--older-than-days'])).toThrow(/got nothing/);
});

test('the horizon is that many days before now, and the report names each kind of history', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  expect(cutoffOf(30, now).toISOString()).toBe('2026-10-31T12:00:00.000Z');
  const removed = { changeSets: 3, versions: 2, relationships: 1, retired: 1, declarations: 0 };
  const text = formatPruneReport({ cutoff: cutoffOf(30, now), dryRun: true, removed, reason: 'HISTORY_RETENTION_DAYS=30' });
  expect(text).toMatch(/^Would prune history before 2026-10-31T12:00:00.000Z \(HISTORY_RETENTION_DAYS=30\):/);
  expect(text).toMatch(/change sets +3\n +record versions +2\n +ended relationships +1\n +retired records +1\n +withdrawn declarations +0\nDry run: nothing was removed/);
  expect(formatPruneReport({ cutoff: cutoffOf(30, now), dryRun: false, removed, reason: 'x' })).toMatch(/^Pruned history before .*\nasOf and changes before 2026-10-31T12:00:00.000Z are refused from now on\.\n$/s);
});
