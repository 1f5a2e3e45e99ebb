import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { createTestFramework, idOf, SATISFY } from '../compliance/support';
import { oscalValidator } from './support';

const SCHEMA = path.join(SHARED_FIXTURES, 'oscal/schema/oscal_assessment-results_schema.json');

let api: TestApi;
let base: string;
let fw: string;
let modelId: string;
beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
  fw = await createTestFramework(api, [
    { identifier: 'Ch. 1', kind: 'CHAPTER', title: 'Governance' },
    { identifier: 'Art. 1', kind: 'ARTICLE', parent: 'Ch. 1', title: 'Record keeping' },
    { identifier: 'Art. 2', kind: 'ARTICLE', parent: 'Ch. 1' },
    { identifier: 'Art. 3', kind: 'ARTICLE', parent: 'Ch. 1' },
    { identifier: 'Art. 4', kind: 'ARTICLE', parent: 'Ch. 1' },
  ]);
  const source = unique('oscal');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        aiModels: [{ externalId: 'model', name: 'Credit model', riskTier: 'HIGH' }],
        controls: [{ externalId: 'ctl', name: 'Central logging', implementationStatus: 'IMPLEMENTED' }],
        evidence: [{ externalId: 'ev', name: 'Log export', uri: 'https://evidence.example/logs', expiresAt: '2999-01-01T00:00:00Z' }],
      },
      relationships: [{ type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'ev' }, to: { type: 'Control', externalId: 'ctl' } }],
    },
  });
  const controlId = await idOf(api, source, 'Control', 'ctl');
  modelId = await idOf(api, source, 'AIModel', 'model');
  await api.data(SATISFY, { controlId, r: { framework: fw, identifier: 'Art. 1' }, coverage: 'FULL', why: 'Every decision is logged.' });
  await api.data(SATISFY, { controlId, r: { framework: fw, identifier: 'Art. 2' }, coverage: 'PARTIAL', why: 'Some of it.' });
  await api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "Not ours") { id } }', { r: { framework: fw, identifier: 'Art. 4' } });
});
afterAll(() => api.close());

const exportOscal = async (query: string) => {
  const response = await fetch(`${base}/exports/oscal?${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, any>;
};
const expectValid = (validate: ValidateFunction, document: unknown) => {
  if (!validate(document)) throw new Error(`Not valid OSCAL assessment results:\n${JSON.stringify(validate.errors, null, 2)}`);
};
/** The document without its times, which are all that changes from one export to the next. */
const timeless = (document: unknown) => JSON.stringify(document).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');

testWithSharedFile(SCHEMA, "GET /exports/oscal is a framework's coverage as valid OSCAL assessment results, the same as coverage { oscal }, and again the same but for its times", async () => {
  const validate = oscalValidator(SCHEMA);
  const document = await exportOscal(`framework=${fw}`);
  expectValid(validate, document);
  const { coverage } = await api.data('query($f: String!) { coverage(framework: $f) { items { requirement { identifier } status } oscal } }', { f: fw });
  const [result] = document['assessment-results'].results;
  const statusOf = (finding: any) => finding.props.find((prop: any) => prop.name === 'coverage-status').value;
  expect(result.findings.map((finding: any) => [finding.title.split(':')[0], statusOf(finding), finding.target.status.state])).toEqual([
    ['Art. 1', 'SATISFIED', 'satisfied'],
    ['Art. 2', 'PARTIAL', 'not-satisfied'],
    ['Art. 3', 'GAP', 'not-satisfied'],
    ['Art. 4', 'NOT_APPLICABLE', 'satisfied'],
  ]);
  expect(coverage.items.map((item: any) => [item.requirement.identifier, item.status])).toEqual(result.findings.map((finding: any) => [finding.title.split(':')[0], statusOf(finding)]));
  expect(result.observations.map((observation: any) => observation['relevant-evidence'][0].href)).toEqual(['https://evidence.example/logs', 'https://evidence.example/logs']);
  expect(timeless(coverage.oscal)).toBe(timeless(document));
  expect(timeless(await exportOscal(`framework=${fw}`))).toBe(timeless(document));
});

testWithSharedFile(SCHEMA, "scoped by risk tier or by an asset (whose tier then applies), as the coverage query is", async () => {
  const validate = oscalValidator(SCHEMA);
  const tiered = await exportOscal('framework=eu-ai-act&riskTier=HIGH');
  expectValid(validate, tiered);
  expect(tiered['assessment-results'].results[0].findings).toHaveLength(20);
  const asset = await exportOscal(`framework=eu-ai-act&assetId=${modelId}`);
  expectValid(validate, asset);
  expect(asset['assessment-results'].metadata.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'asset-id', value: modelId }), expect.objectContaining({ name: 'risk-tier', value: 'HIGH' })]));
  expect(asset['assessment-results'].uuid).not.toBe(tiered['assessment-results'].uuid);
});

testWithSharedFile(SCHEMA, 'every catalogue the API ships exports as valid OSCAL, each requirement under its own control id', async () => {
  const validate = oscalValidator(SCHEMA);
  const { frameworks } = await api.data<{ frameworks: Array<{ key: string }> }>('{ frameworks { key } }');
  expect(frameworks.length).toBeGreaterThan(1);
  for (const { key } of frameworks) {
    const document = await exportOscal(`framework=${encodeURIComponent(key)}`);
    expectValid(validate, document);
    const ids = document['assessment-results'].results[0]['reviewed-controls']['control-selections'][0]['include-controls']?.map((control: any) => control['control-id']) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
  }
});

test('what can never work is BAD_USER_INPUT before any work; an unknown framework is NOT_FOUND', async () => {
  for (const bad of ['', 'framework=eu-ai-act&riskTier=HUGE', 'framework=nist-ai-rmf&riskTier=HIGH']) {
    const response = await fetch(`${base}/exports/oscal?${bad}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
  }
  const missing = await fetch(`${base}/exports/oscal?framework=no-such-framework`);
  expect(missing.status).toBe(404);
});
