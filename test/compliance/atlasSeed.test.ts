import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ATLAS_SEED_FILES, ATLAS_SEED_LINK_SOURCE, generateAtlasSeed, withoutShippedAtlas } from '../../src/compliance/atlasSeed';
import { readSeedCatalogue, SEED_DIR } from '../../src/compliance/catalogue';
import { complianceRepository } from '../../src/compliance/complianceRepository';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const shipped = (file: string) => JSON.parse(fs.readFileSync(path.join(SEED_DIR, file), 'utf8'));
const realAtlas = path.join(SHARED_FIXTURES, 'atlas/ATLAS.yaml');

interface AtlasDoc {
  version: string;
  matrices: Array<{
    tactics: Array<{ id: string; name: string; description: string }>;
    techniques: Array<{ id: string; name: string; description: string; tactics?: string[]; 'subtechnique-of'?: string }>;
    mitigations: Array<{ id: string; name: string; description: string; techniques: Array<{ id: string; use: string }> }>;
  }>;
}

/** The first run of `n` words a text shares with any of the sources, or null. */
function sharedRun(text: string, sources: Set<string>, n = 8): string | null {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  for (let i = 0; i + n <= words.length; i += 1) {
    const run = words.slice(i, i + n).join(' ');
    if (sources.has(run)) return run;
  }
  return null;
}
const runsOf = (texts: string[], n = 8) => {
  const runs = new Set<string>();
  for (const text of texts) {
    const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
    for (let i = 0; i + n <= words.length; i += 1) runs.add(words.slice(i, i + n).join(' '));
  }
  return runs;
};

testWithSharedFile(realAtlas, 'the shipped ATLAS seed is what the generator makes of the official 5.6.0 file', () => {
  const text = fs.readFileSync(realAtlas, 'utf8');
  const generated = generateAtlasSeed(text);
  expect(shipped(ATLAS_SEED_FILES.framework)).toEqual(JSON.parse(JSON.stringify(generated.framework)));
  expect(shipped(ATLAS_SEED_FILES.links)).toEqual(JSON.parse(JSON.stringify(generated.links)));
});

testWithSharedFile(realAtlas, 'every ATLAS id, name, parent and mitigation link of the official file is shipped, and nothing else', () => {
  // Read from the YAML here, not through the generator: the check must not share its mistakes.
  const doc = yaml.load(fs.readFileSync(realAtlas, 'utf8')) as AtlasDoc;
  const [matrix] = doc.matrices;
  const seed = shipped(ATLAS_SEED_FILES.framework) as { framework: { version: string }; requirements: Array<{ identifier: string; kind: string; title: string; summary: string; parent: string | null; parents?: string[] }> };
  expect(doc.version).toBe('5.6.0');
  expect(seed.framework.version).toBe(doc.version);
  const expected = [
    ...matrix.tactics.map((t) => ({ identifier: t.id, kind: 'TACTIC', title: t.name, parents: [] as string[] })),
    ...matrix.techniques.map((t) => ({ identifier: t.id, kind: 'TECHNIQUE', title: t.name, parents: t['subtechnique-of'] ? [t['subtechnique-of']] : (t.tactics ?? []) })),
    ...matrix.mitigations.map((m) => ({ identifier: m.id, kind: 'MITIGATION', title: m.name, parents: [] as string[] })),
  ];
  const actual = seed.requirements.map((r) => ({ identifier: r.identifier, kind: r.kind, title: r.title, parents: r.parents ?? (r.parent ? [r.parent] : []) }));
  expect(actual).toEqual(expected);
  const kinds = (kind: string) => actual.filter((r) => r.kind === kind).length;
  expect([kinds('TACTIC'), kinds('TECHNIQUE'), kinds('MITIGATION')]).toEqual([16, 170, 35]);
  expect(actual.filter((r) => r.kind === 'TECHNIQUE' && r.parents[0]?.startsWith('AML.T0'))).toHaveLength(69);

  const pairs = new Set(matrix.mitigations.flatMap((m) => m.techniques.map((t) => `${m.id}>${t.id}`)));
  const links = (shipped(ATLAS_SEED_FILES.links) as { mappings: Array<{ from: { framework: string; identifier: string }; to: { framework: string; identifier: string }; type: string }> }).mappings;
  expect(links.every((m) => m.from.framework === 'mitre-atlas' && m.to.framework === 'mitre-atlas' && m.type === 'INTERSECTS')).toBe(true);
  expect(links.map((m) => `${m.from.identifier}>${m.to.identifier}`).sort()).toEqual([...pairs].sort());
  // ATLAS lists two pairs twice (two uses each); a pair is one link.
  expect(pairs.size).toBe(244);

  // Summaries are the project's: none shares eight words in a row with any ATLAS description or use.
  const atlasText = runsOf([
    ...matrix.tactics.map((t) => t.description),
    ...matrix.techniques.map((t) => t.description),
    ...matrix.mitigations.flatMap((m) => [m.description, ...m.techniques.map((t) => t.use)]),
  ]);
  const copied = seed.requirements.map((r) => [r.identifier, sharedRun(r.summary, atlasText)]).filter(([, run]) => run !== null);
  expect(copied).toEqual([]);
  expect(seed.requirements.every((r) => r.summary.length > 0)).toBe(true);
});

test('a fresh start holds the whole ATLAS matrix with its mitigation links', async () => {
  const { requirements } = await api.data<{ requirements: Array<{ identifier: string; kind: string; mappings: Array<{ from: { identifier: string }; to: { key: string }; source: string }> }> }>(
    '{ requirements(framework: "mitre-atlas") { identifier kind mappings { from { identifier } to { key } source } } }',
  );
  const counts: Record<string, number> = {};
  for (const row of requirements) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
  expect(counts).toEqual({ TACTIC: 16, TECHNIQUE: 170, MITIGATION: 35 });
  const links = shipped(ATLAS_SEED_FILES.links).mappings as Array<{ from: { identifier: string }; to: { identifier: string } }>;
  const loaded = requirements
    .filter((r) => r.kind === 'MITIGATION')
    .flatMap((r) => r.mappings.filter((m) => m.source === ATLAS_SEED_LINK_SOURCE && m.from.identifier === r.identifier).map((m) => `${r.identifier}>${m.to.key.split('|')[1]}`));
  expect(loaded.sort()).toEqual(links.map((m) => `${m.from.identifier}>${m.to.identifier}`).sort());
});

test('threatChain for LLM04 (data and model poisoning) finds its techniques and their mitigations', async () => {
  const { threatChain } = await api.data(`{ threatChain(requirement: { framework: "owasp-llm-top10", identifier: "LLM04:2025" }) {
    techniques { identifier } mitigations { mitigation { identifier kind } addresses { identifier } } } }`);
  // Read from the shipped files, so that a newer release or a grown crosswalk does not break the test.
  const crosswalk = shipped('crosswalks/owasp-llm-top10--mitre-atlas.json').mappings as Array<{ from: { identifier: string }; to: { identifier: string } }>;
  const named = crosswalk.filter((m) => m.from.identifier === 'LLM04:2025').map((m) => m.to.identifier);
  const techniques: string[] = threatChain.techniques.map((t: { identifier: string }) => t.identifier);
  expect(named.length).toBeGreaterThan(0);
  expect(techniques).toEqual(expect.arrayContaining(named));
  const links = shipped(ATLAS_SEED_FILES.links).mappings as Array<{ from: { identifier: string }; to: { identifier: string } }>;
  const expected = [...new Set(links.filter((m) => techniques.includes(m.to.identifier)).map((m) => m.from.identifier))].sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(threatChain.mitigations.map((m: { mitigation: { identifier: string } }) => m.mitigation.identifier).sort()).toEqual(expected);
  for (const { mitigation, addresses } of threatChain.mitigations as Array<{ mitigation: { identifier: string; kind: string }; addresses: Array<{ identifier: string }> }>) {
    expect(mitigation.kind).toBe('MITIGATION');
    const listed = links.filter((m) => m.from.identifier === mitigation.identifier && techniques.includes(m.to.identifier)).map((m) => m.to.identifier);
    expect(addresses.map((t) => t.identifier).sort()).toEqual(listed.sort());
  }
});

test('a database seeded by an older checkout takes the new catalogues on its next start', async () => {
  const context = api.app.server.createContext('test');
  // An older checkout's load left its own fingerprint; the next start compares and reloads.
  await context.db.writeTx((tx) => complianceRepository.recordCatalogueLoad(tx, 'fingerprint-of-an-older-checkout'));
  const result = await context.services.catalogue.loadSeedCatalogue();
  expect(result.loaded).toBe(true);
  const again = await context.services.catalogue.loadSeedCatalogue();
  expect(again.loaded).toBe(false);
});

test('once ATLAS is imported from a file, the seed load leaves the shipped ATLAS out and withdraws its links', () => {
  const { batch } = readSeedCatalogue();
  const kept = withoutShippedAtlas(batch);
  expect(kept.frameworks.map((f) => f.key)).not.toContain('mitre-atlas');
  expect(kept.requirements.some((r) => r.framework === 'mitre-atlas')).toBe(false);
  expect(kept.mappings.some((m) => m.source === ATLAS_SEED_LINK_SOURCE)).toBe(false);
  expect(kept.mappingSources).toContain(ATLAS_SEED_LINK_SOURCE);
  // The OWASP crosswalk into ATLAS stays: it names identifiers the import keeps.
  expect(kept.mappings.filter((m) => m.source === 'seed/crosswalks/owasp-llm-top10--mitre-atlas.json').length).toBeGreaterThan(0);
  expect(kept.requirements.length + 221).toBe(batch.requirements.length);
});
