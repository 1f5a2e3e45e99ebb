import { AuditLog } from '../../src/estate/audit';
import type { EntityRow } from '../../src/estate/model';
import { planClearance, planCompromise } from '../../src/lineage/compromiseService';

const NOW = '2026-11-30T10:00:00.000Z';
const OCT = '2026-10-03T00:00:00.000Z';
const NOV = '2026-11-20T00:00:00.000Z';
const record = (type: EntityRow['type'], fields: Record<string, unknown> = {}): EntityRow =>
  ({ id: `${type}-1`, key: `${type}|s|x`, type, source: 's', externalId: 'x', name: `A ${type}`, version: 3, createdAt: '', updatedAt: '', ...fields }) as EntityRow;

test('marking an asset opens an incident named after it, and audits both with the reason', () => {
  const audit = new AuditLog('analyst', NOW, 'manual', 'Label flips');
  const plan = planCompromise(record('Dataset', { status: 'ACTIVE' }), 'Label flips', null, undefined, undefined, OCT, NOW, audit);
  expect(plan.writes.map((row) => [row.type, row.properties.status])).toEqual([
    ['Dataset', 'COMPROMISED'],
    ['Incident', 'OPEN'],
  ]);
  expect(plan.writes[1].properties).toMatchObject({ name: 'Compromise of A Dataset', description: 'Label flips', severity: 'HIGH', detectedAt: NOW });
  expect(plan.incidentId).toBe(plan.writes[1].id);
  // Found now, begun in October: the incident is detected now and records the window from October.
  expect(plan.window).toEqual({ since: OCT, until: null });
  expect(audit.rows.map((row) => [row.action, row.reason])).toEqual([
    ['UPDATE', 'Label flips'],
    ['CREATE', 'Label flips'],
  ]);
});

test('an already compromised asset linked to a given incident changes nothing but the link', () => {
  const audit = new AuditLog('analyst', NOW, 'manual');
  const incident = record('Incident');
  const plan = planCompromise(record('AIModel', { status: 'COMPROMISED' }), 'again', { id: incident.id }, incident, { since: OCT, until: null }, NOW, NOW, audit);
  expect(plan).toEqual({ writes: [], incidentId: incident.id, window: { since: OCT, until: null } });
  expect(audit.rows).toEqual([]);
});

test('only assets can be compromised', () => {
  expect(() => planCompromise(record('Control'), 'why', null, undefined, undefined, NOW, NOW, new AuditLog('a', NOW, 'manual'))).toThrow(/Only assets/);
  expect(() => planClearance(record('Control'), 'ACTIVE', [], NOW, new AuditLog('a', NOW, 'manual'))).toThrow(/Only assets/);
});

describe("an incident's window on an asset", () => {
  const incident = record('Incident');
  const mark = (window: { since: string; until: string | null } | undefined, since: string) =>
    planCompromise(record('Dataset', { status: 'ACTIVE' }), 'why', { id: incident.id }, incident, window, since, NOW, new AuditLog('a', NOW, 'manual'));

  test('an open one keeps its earlier start, or moves back to an earlier one', () => {
    expect(mark({ since: OCT, until: null }, NOV).window).toEqual({ since: OCT, until: null });
    expect(mark({ since: NOV, until: null }, OCT).window).toEqual({ since: OCT, until: null });
  });

  test('an ended one reopens from its start for a compromise begun before it ended, and refuses a later one', () => {
    expect(mark({ since: OCT, until: NOV }, OCT).window).toEqual({ since: OCT, until: null });
    expect(mark({ since: OCT, until: NOV }, NOV).window).toEqual({ since: OCT, until: null });
    expect(() => mark({ since: OCT, until: NOV }, NOW)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('clearing a compromise', () => {
  const windows = [
    { incidentId: 'i1', since: OCT, until: null },
    { incidentId: 'i2', since: OCT, until: NOV },
  ];

  test('sets the status back with the reason, and ends only the open windows', () => {
    const audit = new AuditLog('analyst', NOW, 's', 'Retrained on clean data');
    const plan = planClearance(record('AIModel', { status: 'COMPROMISED' }), 'ACTIVE', windows, NOV, audit);
    expect(plan.writes.map((row) => row.properties)).toEqual([{ status: 'ACTIVE' }]);
    expect(plan.closes).toEqual(['i1']);
    expect(audit.rows.map((row) => [row.action, row.reason])).toEqual([['UPDATE', 'Retrained on clean data']]);
  });

  test('an asset whose status was changed by hand still has its open window ended, its status untouched', () => {
    const plan = planClearance(record('AIModel', { status: 'RETIRED' }), 'ACTIVE', windows, NOV, new AuditLog('a', NOW, 's'));
    expect(plan).toEqual({ writes: [], closes: ['i1'] });
  });

  test('refuses an asset with nothing to clear, and an end before the start', () => {
    const bad = expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) });
    expect(() => planClearance(record('AIModel', { status: 'ACTIVE' }), 'ACTIVE', [windows[1]], NOW, new AuditLog('a', NOW, 's'))).toThrow(bad);
    expect(() => planClearance(record('AIModel', { status: 'COMPROMISED' }), 'ACTIVE', windows, '2026-10-01T00:00:00.000Z', new AuditLog('a', NOW, 's'))).toThrow(bad);
  });
});
