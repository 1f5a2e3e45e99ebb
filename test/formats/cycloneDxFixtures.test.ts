import fs from 'node:fs';
import path from 'node:path';
import { createTestApi, TestApi, unique } from '../support/api';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';
import { IMPORT } from './support';

/** The real CycloneDX files beside the checkout (../shared/fixtures/cyclonedx). */
const FIXTURES = [
  'valid-machine-learning-1.6.json',
  'valid-machine-learning-1.7.json',
  'valid-machine-learning-considerations-env-1.6.json',
  'valid-machine-learning-considerations-env-1.7.json',
  'valid-component-data-1.6.json',
  'valid-service-1.6.json',
  'valid-standard-1.6.json',
  'valid-attestation-1.6.json',
  'saasbom/apigateway-microservices-datastores.json',
];

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

/** Every component and service, nested ones too, by JSON pointer. */
function elements(bom: Record<string, any>): string[] {
  const found: string[] = [];
  const walk = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((node, index) => {
      found.push(`${at}/${index}`);
      walk(node.components, `${at}/${index}/components`);
      walk(node.services, `${at}/${index}/services`);
    });
  };
  if (bom.metadata?.component) found.push('/metadata/component');
  walk(bom.components, '/components');
  walk(bom.services, '/services');
  return found;
}

for (const name of FIXTURES) {
  const file = path.join(SHARED_FIXTURES, 'cyclonedx', name);
  testWithSharedFile(file, `${name} imports, with every component and service mapped or warned about`, async () => {
    const bom = JSON.parse(fs.readFileSync(file, 'utf8'));
    const source = unique('cdx-real');
    const { importDocument: report } = await api.data(IMPORT, { input: { source, document: bom } });
    expect(report.sync.ok).toBe(true);
    expect(report.problems).toEqual([]);
    const skipped = report.warnings.filter((warning: any) => warning.skipped).map((warning: any) => warning.pointer);
    expect(report.considered).toBe(report.mapped + skipped.length);
    // Model-card datasets are elements too: every component and service is among those considered,
    // and those not skipped are no more than the records mapped.
    expect(report.considered).toBeGreaterThanOrEqual(elements(bom).length);
    expect(elements(bom).filter((pointer) => !skipped.includes(pointer)).length).toBeLessThanOrEqual(report.mapped);
    const again = await api.data(IMPORT, { input: { source, document: bom } });
    expect(again.importDocument.sync.assets.created + again.importDocument.sync.assets.updated).toBe(0);
  });
}
