import fs from 'node:fs';
import path from 'node:path';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP } from '../support/estateFixture';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { IMPORT, snapshot } from './support';

/** The project's own SPDX 3.0.1 AI BOM: two models, two datasets, two suppliers, files, a library, a licence. */
const aiBom = (): Record<string, any> => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/spdx3/ai-bom.spdx3.json'), 'utf8'));
const ID = 'https://example.org/northwind/';
const CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const importSpdx = (source: string, document: unknown, extra: Record<string, unknown> = {}) => api.data(IMPORT, { input: { source, document, ...extra } });
const short = (value: string) => value.replaceAll(ID, '');

test('an SPDX 3 AI BOM becomes models, datasets and vendors linked as its relationships say; the same document again changes nothing', async () => {
  const source = unique('spdx');
  const { importDocument: report } = await importSpdx(source, aiBom());
  expect(report).toMatchObject({ format: 'SPDX3', source, considered: 25, mapped: 14, problems: [] });
  expect(report.sync).toMatchObject({ ok: true, assets: { created: 6 }, relationships: { created: 8 } });
  expect(report.warnings.filter((warning: any) => warning.skipped)).toHaveLength(11);

  const { records, relationships } = await snapshot(api, source);
  expect(records.find((record) => record.externalId === `${ID}model-claims`)).toMatchObject({
    __typename: 'AIModel',
    name: 'claims-triage',
    safetyRiskAssessment: 'HIGH',
    autonomous: false,
    domains: ['insurance claims', 'text classification'],
    technicalLimitations: ['Not validated for claims above EUR 50,000'],
    energyConsumption: ['{"phase":"training","quantity":"120.5","unit":"kilowattHour"}', '{"phase":"inference","quantity":"0.002","unit":"megajoule"}'],
  });
  expect(records.find((record) => record.externalId === `${ID}ds-claims`)).toMatchObject({ containsPersonalData: true, classification: 'CONFIDENTIAL', dataTypes: ['text', 'structured'] });
  expect(relationships.map(short)).toEqual(
    expect.arrayContaining([
      'AIModel:model-claims -TRAINED_ON{}-> Dataset:ds-claims',
      'AIModel:model-claims -EVALUATED_ON{}-> Dataset:ds-holdout',
      'AIModel:model-claims -BASED_ON{}-> AIModel:model-base',
      'Dataset:ds-holdout -DERIVED_FROM{}-> Dataset:ds-claims',
      'AIModel:model-base -EVALUATED_ON{"lifecycleScopes":["test"]}-> Dataset:ds-holdout',
      'Dataset:ds-claims -PROVIDED_BY{"roles":["supplier"]}-> Vendor:org-data-office',
    ]),
  );

  const again = await importSpdx(source, aiBom());
  expect(again.importDocument.sync.assets).toEqual({ created: 0, updated: 0, unchanged: 6, deleted: 0 });
  expect(again.importDocument.sync.relationships).toEqual({ created: 0, updated: 0, unchanged: 8, deleted: 0 });
});

test('a dry run reports what the import would do and writes nothing; REPLACE then removes what the document no longer holds', async () => {
  const source = unique('spdx');
  const dry = await importSpdx(source, aiBom(), { format: 'SPDX3', dryRun: true });
  expect(dry.importDocument.sync).toMatchObject({ ok: true, dryRun: true, assets: { created: 6 }, relationships: { created: 8 } });
  expect((await snapshot(api, source)).records).toEqual([]);

  await importSpdx(source, aiBom());
  const smaller = aiBom();
  smaller['@graph'] = smaller['@graph'].filter((element: any) => element.spdxId !== `${ID}ds-holdout`);
  const replaced = await importSpdx(source, smaller, { mode: 'REPLACE' });
  expect(replaced.importDocument.sync.assets).toEqual({ created: 0, updated: 0, unchanged: 5, deleted: 1 });
  expect(replaced.importDocument.sync.relationships).toMatchObject({ deleted: 3 });
  // What named the removed dataset is warned about at its place, not silently dropped.
  expect(replaced.importDocument.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/no element of this document has the spdxId ".*ds-holdout"/) })]));
  expect((await api.data(KEY_LOOKUP, { type: 'Dataset', source, externalId: `${ID}ds-holdout` })).entityByKey).toBeNull();
});

describe('hostile SPDX documents are refused with BAD_USER_INPUT at their place, and write nothing', () => {
  const refusal = async (document: unknown) => {
    const source = unique('hostile');
    const result = await api.execute(IMPORT, { input: { source, format: 'SPDX3', document } });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await snapshot(api, source)).records).toEqual([]);
    return ((result.errors![0].extensions!.problems ?? []) as Array<{ path: string }>).map((problem) => problem.path);
  };
  const graph = (...elements: unknown[]) => ({ '@context': CONTEXT, '@graph': elements });

  test('not an SPDX 3 document, or a @graph that is not a list', async () => {
    expect(await refusal([{ '@context': CONTEXT }])).toEqual(['']);
    expect(await refusal({ '@context': 'https://spdx.org/rdf/2.3/spdx-context.jsonld', '@graph': [] })).toEqual(['/@context']);
    expect(await refusal({ '@context': CONTEXT, '@graph': 'ai_AIPackage' })).toEqual(['/@graph']);
  });

  test('elements without a type, an spdxId used twice, huge strings and keys', async () => {
    const model = { type: 'ai_AIPackage', spdxId: `${ID}a/b~c`, creationInfo: '_:c', name: 'Huge', description: 'x'.repeat(25_000) };
    const pointers = await refusal(
      graph(
        { name: 'untyped' },
        model,
        { type: 'ai_AIPackage', spdxId: `${ID}${'r'.repeat(600)}`, creationInfo: '_:c', name: 'Long key' },
        { type: 'dataset_DatasetPackage', spdxId: `${ID}a/b~c`, creationInfo: '_:c', name: 'Same id', dataset_datasetType: ['text'] },
      ),
    );
    expect(pointers).toEqual(expect.arrayContaining(['/@graph/0/type', '/@graph/3/spdxId', '/@graph/1/description', '/@graph/2/spdxId']));
  });

  test('a dry run lists the same problems in its report instead of failing', async () => {
    const source = unique('hostile');
    const document = graph({ type: 'dataset_DatasetPackage', spdxId: `${ID}d`, creationInfo: '_:c', name: 'D', description: 'bad\u0001text', dataset_datasetType: ['text'] });
    const result = await api.data(IMPORT, { input: { source, document, dryRun: true } });
    expect(result.importDocument.sync.ok).toBe(false);
    expect(result.importDocument.problems).toEqual([{ pointer: '/@graph/0/description', path: 'assets.datasets[0].description', message: 'must not contain control characters' }]);
  });
});

for (const name of ['ai-simplehtr.spdx3.json', 'ai-sentiment-demo.spdx3.json', 'dataset-co2-emissions.spdx3.json']) {
  const file = path.join(SHARED_FIXTURES, 'spdx3', name);
  testWithSharedFile(file, `${name} imports, with every element of @graph mapped or warned about, and again changes nothing`, async () => {
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    const source = unique('spdx-real');
    const { importDocument: report } = await importSpdx(source, document);
    expect(report).toMatchObject({ format: 'SPDX3', problems: [], sync: { ok: true } });
    const skipped = report.warnings.filter((warning: any) => warning.skipped).map((warning: any) => warning.pointer);
    expect(report.considered).toBe(document['@graph'].length);
    expect(report.considered).toBe(report.mapped + skipped.length);
    // Each element has its own verdict: none is skipped twice, and every package became a record.
    expect(new Set(skipped).size).toBe(skipped.length);
    const packages = document['@graph'].filter((element: any) => ['ai_AIPackage', 'dataset_DatasetPackage'].includes(element.type));
    expect(report.sync.assets.created).toBeGreaterThanOrEqual(packages.length);
    const again = await importSpdx(source, document);
    expect(again.importDocument.sync.assets.created + again.importDocument.sync.assets.updated).toBe(0);
    expect(again.importDocument.sync.relationships.created + again.importDocument.sync.relationships.updated).toBe(0);
  });
}
