import { AuditLog } from '../../src/estate/audit';
import type { EntityRow } from '../../src/estate/model';
import { planCompromise } from '../../src/lineage/compromiseService';

const NOW = '2026-11-30T10:00:00.000Z';
const record = (type: EntityRow['type'], fields: Record<string, unknown> = {}): EntityRow =>
  ({ id: `${type}-1`, key: `${type}|s|x`, type, source: 's', externalId: 'x', name: `A ${type}`, version: 3, createdAt: '', updatedAt: '', ...fields }) as EntityRow;

test('marking an asset opens an incident named after it, and audits both with the reason', () => {
  const audit = new AuditLog('analyst', NOW, 'manual', 'Label flips');
  const plan = planCompromise(record('Dataset', { status: 'ACTIVE' }), 'Label flips', null, undefined, NOW, audit);
  expect(plan.writes.map((row) => [row.type, row.properties.status])).toEqual([
    ['Dataset', 'COMPROMISED'],
    ['Incident', 'OPEN'],
  ]);
  expect(plan.writes[1].properties).toMatchObject({ name: 'Compromise of A Dataset', description: 'Label flips', severity: 'HIGH', detectedAt: NOW });
  expect(plan.incidentId).toBe(plan.writes[1].id);
  expect(audit.rows.map((row) => [row.action, row.reason])).toEqual([
    ['UPDATE', 'Label flips'],
    ['CREATE', 'Label flips'],
  ]);
});

test('an already compromised asset linked to a given incident changes nothing but the link', () => {
  const audit = new AuditLog('analyst', NOW, 'manual');
  const incident = record('Incident');
  const plan = planCompromise(record('AIModel', { status: 'COMPROMISED' }), 'again', { id: incident.id }, incident, NOW, audit);
  expect(plan).toEqual({ writes: [], incidentId: incident.id });
  expect(audit.rows).toEqual([]);
});

test('only assets can be compromised', () => {
  expect(() => planCompromise(record('Control'), 'why', null, undefined, NOW, new AuditLog('a', NOW, 'manual'))).toThrow(/Only assets/);
});
