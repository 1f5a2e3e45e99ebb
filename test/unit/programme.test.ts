import type { InputProblem } from '../../src/errors';
import { incidentMetrics, quarterOf } from '../../src/incidents/metrics';
import { checkPastInstant } from '../../src/incidents/programme';
import { checkStepRecords, planStepUpdate, StepRecord, stepsView, storedRecords } from '../../src/incidents/steps';
import type { EntityRow } from '../../src/estate/model';
import { registrationsFor } from '../../src/shadow/discovery';
import { shadowReport } from '../../src/shadow/report';

/** The programme's pure decisions (issue 15): step order, step updates, metrics, shadow AI groups. */

const at = (hour: number) => new Date(Date.UTC(2026, 10, 18, hour)).toISOString();
const done = (position: number, start: number, end: number): StepRecord => ({ position, status: 'DONE', startedAt: at(start), completedAt: at(end) });

describe('step records', () => {
  const check = (records: unknown[]) => {
    const problems: InputProblem[] = [];
    const result = checkStepRecords(records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))), 'stepRecords', problems);
    return { result, problems: problems.map((problem) => `${problem.path}: ${problem.message}`) };
  };

  test('in order, ended steps before a started one: accepted, stored canonically by position', () => {
    const records = [{ status: 'IN_PROGRESS', startedAt: at(3), position: 3 }, done(1, 0, 1), { position: 2, status: 'SKIPPED', completedAt: at(2), note: ' not needed ' }];
    const { result, problems } = check(records);
    expect(problems).toEqual([]);
    expect(storedRecords(result!)).toEqual([
      JSON.stringify(done(1, 0, 1)),
      JSON.stringify({ position: 2, status: 'SKIPPED', completedAt: at(2), note: 'not needed' }),
      JSON.stringify({ position: 3, status: 'IN_PROGRESS', startedAt: at(3) }),
    ]);
  });

  test.each([
    ['a step before a started one still pending', [{ position: 2, status: 'IN_PROGRESS', startedAt: at(1) }], /step 2 is IN_PROGRESS while step 1 is PENDING/],
    ['a step before a done one still running', [{ position: 1, status: 'IN_PROGRESS', startedAt: at(0) }, done(2, 1, 2)], /step 2 is DONE while step 1 is IN_PROGRESS/],
    ['a step started before the one before it ended', [done(1, 0, 5), done(2, 3, 6)], /began at .* before step 1 ended/],
    ['an end before the start', [done(1, 5, 3)], /before its start/],
    ['a DONE step without its times', [{ position: 1, status: 'DONE' }], /has started/],
    ['a running step with an end', [{ position: 1, status: 'IN_PROGRESS', startedAt: at(0), completedAt: at(1) }], /has not ended/],
    ['a step recorded twice', [done(1, 0, 1), done(1, 0, 1)], /recorded twice/],
    ['not JSON', ['{'], /must be a JSON object/],
    ['an unknown status', [{ position: 1, status: 'FINISHED' }], /must be one of/],
    ['position 0', [{ position: 0, status: 'PENDING' }], /integer from 1/],
    ['an unknown field', [{ position: 1, status: 'PENDING', by: 'me' }], /unknown field/],
    ['a malformed owner', [{ position: 1, status: 'PENDING', owner: 'me' }], /source, externalId/],
    ['a bad instant', [{ position: 1, status: 'IN_PROGRESS', startedAt: 'yesterday' }], /ISO 8601/],
  ])('refused: %s', (_what, records, message) => {
    const { result, problems } = check(records);
    expect(result).toBeNull();
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('a step update', () => {
  const records = [done(1, 0, 1)];

  test('starts, completes and skips in order; the same update again is no change', () => {
    const started = planStepUpdate(records, 3, { position: 2, status: 'IN_PROGRESS', at: at(2), owner: { source: 's', externalId: 'o' } });
    expect(started.records.find((record) => record.position === 2)).toEqual({ position: 2, status: 'IN_PROGRESS', startedAt: at(2), owner: { source: 's', externalId: 'o' } });
    expect(planStepUpdate(started.records, 3, { position: 2, status: 'IN_PROGRESS', at: at(3) }).unchanged).toBe(true);
    const finished = planStepUpdate(started.records, 3, { position: 2, status: 'DONE', at: at(4) }).records;
    expect(finished.find((record) => record.position === 2)).toMatchObject({ status: 'DONE', startedAt: at(2), completedAt: at(4) });
    // Straight from PENDING to DONE: started and ended at once.
    expect(planStepUpdate(finished, 3, { position: 3, status: 'DONE', at: at(5) }).records[2]).toMatchObject({ startedAt: at(5), completedAt: at(5) });
  });

  test.each([
    ['out of order', { position: 3, status: 'IN_PROGRESS' as const }, /steps run in order/],
    ['back to PENDING', { position: 1, status: 'PENDING' as const }, /never goes back/],
    ['a done step started again', { position: 1, status: 'IN_PROGRESS' as const }, /is DONE; it cannot become IN_PROGRESS/],
    ['a skip without a reason', { position: 2, status: 'SKIPPED' as const }, /needs a note/],
    ['a step the playbook lacks', { position: 4, status: 'DONE' as const }, /steps 1 to 3/],
  ])('refused: %s', (_what, update, message) => {
    expect(() => planStepUpdate(records, 3, { ...update, at: at(2) })).toThrow(message);
  });

  test('a step cannot be dated before the step before it ended', () => {
    expect(() => planStepUpdate(records, 3, { position: 2, status: 'DONE', at: at(0) })).toThrow(/before step 1 ended/);
  });

  test('the view lays records over the playbook, PENDING where none', () => {
    expect(stepsView(['a', 'b'], records, '2026-11-19T00:00:00.000Z')).toEqual([
      { ...records[0], text: 'a', asOf: '2026-11-19T00:00:00.000Z' },
      { position: 2, status: 'PENDING', text: 'b', asOf: '2026-11-19T00:00:00.000Z' },
    ]);
    expect(stepsView([], records)).toEqual([]);
  });
});

test('a stated time: valid, not in the future (a clock a second ahead is now), may precede any history', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  expect(checkPastInstant('1990-01-01T00:00:00Z', 'at', now)).toBe('1990-01-01T00:00:00.000Z');
  expect(checkPastInstant(new Date(now + 500), 'at', now)).toBe(new Date(now).toISOString());
  expect(checkPastInstant(null, 'at', now)).toBe(new Date(now).toISOString());
  expect(() => checkPastInstant(new Date(now + 5_000), 'at', now)).toThrow(/in the future/);
  expect(() => checkPastInstant('never', 'at', now)).toThrow(/not a date-time/);
});

describe('incident metrics', () => {
  test('quarters in UTC', () => {
    expect([quarterOf('2026-03-31T23:59:59Z'), quarterOf('2026-04-01T00:00:00Z'), quarterOf('2026-12-31T23:00:00Z')]).toEqual(['2026-Q1', '2026-Q2', '2026-Q4']);
  });

  test('per category and quarter, as known at an instant: later times do not count, a time before detection gives no duration', () => {
    const rows = [
      { category: 'HALLUCINATION' as const, detectedAt: '2026-10-01T00:00:00Z', containedAt: '2026-10-01T02:00:00Z', closedAt: '2026-10-03T00:00:00Z' },
      { category: 'HALLUCINATION' as const, detectedAt: '2026-10-05T00:00:00Z', containedAt: '2026-10-05T04:00:00Z', closedAt: '2026-11-20T00:00:00Z' },
      { category: 'HALLUCINATION' as const, detectedAt: '2026-11-01T00:00:00Z', containedAt: '2026-10-31T00:00:00Z', closedAt: null },
      { category: null, detectedAt: '2026-07-01T00:00:00Z', containedAt: null, closedAt: null },
      { category: 'SHADOW_AI' as const, detectedAt: '2026-12-01T00:00:00Z', containedAt: null, closedAt: null },
    ];
    const metrics = incidentMetrics(rows, Date.parse('2026-11-15T00:00:00Z'));
    expect(metrics.map((m) => [m.quarter, m.category, m.incidents])).toEqual([
      ['2026-Q3', null, 1],
      ['2026-Q4', 'HALLUCINATION', 3],
    ]);
    expect(metrics[1]).toMatchObject({ uncontained: 0, open: 2, meanHoursToContain: 3, medianHoursToContain: 3, maxHoursToContain: 4, meanHoursToClose: 48, maxHoursToClose: 48 });
    expect(metrics[0]).toMatchObject({ uncontained: 1, open: 1, meanHoursToContain: null, meanHoursToClose: null });
  });
});

test('shadow AI groups: biggest first, unnamed last; an asset with several owners in each; data groups only for touched data', () => {
  const row = (id: string, name: string, fields: Record<string, unknown> = {}) => ({ id, name, key: id, type: 'DiscoveredAsset', ...fields }) as unknown as EntityRow;
  const [ann, bo, crm, hr] = [row('o1', 'Ann'), row('o2', 'Bo'), row('d1', 'CRM'), row('d2', 'HR')];
  const report = shadowReport(
    [
      { found: row('a', 'Zeta', { department: 'Sales' }), owners: [ann, bo], datasets: [crm] },
      { found: row('b', 'Alpha', { department: 'Sales' }), owners: [ann], datasets: [crm, hr] },
      { found: row('c', 'Mid', { department: ' ' }), owners: [], datasets: [] },
    ],
    null,
  );
  const names = (items: EntityRow[]) => items.map((item) => item.name);
  expect(names(report.items)).toEqual(['Alpha', 'Mid', 'Zeta']);
  expect(report.byDepartment.map((group) => [group.department, names(group.items)])).toEqual([['Sales', ['Alpha', 'Zeta']], [null, ['Mid']]]);
  expect(report.byOwner.map((group) => [group.owner?.name ?? null, names(group.items)])).toEqual([['Ann', ['Alpha', 'Zeta']], ['Bo', ['Zeta']], [null, ['Mid']]]);
  expect(report.byData.map((group) => [group.dataset.name, names(group.items)])).toEqual([['CRM', ['Alpha', 'Zeta']], ['HR', ['Alpha']]]);
});

test('a discovery named as a registered record is linked to it, unless its payload links it itself', () => {
  const record = (externalId: string, name: string) => ({ path: '', type: 'DiscoveredAsset' as const, key: externalId, externalId, desired: { name } });
  const links = registrationsFor(
    {
      records: [record('a', 'Known'), record('b', 'Known'), record('c', 'Unknown')],
      relationships: [{ type: 'REGISTERED_AS', from: { type: 'DiscoveredAsset', externalId: 'b' }, to: { id: 'x' } }],
    },
    new Map([['Known', ['m1', 'm2']]]),
  );
  expect(links.map((link) => [link.from.externalId, link.to.id])).toEqual([
    ['a', 'm1'],
    ['a', 'm2'],
  ]);
});
