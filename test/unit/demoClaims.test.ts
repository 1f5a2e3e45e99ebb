import { planDemoClaims, type DemoComplianceFile } from '../../src/compliance/catalogueService';
import type { EntityRow } from '../../src/estate/model';

const control = (externalId: string): EntityRow => ({ id: `id-${externalId}`, key: `Control|demo|${externalId}`, type: 'Control', source: 'demo', externalId, name: externalId, version: 1, createdAt: '', updatedAt: '' });

describe('planDemoClaims', () => {
  const demo: DemoComplianceFile = {
    source: 'demo-compliance',
    estateSource: 'demo',
    satisfies: [
      { control: 'c1', framework: 'fw', identifier: 'A', coverage: 'FULL', rationale: 'one' },
      { control: 'c2', framework: 'fw', identifier: 'A', coverage: 'PARTIAL', rationale: 'two' },
    ],
    notApplicable: [{ framework: 'fw', identifier: 'B', rationale: 'not ours' }],
  };

  test('claims name controls by id, and every requirement named is listed once', () => {
    const plan = planDemoClaims(demo, [control('c1'), control('c2')]);
    expect(plan.satisfies.map((row) => [row.controlId, row.requirementKey, row.source])).toEqual([
      ['id-c1', 'fw|A', 'demo-compliance'],
      ['id-c2', 'fw|A', 'demo-compliance'],
    ]);
    expect(plan.requirementKeys).toEqual(['fw|A', 'fw|B']);
  });

  test('a control missing from the demo estate stops the load', () => {
    expect(() => planDemoClaims(demo, [control('c1')])).toThrow('demo compliance: no demo control c2');
  });
});
