import fs from 'node:fs';
import path from 'node:path';
import { generateAtlasSeed } from '../../src/compliance/atlasSeed';

// The project's own small file in the ATLAS format: the generator's rules, without the shared fixtures.
const text = fs.readFileSync(path.join(__dirname, '../fixtures/atlas/ATLAS.yaml'), 'utf8');

test('the ATLAS seed generator keeps ids, names and places, one link per pair, and builds summaries from facts only', () => {
  const { framework, links } = generateAtlasSeed(text);
  expect(framework.framework).toMatchObject({ key: 'mitre-atlas', version: '0.0.1-test', licence: 'Apache-2.0' });
  expect(framework.generatedFrom).toMatchObject({ file: 'ATLAS.yaml', version: '0.0.1-test', generator: 'scripts/generateAtlasSeed.ts' });
  expect(framework.requirements.map(({ identifier, kind, title, parent, parents }) => ({ identifier, kind, title, parent, parents }))).toEqual([
    { identifier: 'AML.TA9001', kind: 'TACTIC', title: 'Getting In', parent: null, parents: undefined },
    { identifier: 'AML.TA9002', kind: 'TACTIC', title: 'Making It Misbehave', parent: null, parents: undefined },
    // Under two tactics: `parents`, and no single `parent` to pick one of them.
    { identifier: 'AML.T9001', kind: 'TECHNIQUE', title: 'Sneaky Instructions', parent: null, parents: ['AML.TA9001', 'AML.TA9002'] },
    { identifier: 'AML.T9001.000', kind: 'TECHNIQUE', title: 'Typed Directly', parent: 'AML.T9001', parents: undefined },
    { identifier: 'AML.T9001.001', kind: 'TECHNIQUE', title: 'Hidden In Documents', parent: 'AML.T9001', parents: undefined },
    { identifier: 'AML.T9002', kind: 'TECHNIQUE', title: 'Spoiled Training Data', parent: 'AML.TA9002', parents: undefined },
    { identifier: 'AML.M9001', kind: 'MITIGATION', title: 'Screen Inputs', parent: null, parents: undefined },
    { identifier: 'AML.M9002', kind: 'MITIGATION', title: 'Check Data Provenance', parent: null, parents: undefined },
  ]);
  const summary = (id: string) => framework.requirements.find((r) => r.identifier === id)!.summary;
  expect(summary('AML.TA9002')).toBe('Adversary tactic, a goal ATLAS adds for AI systems, with no ATT&CK counterpart; 2 ATLAS techniques serve it.');
  expect(summary('AML.T9001')).toBe('Adversary technique under Getting In and Making It Misbehave, refined by 2 sub-techniques. 1 ATLAS mitigation is listed for it.');
  expect(summary('AML.T9001.000')).toBe('Variant of AML.T9001 (Sneaky Instructions). No ATLAS mitigation is listed for it.');
  expect(summary('AML.M9001')).toBe('A countermeasure; ATLAS lists it against 2 techniques.');
  // No description or "use" text of the file reaches the seed.
  const shipped = JSON.stringify({ framework, links });
  for (const phrase of ['hidden in input', 'Screening catches', 'Provenance checks', 'The adversary looks']) expect(shipped).not.toContain(phrase);
  expect(links.mappings.map((m) => `${m.from.identifier}>${m.to.identifier}`)).toEqual(['AML.M9001>AML.T9001', 'AML.M9001>AML.T9001.001', 'AML.M9002>AML.T9002']);
});
