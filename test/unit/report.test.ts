import { parse, validate } from 'graphql';
import { buildSchema } from '../../src/server';
import { expiredEvidence, gateFindings, heatMap, openIncidents } from '../../src/report/model';
import { REPORT_OPERATIONS } from '../../src/report/operations';
import { parseQuarter, quarterAt, quarterBefore, quarterInstant } from '../../src/report/quarter';

const schema = buildSchema();

test.each(Object.entries(REPORT_OPERATIONS))('the report’s %s operation is valid against the schema', (_name, text) => {
  expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
});

const NOW = new Date('2026-11-30T16:00:00Z');
const code = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return [(error as { extensions?: { code?: string } }).extensions?.code, (error as Error).message];
  }
  return undefined;
};

test('a quarter is its three calendar months in UTC, the last one ending at the next year', () => {
  const q4 = parseQuarter('2026-Q4', NOW);
  expect([q4.start.toISOString(), q4.end.toISOString()]).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  expect(quarterBefore(q4).label).toBe('2026-Q3');
  expect(quarterBefore(quarterAt(new Date('2026-02-10T00:00:00Z'))).label).toBe('2025-Q4');
  expect(quarterBefore(q4, 7).label).toBe('2025-Q1');
  expect(quarterAt(new Date('2026-12-31T23:59:59.999Z')).label).toBe('2026-Q4');
  expect(quarterAt(new Date('2027-01-01T00:00:00Z')).label).toBe('2027-Q1');
});

test('a closed quarter is read at its last millisecond; the running one now (null)', () => {
  expect(quarterInstant(parseQuarter('2026-Q3', NOW), NOW)?.toISOString()).toBe('2026-09-30T23:59:59.999Z');
  expect(quarterInstant(parseQuarter('2026-Q4', NOW), NOW)).toBeNull();
});

test.each([['2026-Q5'], ['2026-q4'], ['2026Q4'], ['Q4-2026'], [''], ['2026-Q4 '], ['26-Q4'], ['2026-Q4\n<script>']])('"%s" is not a quarter', (text) => {
  expect(code(() => parseQuarter(text, NOW))).toEqual(['BAD_USER_INPUT', expect.stringMatching(/^quarter must be a year and a quarter such as 2026-Q4/)]);
});

test('a quarter that has not begun is refused, naming the latest one', () => {
  expect(code(() => parseQuarter('2027-Q1', NOW))).toEqual(['BAD_USER_INPUT', 'quarter 2027-Q1 has not begun (it starts 2027-01-01): the graph knows only the past and the present']);
  expect(code(() => parseQuarter('2026-Q4', NOW))).toBeUndefined();
});

test('the heat map counts open risks by likelihood × impact and sets aside those off the scale', () => {
  const map = heatMap([
    { likelihood: 5, impact: 4 },
    { likelihood: 5, impact: 4 },
    { likelihood: 1, impact: 1 },
    { likelihood: null, impact: 3 },
    { likelihood: 6, impact: 2 },
  ]);
  expect(map.cells[4][3]).toBe(2);
  expect(map.cells[0][0]).toBe(1);
  expect(map.cells.flat().reduce((a, b) => a + b, 0)).toBe(3);
  expect(map.unscored).toBe(2);
});

test('evidence counts as expired from its expiry instant on, longest expired first', () => {
  const row = (name: string, expiresAt: string | null) => ({ id: name, name, source: 's', kind: null, expiresAt, supports: [], owners: [] });
  const at = new Date('2026-09-30T23:59:59.999Z');
  const expired = expiredEvidence([row('later', '2026-10-01T00:00:00Z'), row('exact', at.toISOString()), row('old', '2025-01-01T00:00:00Z'), row('never', null)], at);
  expect(expired.map((evidence) => evidence.name)).toEqual(['old', 'exact']);
});

test('open incidents are held to targets by severity (contain, then close); those furthest past one lead', () => {
  const row = (name: string, detectedAt: string | null, severity: 'CRITICAL' | 'LOW' | null = null, containedAt: string | null = null) => ({
    id: name,
    name,
    source: 's',
    category: null,
    severity,
    status: null,
    detectedAt,
    containedAt,
    owners: [],
  });
  const incidents = openIncidents(
    [
      row('new', '2026-11-29T00:00:00Z', 'CRITICAL'),
      row('unknown', null),
      row('old', '2026-10-01T18:00:00Z'),
      row('low', '2026-09-15T00:00:00Z', 'LOW'),
      row('critical', '2026-11-10T00:00:00Z', 'CRITICAL'),
      row('contained', '2026-11-25T00:00:00Z', 'CRITICAL', '2026-11-25T12:00:00Z'),
    ],
    NOW,
  );
  // Unrated counts as MEDIUM: contained within 7 days, closed within 60 ('old' is due closed at 18:00 on 30 November, after NOW).
  expect(incidents.map((incident) => [incident.name, incident.daysOpen, incident.lateOn, incident.daysPastTarget])).toEqual([
    ['low', 76, ['containment'], 62],
    ['old', 59, ['containment'], 52],
    ['critical', 20, ['containment', 'closure'], 19],
    ['new', 1, ['containment'], 0],
    ['contained', 5, [], 0],
    ['unknown', null, [], 0],
  ]);
  expect(incidents.map((incident) => incident.pastTarget)).toEqual([true, true, true, true, false, false]);
  expect(incidents.find((incident) => incident.name === 'old')).toMatchObject({ containBy: '2026-10-08T18:00:00.000Z', closeBy: '2026-11-30T18:00:00.000Z' });
  // Contained after the instant read: not contained then.
  expect(openIncidents([row('later', '2026-11-01T00:00:00Z', 'CRITICAL', '2026-12-01T00:00:00Z')], NOW)[0].lateOn).toEqual(['containment', 'closure']);
});

test('gate findings: one row per model or agent, with every reason and the decisions resting on it', () => {
  const model = (id: string, lifecycleStage: 'DEPLOYED' | null = 'DEPLOYED') => ({ id, name: `Model ${id}`, source: 's', __typename: 'AIModel', lifecycleStage });
  const findings = gateFindings({
    exposure: { ungatedModels: [{ decision: { name: 'Credit limit' }, sources: [model('b')] }, { decision: { name: 'Approval' }, sources: [model('b')] }] },
    gateExceptions: [{ risk: { name: 'Gate exception: Model a past DEPLOYED without approval' }, subjects: [model('a', null)] }],
    gateConditionsOverdue: [{ approval: { name: 'Deploy on conditions' }, subjects: [model('b')], conditions: ['Bias test', 'Runbook'], dueAt: '2026-11-01T00:00:00Z', daysOverdue: 29 }],
  });
  expect(findings.map((found) => [found.subject.id, found.reasons, found.decisions])).toEqual([
    ['a', ['Gate exception: Model a past DEPLOYED without approval'], []],
    ['b', ['no passing approval for its stage (DEPLOYED)', 'conditions of Deploy on conditions 29 days overdue: Bias test; Runbook'], ['Approval', 'Credit limit']],
  ]);
});
