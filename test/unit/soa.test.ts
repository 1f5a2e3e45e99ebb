import type { EntityRow } from '../../src/estate/model';
import type { FrameworkRow, ScopedRequirementRow } from '../../src/compliance/model';
import { buildStatement, DEFAULT_INCLUSION, justify, SoaDecisionRow } from '../../src/compliance/soa';

const record = (type: string, id: string, extra: Record<string, unknown> = {}): EntityRow => ({
  id, key: `${type}|s|${id}`, type: type as EntityRow['type'], source: 's', externalId: id, name: `${type} ${id}`, version: 1, createdAt: '', updatedAt: '', ...extra,
});
const framework: FrameworkRow = { key: 'fw', name: 'Framework', version: '1', publisher: null, url: null, description: null, attribution: null, licence: null };
const decision = (id: string, included: boolean, decidedAt: string, extra: Partial<SoaDecisionRow> = {}): SoaDecisionRow => ({
  id, included, justification: `why ${id}`, decidedBy: 'someone', decidedAt, endedAt: null, endedBy: null, ...extra,
});
const row = (identifier: string, controls: ScopedRequirementRow['controls'] = []): ScopedRequirementRow => ({
  requirement: { key: `fw|${identifier}`, framework: 'fw', identifier, kind: 'CONTROL', title: identifier, summary: null, officialText: null, order: 0, parentKeys: ['fw|G'] },
  notApplicable: null,
  controls,
  top: null,
});
const claim = (control: EntityRow, coverage: 'FULL' | 'PARTIAL', evidence: Array<EntityRow & { expired: boolean }> = [], rationale: string | null = 'claimed') => ({ control, coverage, rationale, evidence, owners: [record('Owner', 'o')] });

describe('justify', () => {
  const risk = record('Risk', 'r', { status: 'TREATING' });
  const control = record('Control', 'c');
  test('an exclusion says its own reason, whatever the graph holds', () => {
    expect(justify(decision('x', false, '2026-01-01T00:00:00Z'), null, [risk], [{ control, rationale: 'r' }])).toEqual({ justification: 'why x', source: 'STATED' });
  });
  test('an inclusion: stated, else the treated risks, else the claims, else the default', () => {
    expect(justify(null, decision('i', true, '2026-01-01T00:00:00Z'), [risk], []).source).toBe('STATED');
    expect(justify(null, decision('i', true, '2026-01-01T00:00:00Z', { justification: null }), [risk], [])).toEqual({ justification: 'Treats the risk: Risk r (TREATING).', source: 'RISK_TREATMENT' });
    expect(justify(null, null, [], [{ control, rationale: 'Logs everything.' }])).toEqual({ justification: 'Implemented by Control c: Logs everything.', source: 'CLAIMS' });
    expect(justify(null, null, [record('Risk', 'closed', { status: 'CLOSED' })], [{ control, rationale: 'Logs everything.' }]).source).toBe('CLAIMS');
    expect(justify(null, null, [], [{ control, rationale: null }])).toEqual({ justification: DEFAULT_INCLUSION, source: 'DEFAULT' });
  });
});

describe('buildStatement', () => {
  const implemented = record('Control', 'c1', { implementationStatus: 'IMPLEMENTED' });
  const valid = { ...record('Evidence', 'e1'), expired: false };
  const expired = { ...record('Evidence', 'e2'), expired: true };

  test('implementation follows the coverage status; only evidence valid on the date is listed', () => {
    const soa = buildStatement(framework, [row('C1', [claim(implemented, 'FULL', [valid, expired])]), row('C2', [claim(implemented, 'PARTIAL')]), row('C3')], { decisions: [], risks: [] }, 'now', null);
    expect(soa.entries.map((entry) => entry.implementation)).toEqual(['IMPLEMENTED', 'PARTIALLY_IMPLEMENTED', 'NOT_IMPLEMENTED']);
    expect(soa.entries[0].implementedBy[0].evidence.map((evidence) => evidence.id)).toEqual(['e1']);
    expect(soa.entries[0].objectiveKey).toBe('fw|G');
    expect(soa.counts).toEqual([
      { implementation: 'IMPLEMENTED', count: 1 },
      { implementation: 'PARTIALLY_IMPLEMENTED', count: 1 },
      { implementation: 'NOT_IMPLEMENTED', count: 1 },
      { implementation: 'EXCLUDED', count: 0 },
    ]);
  });

  test('an exclusion in force wins over an inclusion in force; ended decisions count for nothing but history', () => {
    const decisions = [
      decision('old-out', false, '2026-01-01T00:00:00Z', { endedAt: '2026-02-01T00:00:00Z' }),
      decision('in', true, '2026-02-01T00:00:00Z'),
      decision('out', false, '2026-03-01T00:00:00Z'),
    ];
    const soa = buildStatement(framework, [row('C1', [claim(implemented, 'FULL', [valid])]), row('C2')], { decisions: [{ key: 'fw|C1', decisions }, { key: 'fw|C2', decisions: [decisions[0]] }], risks: [] }, 'now', null);
    expect(soa.entries[0]).toMatchObject({ included: false, implementation: 'EXCLUDED', justification: 'why out', decision: { id: 'out' } });
    expect(soa.entries[0].decisions.map((d) => d.id)).toEqual(['out', 'in', 'old-out']);
    expect(soa.entries[1]).toMatchObject({ included: true, justificationSource: 'DEFAULT', decision: null });
    expect([soa.included, soa.excluded]).toEqual([1, 1]);
  });

  test('the risks of every implementing control, each once', () => {
    const other = record('Control', 'c2');
    const risk = record('Risk', 'r');
    const soa = buildStatement(framework, [row('C1', [claim(implemented, 'FULL'), claim(other, 'PARTIAL')])], { decisions: [], risks: [{ controlId: 'c1', risks: [risk] }, { controlId: 'c2', risks: [risk] }] }, 'now', null);
    expect(soa.entries[0].risks.map((r) => r.id)).toEqual(['r']);
    expect(soa.entries[0].owners.map((o) => o.id)).toEqual(['o']);
    expect(soa.entries[0].justificationSource).toBe('RISK_TREATMENT');
  });
});
