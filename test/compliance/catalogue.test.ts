import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { parseAtlas, readSeedCatalogue } from '../../src/compliance/catalogue';
import { SHARED_FIXTURES, SHARED_REFERENCE, testWithSharedFile } from '../support/sharedFixtures';
import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const countKinds = async (framework: string) => {
  const { requirements } = await api.data<{ requirements: Array<{ kind: string }> }>('query($f: String!) { requirements(framework: $f) { kind } }', { f: framework });
  const counts: Record<string, number> = {};
  for (const row of requirements) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
  return counts;
};

test('catalogue counts equal the official ones', async () => {
  expect(await countKinds('eu-ai-act')).toEqual({ CHAPTER: 13, SECTION: 16, ARTICLE: 113, ANNEX: 13, OBLIGATION: expect.any(Number) });
  expect(await countKinds('nist-ai-rmf')).toEqual({ FUNCTION: 4, CATEGORY: 19, SUBCATEGORY: 72 });
  expect((await countKinds('iso-42001')).CONTROL).toBe(38);
  expect(await countKinds('owasp-llm-top10')).toEqual({ RISK: 10 });
  const { frameworks } = await api.data('{ frameworks { key version } }');
  expect(frameworks).toEqual(
    expect.arrayContaining([
      { key: 'eu-ai-act', version: 'Regulation (EU) 2024/1689' },
      { key: 'nist-ai-rmf', version: '1.0' },
      { key: 'iso-42001', version: '2023' },
      { key: 'owasp-llm-top10', version: '2025' },
      expect.objectContaining({ key: 'mitre-atlas' }),
    ]),
  );
});

// The shared reference lists are the project's checked source of truth: every identifier of the
// seed must be one of theirs and the other way round. Where they are absent, the fixed numbers
// above still hold.
const referenceDir = SHARED_REFERENCE;
testWithSharedFile(path.join(referenceDir, 'eu-ai-act.json'), 'seed identifiers equal the shared reference lists', () => {
  const { batch } = readSeedCatalogue();
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(referenceDir, name), 'utf8'));
  const ids = (framework: string, kinds: string[]) => batch.requirements.filter((r) => r.framework === framework && kinds.includes(r.kind)).map((r) => r.identifier).sort();
  const ai = read('eu-ai-act.json');
  expect(ids('eu-ai-act', ['ARTICLE'])).toEqual(ai.articles.map((a: { number: number }) => `Article ${a.number}`).sort());
  expect(ids('eu-ai-act', ['ANNEX'])).toEqual(ai.annexes.map((a: { number: string }) => `Annex ${a.number}`).sort());
  const nist = read('nist-ai-rmf-1.0.json');
  expect(ids('nist-ai-rmf', ['SUBCATEGORY'])).toEqual(nist.subcategories.map((s: { id: string }) => s.id).sort());
  expect(ids('iso-42001', ['CONTROL'])).toEqual(read('iso-42001-annex-a.json').controls.map((c: { id: string }) => c.id).sort());
  expect(ids('owasp-llm-top10', ['RISK'])).toEqual(read('owasp-llm-top10-2025.json').entries.map((e: { id: string }) => e.id).sort());
});

test('the hierarchy follows PART_OF: Article 10 → Chapter III Section 2 → Chapter III → framework', async () => {
  const { requirement } = await api.data(`{ requirement(framework: "eu-ai-act", identifier: "Article 10") {
    key title parent { identifier kind parent { identifier kind parent { identifier } children { identifier } } } framework { key } } }`);
  expect(requirement.key).toBe('eu-ai-act|Article 10');
  expect(requirement.framework.key).toBe('eu-ai-act');
  expect(requirement.parent).toMatchObject({ identifier: 'Chapter III Section 2', kind: 'SECTION', parent: { identifier: 'Chapter III', kind: 'CHAPTER', parent: null } });
  expect(requirement.parent.parent.children.map((c: { identifier: string }) => c.identifier)).toContain('Chapter III Section 2');
  const { requirement: sub } = await api.data('{ requirement(framework: "nist-ai-rmf", identifier: "MEASURE 2.7") { parent { identifier parent { identifier kind } } } }');
  expect(sub.parent).toEqual({ identifier: 'MEASURE 2', parent: { identifier: 'MEASURE', kind: 'FUNCTION' } });
});

test('loading the seed catalogue again, forced and concurrently, changes nothing', async () => {
  // Only the shipped frameworks: other test files create frameworks of their own meanwhile.
  const shipped = async () =>
    (await api.data('{ frameworks { key requirementCount } }')).frameworks.filter((framework: { key: string }) =>
      ['eu-ai-act', 'nist-ai-rmf', 'iso-42001', 'iso-23894', 'owasp-llm-top10', 'mitre-atlas', 'google-saif'].includes(framework.key),
    );
  const before = await shipped();
  const load = () => api.app.server.createContext('test').services.catalogue.loadSeedCatalogue({ force: true });
  const results = await Promise.all([load(), load()]);
  expect(results.every((result) => result.loaded)).toBe(true);
  expect(await shipped()).toEqual(before);
  const { requirement } = await api.data('{ requirement(framework: "eu-ai-act", identifier: "Article 10") { mappings { source } parents { identifier } } }');
  const sources = requirement.mappings.map((m: { source: string }) => m.source);
  // No duplicate edges: each seed mapping of Article 10 appears once per pair and source.
  expect(requirement.parents).toHaveLength(1);
  expect(sources.length).toBeGreaterThan(0);
});

const importFile = async (file: string) => {
  const key = unique('atlas-test');
  const counts = await api.app.server.createContext('test').services.catalogue.importAtlas(fs.readFileSync(file, 'utf8'), key);
  return { key, counts };
};

test('the ATLAS importer loads the project fixture idempotently, with hierarchy and mitigation mappings', async () => {
  const file = path.join(__dirname, '../fixtures/atlas/ATLAS.yaml');
  const { key, counts } = await importFile(file);
  expect(counts).toMatchObject({ tactics: 2, techniques: 2, subtechniques: 2, mitigations: 2, mitigationLinks: 3, version: '0.0.1-test' });
  await api.app.server.createContext('test').services.catalogue.importAtlas(fs.readFileSync(file, 'utf8'), key);
  expect(await countKinds(key)).toEqual({ TACTIC: 2, TECHNIQUE: 4, MITIGATION: 2 });
  const { requirement } = await api.data(`query($f: String!) { requirement(framework: $f, identifier: "AML.T9001") {
    parents { identifier } children { identifier } mappings { from { identifier } type rationale source } } }`, { f: key });
  expect(requirement.parents.map((p: { identifier: string }) => p.identifier).sort()).toEqual(['AML.TA9001', 'AML.TA9002']);
  expect(requirement.children.map((c: { identifier: string }) => c.identifier)).toEqual(['AML.T9001.000', 'AML.T9001.001']);
  expect(requirement.mappings).toEqual([{ from: { identifier: 'AML.M9001' }, type: 'INTERSECTS', rationale: 'Screening catches many hidden instructions.', source: `${key}:ATLAS.yaml` }]);
});

const realAtlas = path.join(SHARED_FIXTURES, 'atlas/ATLAS.yaml');
testWithSharedFile(realAtlas, 'the ATLAS importer loads the real 5.6.0 file with counts equal to the YAML', async () => {
  const text = fs.readFileSync(realAtlas, 'utf8');
  const doc = yaml.load(text) as { matrices: Array<{ tactics: unknown[]; techniques: Array<{ 'subtechnique-of'?: string }>; mitigations: Array<{ techniques?: unknown[] }> }> };
  const expected = {
    TACTIC: doc.matrices.reduce((n, m) => n + m.tactics.length, 0),
    TECHNIQUE: doc.matrices.reduce((n, m) => n + m.techniques.length, 0),
    MITIGATION: doc.matrices.reduce((n, m) => n + m.mitigations.length, 0),
  };
  const links = doc.matrices.reduce((n, m) => n + m.mitigations.reduce((k, x) => k + (x.techniques?.length ?? 0), 0), 0);
  const { key, counts } = await importFile(realAtlas);
  expect(counts.version).toBe('5.6.0');
  expect(counts.mitigationLinks).toBe(links);
  expect(await countKinds(key)).toEqual(expected);
  expect(parseAtlas(text, key).batch.mappings).toHaveLength(links);
});
