import fs from 'node:fs';
import path from 'node:path';
import { buildAiBom } from '../../src/formats/cyclonedx/exporter';
import { cycloneDx } from '../../src/formats/cyclonedx/importer';
import { documentPlace } from '../../src/formats/importService';
import { pointer, pointerTokens } from '../../src/formats/pointer';

/** The CycloneDX converter and the AI-BOM builder, without a database. */
const bom = () => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/cyclonedx/ml-bom.json'), 'utf8'));

test('pointers escape ~ and / in their tokens and read back the same', () => {
  expect(pointer('/components/3', 'a/b~c')).toBe('/components/3/a~1b~0c');
  expect(pointerTokens(pointer('', 'a/b~c', 0))).toEqual(['a/b~c', '0']);
  expect(pointerTokens('components')).toBeNull();
});

test('every element is mapped or skipped, and each sync path leads back to its place in the document', () => {
  const conversion = cycloneDx.convert(bom());
  expect(conversion.considered).toBe(conversion.mapped + conversion.warnings.filter((warning) => warning.skipped).length);
  const claims = conversion.assets.aiModels!.findIndex((model) => model.externalId === 'model-claims');
  expect(documentPlace(`assets.aiModels[${claims}].learningApproach`, conversion)).toBe('/components/1/modelCard/modelParameters/approach/type');
  expect(documentPlace(`assets.aiModels[${claims}].riskTier`, conversion)).toBe('/components/1/properties/0/value');
  const derived = conversion.relationships.findIndex((rel) => rel.type === 'DERIVED_FROM');
  expect(documentPlace(`relationships[${derived}].to`, conversion)).toBe('/dependencies/1/dependsOn/0');
  expect(documentPlace('source', conversion)).toBe('source');
});

test('the builder writes what the converter reads: converting an export gives the same payload', () => {
  const conversion = cycloneDx.convert(bom());
  // Records as the database would hold them, with ids, and the relationships between them by id.
  const records = Object.entries(conversion.assets).flatMap(([batch, items]) =>
    (items ?? []).map((item: Record<string, unknown>) => ({ ...item, id: `${batch}:${item.externalId}`, key: '', type: ({ aiModels: 'AIModel', datasets: 'Dataset', vendors: 'Vendor', agents: 'Agent', owners: 'Owner' } as Record<string, string>)[batch], source: 's', version: 1, createdAt: '', updatedAt: '' })),
  ) as never[];
  const idOf = (ref: { type?: string | null; externalId?: string | null }) => (records as Array<{ id: string; type: string; externalId: string }>).find((record) => record.type === ref.type && record.externalId === ref.externalId)!.id;
  const relationships = conversion.relationships.map((rel) => ({ fromId: idOf(rel.from), type: rel.type, toId: idOf(rel.to), properties: rel.properties ?? {} }));
  const again = cycloneDx.convert(JSON.parse(JSON.stringify(buildAiBom(records, relationships))));
  const canonical = (item: object) => JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
  const sorted = (items: object[]) => items.map(canonical).sort();
  for (const batch of Object.keys(conversion.assets) as Array<keyof typeof conversion.assets>) {
    expect(sorted(again.assets[batch] ?? [])).toEqual(sorted(conversion.assets[batch] ?? []));
  }
  expect(sorted(again.relationships)).toEqual(sorted(conversion.relationships));
  expect(again.warnings).toEqual([]);
});
