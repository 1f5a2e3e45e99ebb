import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP } from '../support/estateFixture';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { cycloneDxValidator, IMPORT, mlBom, snapshot } from './support';

const SCHEMAS = path.join(SHARED_FIXTURES, 'cyclonedx/schema');
const BOM_SCHEMA = path.join(SCHEMAS, 'bom-1.6.schema.json');

let api: TestApi;
let base: string;
beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

const expectValid = (validate: ValidateFunction, bom: unknown) => {
  const valid = validate(bom);
  if (!valid) throw new Error(`The AI-BOM is not valid CycloneDX 1.6:\n${JSON.stringify(validate.errors, null, 2)}`);
};

const exportBom = async (query: string) => {
  const response = await fetch(`${base}/exports/aibom?${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.cyclonedx\+json/);
  return (await response.json()) as Record<string, any>;
};

testWithSharedFile(BOM_SCHEMA, "a source's AI-BOM is valid CycloneDX 1.6, and imported into an empty source gives back the same records and relationships", async () => {
  const source = unique('aibom');
  await api.data(IMPORT, { input: { source, document: mlBom() } });
  const bom = await exportBom(`source=${source}`);
  const validate = cycloneDxValidator(SCHEMAS);
  expectValid(validate, bom);
  // The validator does refuse what the schema refuses.
  expect(validate({ ...bom, components: [{ ...bom.components[0], type: 'model' }] })).toBe(false);
  expect(bom.components.map((component: any) => component['bom-ref']).sort()).toEqual(
    ['app-claims-assistant', 'ds-claims', 'ds-holdout', 'ds-web', 'model-base', 'model-claims', 'model-claims#dataset-Synthetic edge cases'].sort(),
  );

  const copy = unique('roundtrip');
  const imported = await api.data(IMPORT, { input: { source: copy, document: bom } });
  expect(imported.importDocument.warnings).toEqual([]);
  expect(imported.importDocument).toMatchObject({ considered: 7, mapped: 7, problems: [] });
  expect(await snapshot(api, copy)).toEqual(await snapshot(api, source));
});

testWithSharedFile(BOM_SCHEMA, "one record's AI-BOM holds what it rests on, not what rests on it", async () => {
  const source = unique('aibom');
  await api.data(IMPORT, { input: { source, document: mlBom() } });
  const { entityByKey } = await api.data(KEY_LOOKUP, { type: 'AIModel', source, externalId: 'model-claims' });
  const bom = await exportBom(`root=${entityByKey.id}`);
  expectValid(cycloneDxValidator(SCHEMAS), bom);
  expect(bom.components.map((component: any) => component['bom-ref']).sort()).toEqual(
    ['ds-claims', 'ds-holdout', 'ds-web', 'model-base', 'model-claims', 'model-claims#dataset-Synthetic edge cases'].sort(),
  );
  const claims = bom.components.find((component: any) => component['bom-ref'] === 'model-claims');
  expect(claims).toMatchObject({ publisher: 'Acme AI', modelCard: { modelParameters: { approach: { type: 'supervised' } } } });
  expect(bom.dependencies.find((entry: any) => entry.ref === 'model-claims').dependsOn).toEqual(['ds-claims', 'ds-holdout', 'model-base', 'model-claims#dataset-Synthetic edge cases']);
});

test('an unknown root is NOT_FOUND', async () => {
  const response = await fetch(`${base}/exports/aibom?root=no-such-record`);
  expect(response.status).toBe(404);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
});
