import { diffCoverage } from '../../src/compliance/coverageChanges';
import type { ApplicabilityRow, CoverageControlRow, ScopedRequirementRow } from '../../src/compliance/model';
import type { EntityRow } from '../../src/estate/model';

const record = (type: EntityRow['type'], id: string, fields: Record<string, unknown> = {}): EntityRow =>
  ({ id, key: `${type}|s|${id}`, type, source: 's', externalId: id, name: id, version: 1, createdAt: '', updatedAt: '', ...fields }) as EntityRow;
const evidence = (id: string, expired: boolean) => ({ ...record('Evidence', id, { expiresAt: expired ? '2020-01-01T00:00:00Z' : '2999-01-01T00:00:00Z' }), expired });
const claim = (control: string, coverage: 'FULL' | 'PARTIAL', implementationStatus: string, proofs: Array<ReturnType<typeof evidence>>): CoverageControlRow => ({
  control: record('Control', control, { implementationStatus }),
  coverage,
  rationale: null,
  evidence: proofs,
  owners: [],
});
const declared = (id: string): ApplicabilityRow => ({ id, requirementKey: 'fw|A', rationale: `declaration ${id}`, declaredBy: 'x', declaredAt: '', withdrawnAt: null, withdrawnBy: null });

function row(identifier: string, order: number, controls: CoverageControlRow[], notApplicable: ApplicabilityRow | null = null): ScopedRequirementRow {
  return {
    requirement: { key: `fw|${identifier}`, framework: 'fw', identifier, kind: 'ARTICLE', title: identifier, summary: null, officialText: null, order, parentKeys: [] },
    notApplicable,
    controls,
    top: null,
  };
}

const summary = (rows: ReturnType<typeof diffCoverage>) => rows.map((change) => [change.requirement.identifier, change.before, change.after, change.causes.map((cause) => cause.reason)]);

test('only requirements whose status changed are listed, in catalogue order, with every difference in their inputs', () => {
  const valid = evidence('e', false);
  const before = [
    row('A1', 1, [claim('c1', 'FULL', 'IMPLEMENTED', [valid]), claim('c2', 'PARTIAL', 'PLANNED', [])]),
    row('A2', 2, [claim('c1', 'FULL', 'IMPLEMENTED', [valid])]),
    row('A3', 3, [], declared('first')),
  ];
  const after = [
    // A1: c1's evidence expired and c2 left; c3 came, partly. SATISFIED → PARTIAL.
    row('A1', 1, [claim('c1', 'FULL', 'IMPLEMENTED', [evidence('e', true)]), claim('c3', 'PARTIAL', 'IMPLEMENTED', [])]),
    // A2: the same claim, a new piece of evidence besides: still SATISFIED, not listed.
    row('A2', 2, [claim('c1', 'FULL', 'IMPLEMENTED', [valid, evidence('f', false)])]),
    // A3: one declaration replaced by another: still NOT_APPLICABLE, not listed.
    row('A3', 3, [], declared('second')),
  ];
  expect(summary(diffCoverage(before, after))).toEqual([['A1', 'SATISFIED', 'PARTIAL', ['EVIDENCE_EXPIRED', 'CLAIM_ADDED', 'CLAIM_WITHDRAWN']]]);
  const [change] = diffCoverage(before, after);
  expect(change.causes[0]).toMatchObject({ control: { id: 'c1' }, evidence: { id: 'e', expired: true }, before: '2999-01-01T00:00:00Z', after: '2020-01-01T00:00:00Z' });
  expect(change.causes[2]).toMatchObject({ control: { id: 'c2' }, before: 'PARTIAL', after: null });
});

test('a requirement in only one of the maps (a scope that grew or shrank) is a GAP in the other', () => {
  const satisfied = row('B', 2, [claim('c1', 'FULL', 'IMPLEMENTED', [evidence('e', false)])]);
  const partial = row('A', 1, [claim('c2', 'PARTIAL', 'IMPLEMENTED', [])]);
  expect(summary(diffCoverage([satisfied], [partial]))).toEqual([
    ['A', 'GAP', 'PARTIAL', ['CLAIM_ADDED']],
    ['B', 'SATISFIED', 'GAP', ['CLAIM_WITHDRAWN']],
  ]);
  expect(diffCoverage([], [])).toEqual([]);
});

test('a control renewed, its coverage and status changed, and a declaration come and gone each name their values', () => {
  const before = [
    row('A', 1, [claim('c', 'PARTIAL', 'PLANNED', [evidence('old', true), evidence('gone', false)])]),
    row('B', 2, []),
    row('C', 3, [], declared('d')),
  ];
  const after = [row('A', 1, [claim('c', 'FULL', 'IMPLEMENTED', [evidence('old', false)])]), row('B', 2, [], declared('n')), row('C', 3, [])];
  const changes = diffCoverage(before, after);
  expect(summary(changes)).toEqual([
    ['A', 'PARTIAL', 'SATISFIED', ['COVERAGE_CHANGED', 'CONTROL_STATUS_CHANGED', 'EVIDENCE_RENEWED', 'EVIDENCE_REMOVED']],
    ['B', 'GAP', 'NOT_APPLICABLE', ['DECLARED_NOT_APPLICABLE']],
    ['C', 'NOT_APPLICABLE', 'GAP', ['NOT_APPLICABLE_WITHDRAWN']],
  ]);
  expect(changes[0].causes.map((cause) => [cause.before, cause.after])).toEqual([
    ['PARTIAL', 'FULL'],
    ['PLANNED', 'IMPLEMENTED'],
    ['2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z'],
    ['2999-01-01T00:00:00Z', null],
  ]);
  expect(changes[1].causes[0]).toMatchObject({ control: null, after: 'declaration n' });
});
