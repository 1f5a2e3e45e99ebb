import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP } from '../support/estateFixture';
import { IMPORT, mlBom, snapshot } from './support';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const importBom = (source: string, document: unknown, extra: Record<string, unknown> = {}) => api.data(IMPORT, { input: { source, document, ...extra } });

test('an ML-BOM becomes models, datasets, vendors, owners and an agent, linked as the document says; the same document again changes nothing', async () => {
  const source = unique('cdx');
  const { importDocument: report } = await importBom(source, mlBom());
  expect(report).toMatchObject({ format: 'CYCLONEDX', source, considered: 8, mapped: 7 });
  expect(report.sync).toMatchObject({ ok: true, assets: { created: 10 }, relationships: { created: 13 } });
  expect(report.problems).toEqual([]);
  // Every element is mapped or skipped with a warning at its place.
  expect(report.warnings.filter((warning: any) => warning.skipped)).toEqual([{ pointer: '/components/6', message: expect.stringMatching(/library component has no place/), skipped: true }]);
  expect(report.warnings.map((warning: any) => warning.pointer)).toEqual(
    expect.arrayContaining(['/components/1/properties/1', '/dependencies/0/dependsOn/3']),
  );

  const { records, relationships } = await snapshot(api, source);
  const claims = records.find((record) => record.externalId === 'model-claims')!;
  expect(claims).toMatchObject({
    name: 'northwind/claims-triage',
    modelVersion: '1.0.3',
    riskTier: 'HIGH',
    learningApproach: 'SUPERVISED',
    tags: ['claims', 'triage'],
    intendedUsers: ['Claims handlers'],
    performanceMetrics: ['{"type":"f1","value":"0.91","slice":"all claims","lowerBound":"0.89","upperBound":"0.93"}'],
  });
  expect(records.find((record) => record.externalId === 'model-base')).toMatchObject({ purl: 'pkg:huggingface/acme/acme-base-llm@2.1', licenses: ['Apache-2.0'], hashes: [expect.stringMatching(/^SHA-256:9f86/)] });
  expect(records.find((record) => record.externalId === 'ds-claims')).toMatchObject({ classification: 'CONFIDENTIAL', containsPersonalData: true });
  expect(relationships).toEqual(
    expect.arrayContaining([
      'AIModel:model-claims -BASED_ON{}-> AIModel:model-base',
      'AIModel:model-claims -FINE_TUNED_ON{}-> Dataset:ds-claims',
      'AIModel:model-claims -EVALUATED_ON{}-> Dataset:ds-holdout',
      'AIModel:model-claims -TRAINED_ON{}-> Dataset:model-claims#dataset-Synthetic edge cases',
      'AIModel:model-claims -PROVIDED_BY{"roles":["publisher"]}-> Vendor:vendor-acme',
      'AIModel:model-base -PROVIDED_BY{"roles":["supplier"]}-> Vendor:vendor-acme',
      'Dataset:ds-holdout -DERIVED_FROM{}-> Dataset:ds-claims',
      'Dataset:ds-claims -OWNED_BY{"roles":["owner"]}-> Owner:team-claims-data',
      'Dataset:ds-claims -OWNED_BY{"roles":["custodian"]}-> Owner:owner:Dana Scott',
      'Agent:app-claims-assistant -USES_MODEL{}-> AIModel:model-claims',
    ]),
  );
  // The data component the agent depends on is a retrieval, not a training set.
  expect(relationships).toContain('Agent:app-claims-assistant -RETRIEVES_FROM{}-> Dataset:ds-web');

  const again = await importBom(source, mlBom());
  expect(again.importDocument.sync.assets).toEqual({ created: 0, updated: 0, unchanged: 10, deleted: 0 });
  expect(again.importDocument.sync.relationships).toEqual({ created: 0, updated: 0, unchanged: 13, deleted: 0 });
});

test('the format is detected when left out, and a document of no known format is refused', async () => {
  const source = unique('cdx');
  const detected = await api.data(IMPORT, { input: { source, document: { bomFormat: 'CycloneDX', specVersion: '1.5', components: [] } } });
  expect(detected.importDocument.format).toBe('CYCLONEDX');
  const unknown = await api.execute(IMPORT, { input: { source, document: { spdxVersion: 'SPDX-2.3' } } });
  expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not recognised/) });
});

test('a dry run reports what the import would do and writes nothing; REPLACE then removes what the document no longer holds', async () => {
  const source = unique('cdx');
  const dry = await importBom(source, mlBom(), { dryRun: true });
  expect(dry.importDocument.sync).toMatchObject({ ok: true, dryRun: true, assets: { created: 10 }, relationships: { created: 13 } });
  expect((await snapshot(api, source)).records).toEqual([]);

  await importBom(source, mlBom());
  const smaller = mlBom();
  smaller.components = smaller.components.filter((component: any) => component['bom-ref'] !== 'app-claims-assistant');
  const replaced = await importBom(source, smaller, { mode: 'REPLACE' });
  expect(replaced.importDocument.sync.assets).toEqual({ created: 0, updated: 0, unchanged: 9, deleted: 1 });
  expect(replaced.importDocument.sync.relationships).toMatchObject({ deleted: 2 });
  expect((await api.data(KEY_LOOKUP, { type: 'Agent', source, externalId: 'app-claims-assistant' })).entityByKey).toBeNull();
});

test('two imports of one document at once: the per-source lock serialises them, one creates and the other finds everything there', async () => {
  const source = unique('cdx');
  const [first, second] = await Promise.all([importBom(source, mlBom()), importBom(source, mlBom())]);
  const created = [first, second].map((result) => result.importDocument.sync.assets.created).sort();
  expect(created).toEqual([0, 10]);
  const unchanged = [first, second].map((result) => result.importDocument.sync.relationships.unchanged).sort();
  expect(unchanged).toEqual([0, 13]);
  expect((await snapshot(api, source)).records).toHaveLength(10);
});

describe('hostile documents are refused with BAD_USER_INPUT at their place, and write nothing', () => {
  const refusal = async (document: unknown, extra: Record<string, unknown> = {}) => {
    const source = unique('hostile');
    const result = await api.execute(IMPORT, { input: { source, format: 'CYCLONEDX', document, ...extra } });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await snapshot(api, source)).records).toEqual([]);
    const problems = (result.errors![0].extensions!.problems ?? []) as Array<{ path: string }>;
    return { message: result.errors![0].message, pointers: problems.map((problem) => problem.path) };
  };

  test.each([['a string', 'CycloneDX'], ['an array', [{ bomFormat: 'CycloneDX' }]], ['a number', 42]])('a document that is %s', async (_what, document) => {
    expect((await refusal(document)).pointers).toEqual(['']);
  });

  test('a null document never reaches the importer (document is JSON!)', async () => {
    expect((await refusal(null)).message).toMatch(/document/);
  });

  test('an unknown specVersion, and components that are not a list', async () => {
    expect(await refusal({ bomFormat: 'CycloneDX', specVersion: '9.9', components: [] })).toMatchObject({ pointers: ['/specVersion'], message: expect.stringMatching(/9\.9/) });
    expect((await refusal({ bomFormat: 'CycloneDX', specVersion: '1.6', components: { name: 'x' } })).pointers).toEqual(['/components']);
  });

  test('components that are not objects, or have no name, or repeat a bom-ref', async () => {
    const document = { bomFormat: 'CycloneDX', specVersion: '1.6', components: ['model', { type: 'machine-learning-model', 'bom-ref': 'm' }, { type: 'data', 'bom-ref': 'd', name: 'D' }, { type: 'data', 'bom-ref': 'd', name: 'D again' }] };
    expect((await refusal(document)).pointers).toEqual(['/components/0', '/components/3/bom-ref', '/components/1/name']);
  });

  test('huge strings, values the graph refuses, and bom-refs that need escaping in a pointer', async () => {
    const document = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'machine-learning-model', 'bom-ref': 'a/b~c', name: 'Huge', description: 'x'.repeat(25_000) },
        { type: 'machine-learning-model', 'bom-ref': 'r'.repeat(600), name: 'Long key' },
        { type: 'machine-learning-model', 'bom-ref': 'm2', name: 'Bad tier', properties: [{ name: 'lineage-graph:riskTier', value: '"SCARY"' }, { name: 'lineage-graph:task', value: 'not json' }] },
      ],
    };
    const { pointers } = await refusal(document);
    expect(pointers).toEqual(expect.arrayContaining(['/components/0/description', '/components/1/bom-ref', '/components/2/properties/0/value', '/components/2/properties/1/value']));
  });

  test('component types named like Object.prototype members are unknown types, not a crash', async () => {
    const source = unique('hostile');
    const document = { bomFormat: 'CycloneDX', specVersion: '1.6', components: ['constructor', 'toString', '__proto__'].map((type, index) => ({ type, 'bom-ref': `c${index}`, name: type })) };
    const result = await api.data(IMPORT, { input: { source, document } });
    expect(result.importDocument.sync.assets.created).toBe(0);
    expect(result.importDocument.warnings.map((warning: { pointer: string }) => warning.pointer)).toEqual(expect.arrayContaining(['/components/0', '/components/1', '/components/2']));
  });

  test('a dry run lists the same problems in its report instead of failing', async () => {
    const source = unique('hostile');
    const document = { bomFormat: 'CycloneDX', specVersion: '1.7', components: [{ type: 'data', 'bom-ref': 'd', name: 'D', description: 'bad\u0001text' }] };
    const result = await api.data(IMPORT, { input: { source, document, dryRun: true } });
    expect(result.importDocument.sync.ok).toBe(false);
    expect(result.importDocument.problems).toEqual([{ pointer: '/components/0/description', path: 'assets.datasets[0].description', message: 'must not contain control characters' }]);
  });

  test('a document larger than MAX_IMPORT_ITEMS', async () => {
    const small = await createTestApi({ MAX_IMPORT_ITEMS: '3' });
    try {
      const components = Array.from({ length: 4 }, (_, index) => ({ type: 'data', 'bom-ref': `d${index}`, name: `D${index}` }));
      const result = await small.execute(IMPORT, { input: { source: unique('big'), document: { bomFormat: 'CycloneDX', specVersion: '1.6', components } } });
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/MAX_IMPORT_ITEMS/) });
    } finally {
      await small.close();
    }
  });
});
