import fs from 'node:fs';
import path from 'node:path';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, SATISFY } from './support';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const MAP = `mutation($input: MapRequirementsInput!) { mapRequirements(input: $input) { from { key } to { key } type source rationale } }`;
const RELATED = `query($r: RequirementRefInput!, $depth: Int, $frameworks: [String!]) {
  relatedRequirements(requirement: $r, depth: $depth, frameworks: $frameworks) {
    requirement { key framework { key } } direct hops via { key } path { from { key } to { key } type reversed source }
  }
}`;

test('AI Act Article 10 reaches NIST AI RMF and ISO/IEC 42001 through the seed crosswalks, and back', async () => {
  const related = (await api.data(RELATED, { r: { framework: 'eu-ai-act', identifier: 'Article 10' }, depth: 2 })).relatedRequirements;
  const direct = related.filter((row: { direct: boolean }) => row.direct);
  const frameworks = new Set(direct.map((row: { requirement: { framework: { key: string } } }) => row.requirement.framework.key));
  expect(frameworks).toEqual(new Set(['nist-ai-rmf', 'iso-42001']));
  for (const row of direct) expect(row).toMatchObject({ hops: 1, via: [] });
  // Through a mapping: two hops, passing through the requirement named in `via`.
  const indirect = related.filter((row: { direct: boolean }) => !row.direct);
  expect(indirect.length).toBeGreaterThan(0);
  for (const row of indirect) {
    expect(row.hops).toBe(2);
    expect(row.via).toHaveLength(1);
    expect(row.path[0].to.key).toBe(row.via[0].key);
  }
  // The other way: a NIST subcategory mapped from Article 10 finds it.
  const nist = direct.find((row: { requirement: { framework: { key: string } } }) => row.requirement.framework.key === 'nist-ai-rmf').requirement.key as string;
  const [framework, identifier] = nist.split('|');
  const back = (await api.data(RELATED, { r: { framework, identifier }, depth: 1, frameworks: ['eu-ai-act'] })).relatedRequirements;
  expect(back.map((row: { requirement: { key: string } }) => row.requirement.key)).toContain('eu-ai-act|Article 10');
  expect(back.find((row: { requirement: { key: string } }) => row.requirement.key === 'eu-ai-act|Article 10').path[0]).toMatchObject({ reversed: true, type: 'INTERSECTS' });
});

test('traversal marks direct and via, and reads SUBSET_OF as SUPERSET_OF against the stored direction', async () => {
  const a = await createTestFramework(api, [{ identifier: 'A1', kind: 'ARTICLE' }], 'fwa');
  const b = await createTestFramework(api, [{ identifier: 'B1', kind: 'SUBCATEGORY' }], 'fwb');
  const c = await createTestFramework(api, [{ identifier: 'C1', kind: 'CONTROL' }], 'fwc');
  const source = unique('crosswalk');
  const mapped = await api.data(MAP, { input: { from: { framework: a, identifier: 'A1' }, to: { framework: b, identifier: 'B1' }, type: 'SUBSET_OF', rationale: 'A1 is narrower.', source } });
  expect(mapped.mapRequirements).toEqual({ from: { key: `${a}|A1` }, to: { key: `${b}|B1` }, type: 'SUBSET_OF', source, rationale: 'A1 is narrower.' });
  await api.data(MAP, { input: { from: { framework: b, identifier: 'B1' }, to: { framework: c, identifier: 'C1' }, type: 'INTERSECTS', rationale: 'Overlap.', source } });

  const forward = (await api.data(RELATED, { r: { framework: a, identifier: 'A1' } })).relatedRequirements;
  expect(forward).toEqual([
    { requirement: { key: `${b}|B1`, framework: { key: b } }, direct: true, hops: 1, via: [], path: [{ from: { key: `${a}|A1` }, to: { key: `${b}|B1` }, type: 'SUBSET_OF', reversed: false, source }] },
    {
      requirement: { key: `${c}|C1`, framework: { key: c } },
      direct: false,
      hops: 2,
      via: [{ key: `${b}|B1` }],
      path: [
        { from: { key: `${a}|A1` }, to: { key: `${b}|B1` }, type: 'SUBSET_OF', reversed: false, source },
        { from: { key: `${b}|B1` }, to: { key: `${c}|C1` }, type: 'INTERSECTS', reversed: false, source },
      ],
    },
  ]);
  const backward = (await api.data(RELATED, { r: { framework: c, identifier: 'C1' } })).relatedRequirements;
  expect(backward.map((row: { requirement: { key: string }; direct: boolean }) => [row.requirement.key, row.direct])).toEqual([
    [`${b}|B1`, true],
    [`${a}|A1`, false],
  ]);
  expect(backward[1].path[1]).toEqual({ from: { key: `${b}|B1` }, to: { key: `${a}|A1` }, type: 'SUPERSET_OF', reversed: true, source });
  // depth 1 stops at the direct neighbour.
  expect((await api.data(RELATED, { r: { framework: c, identifier: 'C1' }, depth: 1 })).relatedRequirements).toHaveLength(1);

  // controlsFor and requirementsFor, both ways, directly and through the crosswalk.
  const estate = unique('xwalk-estate');
  await api.data(SYNC, { input: { source: estate, assets: { controls: [{ externalId: 'ctl', name: `Control ${estate}`, implementationStatus: 'IMPLEMENTED' }] } } });
  const controlId = await idOf(api, estate, 'Control', 'ctl');
  await api.data(SATISFY, { controlId, r: { framework: b, identifier: 'B1' }, coverage: 'FULL', why: 'Does B1.' });

  const CONTROLS_FOR = `query($r: RequirementRefInput!, $depth: Int) { controlsFor(requirement: $r, depth: $depth) { control { id } coverage direct satisfies { key } path { type reversed } } }`;
  expect((await api.data(CONTROLS_FOR, { r: { framework: b, identifier: 'B1' } })).controlsFor).toEqual([{ control: { id: controlId }, coverage: 'FULL', direct: true, satisfies: { key: `${b}|B1` }, path: [] }]);
  expect((await api.data(CONTROLS_FOR, { r: { framework: a, identifier: 'A1' } })).controlsFor).toEqual([
    { control: { id: controlId }, coverage: 'FULL', direct: false, satisfies: { key: `${b}|B1` }, path: [{ type: 'SUBSET_OF', reversed: false }] },
  ]);
  expect((await api.data(CONTROLS_FOR, { r: { framework: a, identifier: 'A1' }, depth: 0 })).controlsFor).toEqual([]);

  const REQUIREMENTS_FOR = `query($id: ID!, $depth: Int) { requirementsFor(controlId: $id, depth: $depth) { requirement { key } direct satisfies { key } path { type } } }`;
  expect((await api.data(REQUIREMENTS_FOR, { id: controlId, depth: 1 })).requirementsFor).toEqual([
    { requirement: { key: `${b}|B1` }, direct: true, satisfies: { key: `${b}|B1` }, path: [] },
    { requirement: { key: `${a}|A1` }, direct: false, satisfies: { key: `${b}|B1` }, path: [{ type: 'SUPERSET_OF' }] },
    { requirement: { key: `${c}|C1` }, direct: false, satisfies: { key: `${b}|B1` }, path: [{ type: 'INTERSECTS' }] },
  ].sort((x, y) => (x.direct === y.direct ? 0 : x.direct ? -1 : 1)));
  const { node } = await api.data(`query($id: ID!) { node(id: $id) { ... on Control { requirements { requirement { key } direct } } } }`, { id: controlId });
  expect(node.requirements).toEqual([{ requirement: { key: `${b}|B1` }, direct: true }]);

  // Removing the claim and the mapping.
  const UNSATISFY = 'mutation($id: ID!, $r: RequirementRefInput!) { unsatisfy(controlId: $id, requirement: $r) { removed } }';
  expect((await api.data(UNSATISFY, { id: controlId, r: { framework: b, identifier: 'B1' } })).unsatisfy).toEqual({ removed: true });
  expect((await api.data(CONTROLS_FOR, { r: { framework: a, identifier: 'A1' } })).controlsFor).toEqual([]);
  const UNMAP = 'mutation($from: RequirementRefInput!, $to: RequirementRefInput!, $source: String) { unmapRequirements(from: $from, to: $to, source: $source) { removed } }';
  expect((await api.data(UNMAP, { from: { framework: a, identifier: 'A1' }, to: { framework: b, identifier: 'B1' }, source })).unmapRequirements).toEqual({ removed: true });
  expect((await api.data(RELATED, { r: { framework: a, identifier: 'A1' } })).relatedRequirements).toEqual([]);
});

test('bad crosswalk and satisfaction input is refused with codes', async () => {
  const fw = await createTestFramework(api, [{ identifier: 'X1', kind: 'ARTICLE' }]);
  const estate = unique('bad-input');
  await api.data(SYNC, { input: { source: estate, assets: { risks: [{ externalId: 'risk', name: 'A risk' }], controls: [{ externalId: 'ctl', name: 'A control' }] } } });
  const riskId = await idOf(api, estate, 'Risk', 'risk');
  const controlId = await idOf(api, estate, 'Control', 'ctl');
  const code = async (query: string, variables: Record<string, unknown>) => (await api.execute(query, variables)).errors?.[0]?.extensions?.code;
  const x1 = { framework: fw, identifier: 'X1' };
  expect(await code(MAP, { input: { from: x1, to: x1, type: 'EQUIVALENT', rationale: 'same' } })).toBe('BAD_USER_INPUT');
  expect(await code(MAP, { input: { from: x1, to: { framework: fw, identifier: 'nope' }, type: 'EQUIVALENT', rationale: 'x' } })).toBe('NOT_FOUND');
  expect(await code(MAP, { input: { from: x1, to: { framework: 'eu-ai-act', identifier: 'Article 10' }, type: 'EQUIVALENT', rationale: '' } })).toBe('BAD_USER_INPUT');
  expect(await code(MAP, { input: { from: x1, to: { framework: 'eu-ai-act', identifier: 'Article 10' }, type: 'SAME', rationale: 'x' } })).toBe('BAD_USER_INPUT');
  expect(await code(SATISFY, { controlId: riskId, r: x1, coverage: 'FULL', why: 'x' })).toBe('BAD_USER_INPUT');
  expect(await code(SATISFY, { controlId: 'no-such-control', r: x1, coverage: 'FULL', why: 'x' })).toBe('NOT_FOUND');
  expect(await code(SATISFY, { controlId, r: { framework: fw, identifier: 'nope' }, coverage: 'FULL', why: 'x' })).toBe('NOT_FOUND');
  expect(await code(SATISFY, { controlId, r: x1, coverage: 'FULL', why: ' ' })).toBe('BAD_USER_INPUT');
  expect(await code(RELATED, { r: x1, depth: 7 })).toBe('BAD_USER_INPUT');
  expect(await code(RELATED, { r: { framework: fw, identifier: 'nope' } })).toBe('NOT_FOUND');
  expect(await code('query($id: ID!) { requirementsFor(controlId: $id) { direct } }', { id: riskId })).toBe('NOT_FOUND');
  expect(await code('{ threatChain(requirement: { framework: "eu-ai-act", identifier: "Article 10" }) { start { key } } }', {})).toBe('BAD_USER_INPUT');
});

test('a threat chain goes from a technique to mitigations, controls, protected assets and satisfied requirements', async () => {
  const atlas = unique('atlas-chain');
  await api.app.server.createContext('test').services.catalogue.importAtlas(fs.readFileSync(path.join(__dirname, '../fixtures/atlas/ATLAS.yaml'), 'utf8'), atlas);
  const estate = unique('chain');
  await api.data(SYNC, {
    input: {
      source: estate,
      assets: { agents: [{ externalId: 'agent', name: `Agent ${estate}` }], controls: [{ externalId: 'screen', name: `Input screening ${estate}`, implementationStatus: 'IMPLEMENTED' }] },
      relationships: [{ type: 'APPLIES_TO', from: { type: 'Control', externalId: 'screen' }, to: { type: 'Agent', externalId: 'agent' } }],
    },
  });
  const controlId = await idOf(api, estate, 'Control', 'screen');
  await api.data(SATISFY, { controlId, r: { framework: atlas, identifier: 'AML.M9001' }, coverage: 'FULL', why: 'Implements input screening.' });
  await api.data(SATISFY, { controlId, r: { framework: 'eu-ai-act', identifier: 'Article 15' }, coverage: 'PARTIAL', why: 'Robustness against manipulated input.' });

  const CHAIN = `query($r: RequirementRefInput!) { threatChain(requirement: $r) {
    start { identifier } techniques { identifier }
    mitigations { mitigation { identifier } addresses { identifier } }
    controls { control { id } implements { identifier } protects { name } satisfies { requirement { key } coverage } }
  } }`;
  const chain = (await api.data(CHAIN, { r: { framework: atlas, identifier: 'AML.T9001' } })).threatChain;
  expect(chain.start).toEqual({ identifier: 'AML.T9001' });
  expect(chain.techniques.map((t: { identifier: string }) => t.identifier).sort()).toEqual(['AML.T9001', 'AML.T9001.000', 'AML.T9001.001']);
  expect(chain.mitigations).toEqual([{ mitigation: { identifier: 'AML.M9001' }, addresses: expect.arrayContaining([{ identifier: 'AML.T9001' }, { identifier: 'AML.T9001.001' }]) }]);
  expect(chain.controls).toHaveLength(1);
  expect(chain.controls[0]).toMatchObject({ control: { id: controlId }, implements: [{ identifier: 'AML.M9001' }], protects: [{ name: `Agent ${estate}` }] });
  expect(chain.controls[0].satisfies).toEqual(expect.arrayContaining([{ requirement: { key: 'eu-ai-act|Article 15' }, coverage: 'PARTIAL' }, { requirement: { key: `${atlas}|AML.M9001` }, coverage: 'FULL' }]));

  // From an OWASP risk: the techniques its seed crosswalk names (read from the seed, which may grow).
  const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/crosswalks/owasp-llm-top10--mitre-atlas.json'), 'utf8')) as {
    mappings: Array<{ from: { identifier: string }; to: { identifier: string } }>;
  };
  const named = seed.mappings.filter((m) => m.from.identifier === 'LLM01:2025').map((m) => m.to.identifier);
  expect(named.length).toBeGreaterThan(0);
  const owasp = (await api.data(CHAIN, { r: { framework: 'owasp-llm-top10', identifier: 'LLM01:2025' } })).threatChain;
  expect(owasp.start).toEqual({ identifier: 'LLM01:2025' });
  expect(owasp.techniques.map((t: { identifier: string }) => t.identifier)).toEqual(expect.arrayContaining(named));
});
