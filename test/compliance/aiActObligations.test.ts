import { readSeedCatalogue } from '../../src/compliance/catalogue';
import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const FIELDS = 'identifier kind roles categories appliesFrom bindsOperator condition parent { identifier }';

test('obligations are served with whom and what they bind and from when, under their article', async () => {
  const { requirement } = await api.data(`{ requirement(framework: "eu-ai-act", identifier: "Article 26(7)") { ${FIELDS} } }`);
  expect(requirement).toEqual({
    identifier: 'Article 26(7)',
    kind: 'OBLIGATION',
    roles: ['DEPLOYER'],
    categories: ['HIGH_RISK'],
    appliesFrom: '2026-08-02',
    bindsOperator: true,
    condition: expect.stringContaining('employers'),
    parent: { identifier: 'Article 26' },
  });
  const { requirement: literacy } = await api.data(`{ requirement(framework: "eu-ai-act", identifier: "Article 4, first paragraph") { ${FIELDS} } }`);
  expect(literacy).toMatchObject({ roles: ['PROVIDER', 'DEPLOYER'], appliesFrom: '2025-02-02', condition: null, parent: { identifier: 'Article 4' } });
  const { requirement: gpai } = await api.data(`{ requirement(framework: "eu-ai-act", identifier: "Article 55(1)(a)") { ${FIELDS} } }`);
  expect(gpai).toMatchObject({ roles: ['PROVIDER'], categories: ['GPAI_SYSTEMIC_RISK'], appliesFrom: '2025-08-02' });
});

test('the served obligations are exactly the seed ones, and Article 26 lists its paragraphs as children', async () => {
  const { requirements } = await api.data<{ requirements: Array<{ identifier: string; appliesFrom: string }> }>(
    '{ requirements(framework: "eu-ai-act", kinds: [OBLIGATION]) { identifier appliesFrom } }',
  );
  const seed = readSeedCatalogue().batch.requirements.filter((row) => row.framework === 'eu-ai-act' && row.kind === 'OBLIGATION');
  expect(requirements).toEqual(seed.map((row) => ({ identifier: row.identifier, appliesFrom: row.appliesFrom })));
  const { requirement } = await api.data('{ requirement(framework: "eu-ai-act", identifier: "Article 26") { kind bindsOperator roles children { identifier } } }');
  expect(requirement).toMatchObject({ kind: 'ARTICLE', bindsOperator: true, roles: [] });
  expect(requirement.children.map((child: { identifier: string }) => child.identifier)).toEqual(
    [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((paragraph) => `Article 26(${paragraph})`),
  );
});

test('articles that bind no operator say so; other frameworks carry none of the fields', async () => {
  const { a, b, c } = await api.data(`{
    a: requirement(framework: "eu-ai-act", identifier: "Article 97") { ${FIELDS} }
    b: requirement(framework: "nist-ai-rmf", identifier: "MEASURE 2.7") { ${FIELDS} }
    c: requirement(framework: "eu-ai-act", identifier: "Chapter III") { ${FIELDS} }
  }`);
  expect(a).toMatchObject({ kind: 'ARTICLE', bindsOperator: false, roles: [], categories: [], appliesFrom: null });
  for (const row of [b, c]) expect(row).toMatchObject({ roles: [], categories: [], appliesFrom: null, bindsOperator: null, condition: null });
});

test('crosswalks that point at articles keep working beside the obligations under them', async () => {
  const { requirement } = await api.data('{ requirement(framework: "eu-ai-act", identifier: "Article 10") { mappings { from { identifier } to { identifier } } children { kind } } }');
  expect(requirement.mappings.length).toBeGreaterThan(0);
  expect(requirement.children.every((child: { kind: string }) => child.kind === 'OBLIGATION')).toBe(true);
});
