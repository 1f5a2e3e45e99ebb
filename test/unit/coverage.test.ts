import { appliedRiskTier, buildCoverageMap, coverageStatus, riskBand, summarisePosture } from '../../src/compliance/coverage';
import type { CoverageControlRow, FrameworkRow, RequirementKind, ScopedRequirementRow } from '../../src/compliance/model';
import type { EntityRow } from '../../src/estate/model';

const NOW = '2026-11-30T10:00:00.000Z';
const record = (type: EntityRow['type'], fields: Record<string, unknown> = {}): EntityRow =>
  ({ id: `${type}-${String(fields.name ?? 1)}`, key: `${type}|s|x`, type, source: 's', externalId: 'x', name: `A ${type}`, version: 1, createdAt: '', updatedAt: '', ...fields }) as EntityRow;
const framework: FrameworkRow = { key: 'fw', name: 'Framework', version: '1', publisher: null, url: null, description: null, attribution: null, licence: null };

const claim = (coverage: 'FULL' | 'PARTIAL', implementationStatus: string, evidence: boolean[]): CoverageControlRow => ({
  control: record('Control', { implementationStatus }),
  coverage,
  rationale: null,
  evidence: evidence.map((expired) => ({ ...record('Evidence'), expired })),
  owners: [],
});
const declaration = { id: 'na', requirementKey: 'fw|A', rationale: 'not ours', declaredBy: 'x', declaredAt: NOW, withdrawnAt: null, withdrawnBy: null };

function row(identifier: string, controls: CoverageControlRow[], top: ScopedRequirementRow['top'] = null, kind: RequirementKind = 'ARTICLE'): ScopedRequirementRow {
  return {
    requirement: { key: `fw|${identifier}`, framework: 'fw', identifier, kind, title: identifier, summary: null, officialText: null, order: 0, parentKeys: [] },
    notApplicable: null,
    controls,
    top,
  };
}

describe('coverageStatus', () => {
  test.each([
    ['no claim is a gap', [], 'GAP'],
    ['an implemented full claim with live evidence satisfies', [claim('FULL', 'IMPLEMENTED', [true, false])], 'SATISFIED'],
    ['only expired evidence is partial', [claim('FULL', 'IMPLEMENTED', [true])], 'PARTIAL'],
    ['no evidence is partial', [claim('FULL', 'IMPLEMENTED', [])], 'PARTIAL'],
    ['a control not yet implemented is partial', [claim('FULL', 'IN_PROGRESS', [false])], 'PARTIAL'],
    ['a partial claim is partial', [claim('PARTIAL', 'IMPLEMENTED', [false])], 'PARTIAL'],
    ['one satisfying claim among others satisfies', [claim('PARTIAL', 'PLANNED', []), claim('FULL', 'IMPLEMENTED', [false])], 'SATISFIED'],
  ])('%s', (_name, controls, status) => {
    expect(coverageStatus({ notApplicable: null, controls })).toBe(status);
  });

  test('a declaration wins over any claim', () => {
    expect(coverageStatus({ notApplicable: declaration, controls: [claim('FULL', 'IMPLEMENTED', [false])] })).toBe('NOT_APPLICABLE');
  });
});

test('a map groups requirements under their top-level ancestor, or under a label for their kind, and counts each group', () => {
  const chapter = { identifier: 'Chapter I', title: 'General', kind: 'CHAPTER' as const };
  const map = buildCoverageMap(
    framework,
    [row('Article 1', [claim('FULL', 'IMPLEMENTED', [false])], chapter), row('Article 2', [], chapter), row('Annex I', [], null, 'ANNEX'), row('Article 99', [])],
    null,
    null,
    NOW,
  );
  expect(map.items.map((item) => [item.requirement.identifier, item.group, item.status])).toEqual([
    ['Article 1', 'Chapter I', 'SATISFIED'],
    ['Article 2', 'Chapter I', 'GAP'],
    ['Annex I', 'Annexes', 'GAP'],
    ['Article 99', 'Framework', 'GAP'],
  ]);
  expect(map.groups.map((group) => [group.identifier, group.title, group.total])).toEqual([
    ['Chapter I', 'General', 2],
    ['Annexes', null, 1],
    ['Framework', null, 1],
  ]);
  expect(map.groups[0].counts.find((count) => count.status === 'SATISFIED')).toEqual({ status: 'SATISFIED', count: 1, percent: 50 });
  expect(map).toMatchObject({ total: 4, generatedAt: NOW, assetId: null, riskTier: null });
  expect(map.counts.map((count) => count.count)).toEqual([1, 0, 3, 0]);
});

test('a risk tier applies only where the framework defines a scope for it', () => {
  expect(appliedRiskTier('eu-ai-act', 'HIGH')).toBe('HIGH');
  expect(appliedRiskTier('nist-ai-rmf', 'HIGH')).toBeNull();
  expect(appliedRiskTier('eu-ai-act', null)).toBeNull();
});

test('risks fall in the band of their residual score, else their inherent one', () => {
  expect([16, 15, 10, 9, 5, 4, 0].map((residualScore) => riskBand(record('Risk', { residualScore })))).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
  expect(riskBand(record('Risk', { inherentScore: 20 }))).toBe('CRITICAL');
  expect(riskBand(record('Risk', { inherentScore: 20, residualScore: 3 }))).toBe('LOW');
  expect(riskBand(record('Risk'))).toBe('LOW');
});

test('the posture counts models per tier in a fixed order, risks per band, and coverage per framework', () => {
  const other: FrameworkRow = { ...framework, key: 'other', name: 'Other' };
  const summary = summarisePosture(
    [framework, other],
    { tiers: ['HIGH', 'UNCLASSIFIED', 'HIGH'], openRisks: [record('Risk', { name: 'a', residualScore: 20 }), record('Risk', { name: 'b', inherentScore: 6 })], openIncidents: [] },
    [row('Article 1', [claim('FULL', 'IMPLEMENTED', [false])]), row('Article 2', [])],
    NOW,
  );
  expect(summary.generatedAt).toBe(NOW);
  expect(summary.assetsByRiskTier).toEqual([
    { tier: 'PROHIBITED', count: 0 },
    { tier: 'HIGH', count: 2 },
    { tier: 'LIMITED', count: 0 },
    { tier: 'MINIMAL', count: 0 },
    { tier: 'UNCLASSIFIED', count: 1 },
  ]);
  expect(summary.openRisksByBand).toEqual([
    { band: 'CRITICAL', count: 1 },
    { band: 'HIGH', count: 0 },
    { band: 'MEDIUM', count: 1 },
    { band: 'LOW', count: 0 },
  ]);
  expect(summary.coverage.map((entry) => [entry.framework.key, entry.total, entry.counts.map((count) => count.count)])).toEqual([
    ['fw', 2, [1, 0, 1, 0]],
    ['other', 0, [0, 0, 0, 0]],
  ]);
});
