import type { ThreatChainRow } from '../../src/compliance/complianceRepository';
import { assembleThreatChain, checkDepth, readRoute, satisfactionMatch, travelled } from '../../src/compliance/crosswalk';
import type { RequirementRow, StepRow } from '../../src/compliance/model';
import type { EntityRow } from '../../src/estate/model';

const step = (fromKey: string, toKey: string, forward: boolean, type: StepRow['type'] = 'SUBSET_OF'): StepRow => ({ fromKey, toKey, forward, type, source: 'test', rationale: null });
const requirement = (key: string, kind: RequirementRow['kind'] = 'TECHNIQUE'): RequirementRow =>
  ({ key, framework: key.split('|')[0], identifier: key.split('|')[1], kind, title: key, summary: null, officialText: null, order: 0, parentKeys: [] });
const control = (externalId: string): EntityRow => ({ id: `id-${externalId}`, key: `Control|demo|${externalId}`, type: 'Control', source: 'demo', externalId, name: externalId, version: 1, createdAt: '', updatedAt: '' });

test('a step taken against its stored mapping swaps its ends and reads the inverse type', () => {
  expect(travelled(step('a', 'b', true))).toEqual({ fromKey: 'a', toKey: 'b', type: 'SUBSET_OF', reversed: false });
  expect(travelled(step('a', 'b', false))).toEqual({ fromKey: 'b', toKey: 'a', type: 'SUPERSET_OF', reversed: true });
  expect(travelled(step('a', 'b', false, 'INTERSECTS')).type).toBe('INTERSECTS');
});

test('a route passes through the far end of every step but the last, as travelled', () => {
  // start -> x (stored x -> start, taken backwards) -> y (stored forwards) -> end
  const steps = [step('x', 'start', false), step('x', 'y', true), step('end', 'y', false)];
  expect(readRoute(steps)).toEqual({ direct: false, hops: 3, viaKeys: ['x', 'y'] });
  expect(readRoute([step('start', 'end', true)])).toEqual({ direct: true, hops: 1, viaKeys: [] });
});

test('a claim is direct only on the asked requirement itself', () => {
  const satisfied = requirement('fw|A', 'ARTICLE');
  expect(satisfactionMatch({ coverage: 'FULL', rationale: 'r', satisfied, steps: [] })).toEqual({ coverage: 'FULL', rationale: 'r', direct: true, satisfies: satisfied, path: [] });
  expect(satisfactionMatch({ coverage: 'PARTIAL', rationale: null, satisfied, steps: [step('fw|A', 'fw|B', true)] }).direct).toBe(false);
});

test('depths outside the allowed range are refused as bad input', () => {
  expect(checkDepth(0, 0)).toBe(0);
  expect(checkDepth(3, 1)).toBe(3);
  for (const depth of [0, 4, 1.5, Number.NaN]) expect(() => checkDepth(depth, 1)).toThrow(/depth must be from 1 to 3/);
});

test('a threat chain reads the keys its mitigations address and its controls implement as the chain\'s requirements', () => {
  const start = requirement('owasp|LLM01', 'RISK');
  const technique = requirement('atlas|T1');
  const mitigation = requirement('atlas|M1', 'MITIGATION');
  const satisfied = requirement('iso|A.1', 'CONTROL');
  const row: ThreatChainRow = {
    start,
    techniques: [technique],
    mitigations: [{ mitigation, addresses: ['atlas|T1', 'atlas|unknown'] }],
    controls: [
      {
        control: control('c1'),
        implements: [{ key: 'atlas|M1', coverage: 'FULL' }, { key: 'owasp|LLM01', coverage: 'PARTIAL' }],
        assets: [],
        requirements: [{ requirement: satisfied, coverage: 'FULL', rationale: 'why' }],
      },
    ],
  };
  const chain = assembleThreatChain(row);
  expect(chain.mitigations).toEqual([{ mitigation, addresses: [technique] }]);
  expect(chain.controls[0].implements).toEqual([mitigation, start]);
  expect(chain.controls[0].satisfies).toEqual([{ requirement: satisfied, coverage: 'FULL', rationale: 'why', direct: true, satisfies: satisfied, path: [] }]);
});
