import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Principal } from '../../src/auth/access';
import { readSeedCatalogue, SEED_DIR } from '../../src/compliance/catalogue';
import { ASSESSABLE_KINDS } from '../../src/compliance/model';
import { readRiskCategoryMappings, RISK_CATEGORIES } from '../../src/compliance/riskCategories';
import { SYNC } from '../support/estateFixture';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { createTestApi, TestApi, unique } from '../support/api';
import { idOf, SATISFY } from './support';

/**
 * The catalogues issue 17 adds beside ATLAS: Google SAIF's risk map (risks, controls, components,
 * personas and the risk-control links, checked against the shared fixture), ISO/IEC 23894's clause
 * structure with NIST's crosswalk to the AI RMF, and the register's risk categories read as SAIF risks.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const viewer: Principal = { name: 'catalogue-viewer', kind: 'apiKey', role: 'VIEWER' };
const shipped = (file: string) => JSON.parse(fs.readFileSync(path.join(SEED_DIR, file), 'utf8'));
const saifDir = path.join(SHARED_FIXTURES, 'saif');

const countKinds = async (framework: string) => {
  const { requirements } = await api.data<{ requirements: Array<{ kind: string }> }>('query($f: String!) { requirements(framework: $f) { kind } }', { f: framework });
  const counts: Record<string, number> = {};
  for (const row of requirements) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
  return counts;
};

/** Every run of eight words in the texts, lower-cased, to tell whether a summary copies one. */
const runsOf = (texts: string[], n = 8) => {
  const runs = new Set<string>();
  for (const text of texts) {
    const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
    for (let i = 0; i + n <= words.length; i += 1) runs.add(words.slice(i, i + n).join(' '));
  }
  return runs;
};
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(stringsIn) : value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

interface SaifYaml {
  risks: { risks: Array<{ id: string; title: string; controls?: string[] }> };
  controls: { categories: Array<{ id: string; title: string }>; controls: Array<{ id: string; title: string; category: string; risks: string[] | string }> };
  components: { components: Array<{ id: string; title: string }> };
  personas: { personas: Array<{ id: string; title: string }> };
}

testWithSharedFile(path.join(saifDir, 'risks.yaml'), 'SAIF: every risk, control, category, component and persona of the fixture is shipped, with every risk-control link, and nothing else', () => {
  const read = <K extends keyof SaifYaml>(name: K) => yaml.load(fs.readFileSync(path.join(saifDir, `${name}.yaml`), 'utf8')) as SaifYaml[K];
  const risks = read('risks').risks;
  const { categories, controls } = read('controls');
  const components = read('components').components;
  const personas = read('personas').personas;
  expect([risks.length, controls.length]).toEqual([15, 23]);

  const seed = shipped('frameworks/google-saif.json') as { framework: { key: string }; requirements: Array<{ identifier: string; kind: string; title: string; summary: string; parent: string | null }> };
  expect(seed.framework.key).toBe('google-saif');
  const entries = (kind: string) => seed.requirements.filter((r) => r.kind === kind).map((r) => ({ identifier: r.identifier, title: r.title, parent: r.parent }));
  expect(entries('RISK')).toEqual(risks.map((r) => ({ identifier: r.id, title: r.title, parent: null })));
  expect(entries('CONTROL_GROUP')).toEqual(categories.map((c) => ({ identifier: c.id, title: c.title, parent: null })));
  expect(entries('CONTROL').sort((a, b) => a.identifier.localeCompare(b.identifier))).toEqual(
    controls.map((c) => ({ identifier: c.id, title: c.title, parent: c.category })).sort((a, b) => a.identifier.localeCompare(b.identifier)),
  );
  expect(entries('COMPONENT')).toEqual(components.map((c) => ({ identifier: c.id, title: c.title, parent: null })));
  expect(entries('PERSONA')).toEqual(personas.map((p) => ({ identifier: p.id, title: p.title, parent: null })));
  expect(seed.requirements).toHaveLength(15 + 23 + categories.length + components.length + personas.length);

  // A link for every pair either file states (a risk's controls, a control's risks); "all" names no pair.
  const stated = new Set([
    ...risks.flatMap((r) => (r.controls ?? []).map((c) => `${c}>${r.id}`)),
    ...controls.flatMap((c) => (Array.isArray(c.risks) ? c.risks.map((r) => `${c.id}>${r}`) : [])),
  ]);
  const links = shipped('crosswalks/google-saif--risk-controls.json').mappings as Array<{ from: { framework: string; identifier: string }; to: { framework: string; identifier: string }; type: string }>;
  expect(links.every((m) => m.from.framework === 'google-saif' && m.to.framework === 'google-saif' && m.type === 'INTERSECTS')).toBe(true);
  expect(links.map((m) => `${m.from.identifier}>${m.to.identifier}`).sort()).toEqual([...stated].sort());
  expect(stated.size).toBe(37);

  const saifText = runsOf((['risks', 'controls', 'components', 'personas', 'self-assessment'] as const).flatMap((name) => stringsIn(yaml.load(fs.readFileSync(path.join(saifDir, `${name}.yaml`), 'utf8')))));
  const copied = seed.requirements.filter((r) => [...runsOf([r.summary])].some((run) => saifText.has(run))).map((r) => r.identifier);
  expect(copied).toEqual([]);
});

test('a fresh start holds SAIF and ISO/IEC 23894, listed with the other frameworks', async () => {
  expect(await countKinds('google-saif')).toEqual({ RISK: 15, CONTROL_GROUP: 6, CONTROL: 23, COMPONENT: 14, PERSONA: 2 });
  expect(await countKinds('iso-23894')).toEqual({ CLAUSE: 2, SUBCLAUSE: 28 });
  const { frameworks } = await api.data('{ frameworks { key version requirementCount licence } }', {}, viewer);
  expect(frameworks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ key: 'google-saif', requirementCount: 60, licence: 'Apache-2.0' }),
      expect.objectContaining({ key: 'iso-23894', version: '2023', requirementCount: 30 }),
    ]),
  );
  // SAIF's risk-control links read like ATLAS's mitigation links: from the control to the risk.
  const { requirement } = await api.data('{ requirement(framework: "google-saif", identifier: "DP") { mappings { from { identifier kind } type source } } }');
  const controls = requirement.mappings.filter((m: { source: string }) => m.source === 'seed/crosswalks/google-saif--risk-controls.json');
  expect(controls.map((m: { from: { identifier: string } }) => m.from.identifier).sort()).toEqual(
    ['controlModelAndDataAccessControls', 'controlModelAndDataIntegrityManagement', 'controlModelAndDataInventoryManagement', 'controlSecureByDefaultMLTooling', 'controlTrainingDataSanitization'],
  );
  expect(controls.every((m: { from: { kind: string }; type: string }) => m.from.kind === 'CONTROL' && m.type === 'INTERSECTS')).toBe(true);
});

test('ISO/IEC 23894 holds only clauses NIST\'s crosswalk cites and the clauses containing them; GOVERN reaches its eight', async () => {
  const { batch } = readSeedCatalogue();
  const clauses = batch.requirements.filter((r) => r.framework === 'iso-23894');
  const cited = new Set(batch.mappings.filter((m) => m.source === 'seed/crosswalks/nist-ai-rmf--iso-23894.json').map((m) => m.toKey));
  const containing = new Set(clauses.flatMap((r) => r.parentKeys));
  expect(clauses.filter((r) => !cited.has(r.key) && !containing.has(r.key)).map((r) => r.identifier)).toEqual([]);
  // Each parent is the identifier with its last number taken off.
  for (const clause of clauses) expect(clause.parentKeys).toEqual(clause.identifier.includes('.') ? [`iso-23894|${clause.identifier.replace(/\.\d+$/, '')}`] : []);
  expect(cited.size).toBe(26);

  const { relatedRequirements } = await api.data(
    '{ relatedRequirements(requirement: { framework: "nist-ai-rmf", identifier: "GOVERN" }, depth: 1, frameworks: ["iso-23894"]) { requirement { identifier } direct } }',
  );
  expect(relatedRequirements.map((r: { requirement: { identifier: string } }) => r.requirement.identifier).sort()).toEqual(['5.2', '5.3', '5.4', '5.4.1', '5.4.2', '5.4.3', '5.4.4', '5.4.5']);
});

test('coverage works for SAIF and ISO/IEC 23894: the assessable entries, grouped, and a claim counted', async () => {
  expect(ASSESSABLE_KINDS).toEqual(expect.arrayContaining(['RISK', 'CONTROL', 'SUBCLAUSE']));
  const source = unique('catalogues');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        aiModels: [{ externalId: 'model', name: `Model ${source}` }],
        controls: [{ externalId: 'sanitise', name: `Label screening ${source}`, implementationStatus: 'IMPLEMENTED' }],
        evidence: [{ externalId: 'report', name: `Screening report ${source}` }],
      },
      relationships: [
        { type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'report' }, to: { type: 'Control', externalId: 'sanitise' } },
        { type: 'APPLIES_TO', from: { type: 'Control', externalId: 'sanitise' }, to: { type: 'AIModel', externalId: 'model' } },
      ],
    },
  });
  const controlId = await idOf(api, source, 'Control', 'sanitise');
  const assetId = await idOf(api, source, 'AIModel', 'model');
  await api.data(SATISFY, { controlId, r: { framework: 'google-saif', identifier: 'controlTrainingDataSanitization' }, coverage: 'FULL', why: 'Screens labels before training.' });
  await api.data(SATISFY, { controlId, r: { framework: 'iso-23894', identifier: '6.4.2.3' }, coverage: 'PARTIAL', why: 'Finds one source of risk.' });

  const COVERAGE = `query($f: String!, $scope: CoverageScope) { coverage(framework: $f, scope: $scope) {
    total groups { identifier total } items { requirement { identifier kind } status group } } }`;
  const saif = (await api.data(COVERAGE, { f: 'google-saif' }, viewer)).coverage;
  expect(saif.total).toBe(38);
  expect(saif.groups).toEqual(expect.arrayContaining([{ identifier: 'Risks', total: 15 }, { identifier: 'controlsData', total: 4 }, { identifier: 'controlsGovernance', total: 4 }]));
  const iso = (await api.data(COVERAGE, { f: 'iso-23894' })).coverage;
  expect(iso.total).toBe(28);
  expect(iso.groups).toEqual([{ identifier: '5', total: 10 }, { identifier: '6', total: 18 }]);

  const mine = (await api.data(COVERAGE, { f: 'google-saif', scope: { assetId } })).coverage;
  expect(mine.items).toEqual([{ requirement: { identifier: 'controlTrainingDataSanitization', kind: 'CONTROL' }, status: 'SATISFIED', group: 'controlsData' }]);
  const mineIso = (await api.data(COVERAGE, { f: 'iso-23894', scope: { assetId } })).coverage;
  expect(mineIso.items).toEqual([{ requirement: { identifier: '6.4.2.3', kind: 'SUBCLAUSE' }, status: 'PARTIAL', group: '6' }]);
});

test('threatChain from a SAIF risk lists the controls SAIF maps to it as its mitigations', async () => {
  const CHAIN = `query($r: RequirementRefInput!) { threatChain(requirement: $r) {
    start { identifier } techniques { identifier } mitigations { mitigation { identifier kind framework { key } } addresses { identifier } } } }`;
  const { threatChain } = await api.data(CHAIN, { r: { framework: 'google-saif', identifier: 'PIJ' } }, viewer);
  const links = shipped('crosswalks/google-saif--risk-controls.json').mappings as Array<{ from: { identifier: string }; to: { identifier: string } }>;
  const listed = links.filter((m) => m.to.identifier === 'PIJ').map((m) => m.from.identifier).sort();
  expect(listed.length).toBeGreaterThan(0);
  expect(threatChain.techniques).toEqual([]);
  expect(threatChain.mitigations.map((m: { mitigation: { identifier: string } }) => m.mitigation.identifier).sort()).toEqual(listed);
  for (const m of threatChain.mitigations) expect(m).toMatchObject({ mitigation: { kind: 'CONTROL', framework: { key: 'google-saif' } }, addresses: [{ identifier: 'PIJ' }] });
  // An OWASP risk's chain stays ATLAS's: no other framework's controls join it.
  const owasp = (await api.data(CHAIN, { r: { framework: 'owasp-llm-top10', identifier: 'LLM01:2025' } })).threatChain;
  expect(owasp.mitigations.every((m: { mitigation: { kind: string } }) => m.mitigation.kind === 'MITIGATION')).toBe(true);
});

test('the nine register categories read as SAIF risks, each with the project\'s reasons', async () => {
  const rows = readRiskCategoryMappings();
  const { batch } = readSeedCatalogue();
  const saifRisks = new Set(batch.requirements.filter((r) => r.framework === 'google-saif' && r.kind === 'RISK').map((r) => r.key));
  expect(rows.map((row) => row.category)).toEqual([...RISK_CATEGORIES]);
  expect(rows.flatMap((row) => row.requirementKeys).filter((key) => !saifRisks.has(key))).toEqual([]);
  // A broken file is refused whole: an identifier SAIF does not have, a category missing.
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-categories-'));
  fs.cpSync(path.join(SEED_DIR, 'frameworks'), path.join(broken, 'frameworks'), { recursive: true });
  fs.cpSync(path.join(SEED_DIR, 'crosswalks'), path.join(broken, 'crosswalks'), { recursive: true });
  const file = shipped('risk-categories.json');
  file.mappings[0].identifiers = ['NOPE'];
  file.mappings.pop();
  fs.writeFileSync(path.join(broken, 'risk-categories.json'), JSON.stringify(file));
  expect(() => readRiskCategoryMappings(broken)).toThrow(/google-saif\|NOPE is not a risk[\s\S]*each category once: THIRD_PARTY/);
  fs.rmSync(broken, { recursive: true });

  const QUERY = `query($c: RiskCategory) { riskCategoryMappings(category: $c) { category rationale requirements { key kind framework { key } } } }`;
  const all = (await api.data(QUERY, {}, viewer)).riskCategoryMappings;
  expect(all.map((row: { category: string }) => row.category)).toEqual([...RISK_CATEGORIES]);
  for (const row of all) {
    expect(row.requirements.length).toBeGreaterThan(0);
    expect(row.rationale.length).toBeGreaterThan(20);
    expect(row.requirements.every((r: { kind: string; framework: { key: string } }) => r.kind === 'RISK' && r.framework.key === 'google-saif')).toBe(true);
  }
  const { riskCategoryMappings } = await api.data(QUERY, { c: 'TRAINING_DATA_POISONING' });
  expect(riskCategoryMappings).toHaveLength(1);
  expect(riskCategoryMappings[0].requirements.map((r: { key: string }) => r.key)).toEqual(['google-saif|DP', 'google-saif|MST']);
  const { riskCategoryMappings: injection } = await api.data(QUERY, { c: 'PROMPT_INJECTION' });
  expect(injection[0].requirements.map((r: { key: string }) => r.key)).toEqual(['google-saif|PIJ']);

  // Hostile input: a category the register does not have, or not a name at all, is refused before any read.
  for (const c of ['NOT_A_CATEGORY', "PROMPT_INJECTION') RETURN 1 //", 42]) {
    const result = await api.execute(QUERY, { c });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.data).toBeUndefined();
  }
});
