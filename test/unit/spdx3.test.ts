import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { GraphQLError } from 'graphql';
import { detectFormat, documentPlace } from '../../src/formats/importService';
import type { Conversion } from '../../src/formats/model';
import { spdx3 } from '../../src/formats/spdx3/converter';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';

/** The SPDX 3 converter, without a database. */
const AI_BOM_FILE = path.resolve(__dirname, '../fixtures/spdx3/ai-bom.spdx3.json');
const aiBom = (): Record<string, any> => JSON.parse(fs.readFileSync(AI_BOM_FILE, 'utf8'));
const SCHEMA = path.join(SHARED_FIXTURES, 'spdx3/schema/spdx-json-schema-3.0.1.json');
const ID = 'https://example.org/northwind/';
const CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';

const skipped = (conversion: Conversion) => conversion.warnings.filter((warning) => warning.skipped).map((warning) => warning.pointer);
const edges = (conversion: Conversion) => conversion.relationships.map((rel) => `${String(rel.from.externalId).replace(ID, '')} -${rel.type}${rel.properties ? JSON.stringify(rel.properties) : ''}-> ${String(rel.to.externalId).replace(ID, '')}`).sort();
const graph = (...elements: unknown[]) => ({ '@context': CONTEXT, '@graph': elements });
const element = (type: string, name: string, extra: Record<string, unknown> = {}) => ({ type, spdxId: `${ID}${name}`, creationInfo: '_:c', name, ...extra });
const relationship = (relationshipType: string, from: string, to: string[], extra: Record<string, unknown> = {}) =>
  ({ type: 'Relationship', spdxId: `${ID}rel-${from}-${relationshipType}`, creationInfo: '_:c', relationshipType, from: `${ID}${from}`, to: to.map((name) => `${ID}${name}`), ...extra });
const refusal = (document: unknown) => {
  try {
    spdx3.convert(document);
  } catch (error) {
    if (error instanceof GraphQLError) return (error.extensions.problems as Array<{ path: string }>).map((problem) => problem.path);
    throw error;
  }
  throw new Error('the document was not refused');
};

testWithSharedFile(SCHEMA, "the project's own fixture is valid SPDX 3.0.1, as the official schema says", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  expect(validate(aiBom())).toBe(true);
  // The validator does refuse what the schema refuses.
  expect(validate(graph({ type: 'ai_AIPackage', name: 'no spdxId nor creationInfo' }))).toBe(false);
});

test('AI and dataset packages become models and datasets with their SPDX fields, suppliers vendors, and every element is mapped or skipped', () => {
  const conversion = spdx3.convert(aiBom());
  expect(conversion).toMatchObject({ considered: 25, mapped: 14, problems: [] });
  expect(conversion.considered).toBe(conversion.mapped + skipped(conversion).length);
  expect(skipped(conversion)).toEqual(['/@graph/0', '/@graph/1', '/@graph/4', '/@graph/5', '/@graph/10', '/@graph/11', '/@graph/12', '/@graph/14', '/@graph/15', '/@graph/22', '/@graph/24']);
  const [base, claims] = conversion.assets.aiModels!;
  expect(base).toMatchObject({ externalId: `${ID}model-base`, modelVersion: '2.1', purl: 'pkg:huggingface/acme/acme-base-llm@2.1', licenses: ['Apache-2.0'], hashes: [expect.stringMatching(/^SHA-256:9f86/)], learningApproach: 'SELF_SUPERVISED' });
  expect(claims).toEqual({
    externalId: `${ID}model-claims`,
    name: 'claims-triage',
    description: 'Routes insurance claims to a handling queue',
    modelVersion: '1.0.3',
    safetyRiskAssessment: 'HIGH',
    autonomous: false,
    domains: ['insurance claims', 'text classification'],
    technicalLimitations: ['Not validated for claims above EUR 50,000'],
    energyConsumption: ['{"phase":"training","quantity":"120.5","unit":"kilowattHour"}', '{"phase":"inference","quantity":"0.002","unit":"megajoule"}'],
    performanceMetrics: ['{"type":"f1","value":"0.91"}'],
    learningApproach: 'SUPERVISED',
  });
  expect(conversion.assets.datasets).toEqual([
    expect.objectContaining({ externalId: `${ID}ds-claims`, location: 's3://northwind-data/claims/2025/', containsPersonalData: true, classification: 'CONFIDENTIAL', dataTypes: ['text', 'structured'] }),
    { externalId: `${ID}ds-holdout`, name: 'Claims holdout 2025Q4', classification: 'RESTRICTED', dataTypes: ['text'] },
  ]);
  expect(conversion.assets.vendors!.map((vendor) => vendor.name)).toEqual(['Acme AI', 'Northwind Data Office']);
  expect(edges(conversion)).toEqual([
    'ds-claims -PROVIDED_BY{"roles":["supplier"]}-> org-data-office',
    'ds-holdout -DERIVED_FROM-> ds-claims',
    'model-base -EVALUATED_ON{"lifecycleScopes":["test"]}-> ds-holdout',
    'model-base -PROVIDED_BY{"roles":["supplier"]}-> org-acme',
    'model-claims -BASED_ON-> model-base',
    'model-claims -EVALUATED_ON-> ds-holdout',
    'model-claims -PROVIDED_BY{"roles":["supplier"]}-> org-acme',
    // The model's weights file was trained on a file of the dataset: the packages that contain them.
    'model-claims -TRAINED_ON-> ds-claims',
  ]);
  expect(conversion.warnings.filter((warning) => !warning.skipped).map((warning) => warning.pointer)).toEqual(
    expect.arrayContaining(['/@graph/7/ai_typeOfModel/1', '/@graph/7/ai_hyperparameter', '/@graph/8/dataset_datasetSize', '/@graph/3/externalIdentifier', '/@graph/20/to/0']),
  );
});

test('each sync path leads back to its place in the document', () => {
  const conversion = spdx3.convert(aiBom());
  const claims = conversion.assets.aiModels!.findIndex((model) => model.externalId === `${ID}model-claims`);
  expect(documentPlace(`assets.aiModels[${claims}].technicalLimitations[0]`, conversion)).toBe('/@graph/7/ai_limitation');
  expect(documentPlace(`assets.aiModels[${claims}].externalId`, conversion)).toBe('/@graph/7/spdxId');
  expect(documentPlace(`assets.aiModels[${claims}].description`, conversion)).toBe('/@graph/7/summary');
  expect(documentPlace('assets.vendors[1].name', conversion)).toBe('/@graph/3/name');
  const trained = conversion.relationships.findIndex((rel) => rel.type === 'TRAINED_ON');
  expect(documentPlace(`relationships[${trained}].to`, conversion)).toBe('/@graph/16/to/0');
});

test('the format is detected from the JSON-LD context, and only then', () => {
  expect(detectFormat(aiBom())).toBe('SPDX3');
  expect(detectFormat({ '@context': ['https://spdx.org/rdf/3.0.0/spdx-context.jsonld'], '@graph': [] })).toBe('SPDX3');
  expect(spdx3.detect({ spdxVersion: 'SPDX-2.3' })).toBe(false);
  expect(spdx3.detect({ bomFormat: 'CycloneDX', specVersion: '1.6' })).toBe(false);
  expect(spdx3.detect({ '@context': 'https://spdx.org/rdf/3.1/spdx-context.jsonld' })).toBe(false);
});

test('a document that cannot be read at all is refused at its place', () => {
  expect(refusal('SPDX')).toEqual(['']);
  expect(refusal({ '@context': 'https://example.org/other.jsonld', '@graph': [] })).toEqual(['/@context']);
  expect(refusal({ '@context': CONTEXT, '@graph': { type: 'ai_AIPackage' } })).toEqual(['/@graph']);
});

test('elements that are not objects, have no type, repeat an spdxId with other content, or key a record without an spdxId are problems', () => {
  const model = element('ai_AIPackage', 'm');
  const conversion = spdx3.convert(graph('model', { spdxId: `${ID}untyped` }, model, { ...model, name: 'other' }, { type: 'dataset_DatasetPackage', creationInfo: '_:c', name: 'no id' }));
  expect(conversion.problems.map((problem) => problem.pointer)).toEqual(['/@graph/0', '/@graph/1/type', '/@graph/3/spdxId', '/@graph/4/spdxId']);
});

test('an element repeated exactly is the same element, skipped once as a repeat', () => {
  const depends = relationship('dependsOn', 'a', ['b']);
  const conversion = spdx3.convert(graph(element('ai_AIPackage', 'a'), element('ai_AIPackage', 'b'), depends, depends));
  expect(conversion).toMatchObject({ considered: 4, mapped: 3, problems: [] });
  expect(conversion.warnings).toEqual([{ pointer: '/@graph/3', message: 'repeats /@graph/2, the same element', skipped: true }]);
  expect(edges(conversion)).toEqual(['a -BASED_ON-> b']);
});

test('a document that is one element, without @graph, is read as a graph of one', () => {
  const conversion = spdx3.convert({ '@context': CONTEXT, ...element('ai_AIPackage', 'solo', { ai_domain: ['vision'] }) });
  expect(conversion).toMatchObject({ considered: 1, mapped: 1, warnings: [] });
  expect(conversion.recordOrigins.get('assets.aiModels[0]')?.fields.domains).toBe('/ai_domain');
});

test('relationships: reversed ancestry, lifting through nested parts, ambiguity, cycles and self-references', () => {
  const conversion = spdx3.convert(
    graph(
      element('ai_AIPackage', 'child'),
      element('ai_AIPackage', 'parent'),
      element('dataset_DatasetPackage', 'd1', { dataset_datasetType: ['image'] }),
      element('dataset_DatasetPackage', 'd2', { dataset_datasetType: ['image'] }),
      element('software_File', 'folder'),
      element('software_File', 'file'),
      element('software_File', 'shared'),
      relationship('ancestorOf', 'parent', ['child']),
      relationship('contains', 'd1', ['folder', 'shared']),
      relationship('contains', 'folder', ['file']),
      relationship('hasDataFile', 'd2', ['shared']),
      // A containment cycle between files ends the search instead of looping.
      relationship('contains', 'file', ['folder']),
      relationship('trainedOn', 'child', ['file', 'shared', 'nowhere', 'child']),
    ),
  );
  expect(edges(conversion)).toEqual(['child -BASED_ON-> parent', 'child -TRAINED_ON-> d1']);
  expect(conversion.warnings.filter((warning) => warning.pointer.startsWith('/@graph/12/to/')).map((warning) => warning.message)).toEqual([
    '/@graph/6 (software_File) is part of more than one model or dataset; not kept',
    `no element of this document has the spdxId "${ID}nowhere"; not kept`,
    `both ends are ${ID}child: no relationship from a record to itself; not kept`,
  ]);
  expect(conversion.considered).toBe(conversion.mapped + skipped(conversion).length);
});

test('values outside SPDX vocabularies, malformed lists and names that could shadow object properties are warned about, never trusted', () => {
  const conversion = spdx3.convert(
    graph(
      element('ai_AIPackage', 'm', {
        ai_safetyRiskAssessment: 'catastrophic',
        ai_autonomyType: 'noAssertion',
        ai_domain: 'vision',
        ai_energyConsumption: { ai_trainingEnergyConsumption: [{ ai_energyQuantity: '12 kWh', ai_energyUnit: 'kilowattHour' }] },
        ai_typeOfModel: ['constructor', 'supervised', 'unsupervised'],
        verifiedUsing: [{ type: 'PackageVerificationCode', algorithm: 'sha1', hashValue: 'ab' }],
        suppliedBy: `${ID}rel-m-constructor`,
      }),
      element('dataset_DatasetPackage', 'd', { dataset_datasetType: ['toString', 'image'], dataset_confidentialityLevel: '__proto__' }),
      relationship('constructor', 'm', ['d']),
      { type: '__proto__', spdxId: `${ID}odd`, creationInfo: '_:c' },
    ),
  );
  expect(conversion.problems).toEqual([]);
  expect(conversion.assets.aiModels![0]).toEqual({ externalId: `${ID}m`, name: 'm', learningApproach: 'SUPERVISED', hashes: [], energyConsumption: [] });
  expect(conversion.assets.datasets![0]).toMatchObject({ dataTypes: ['image'] });
  expect(conversion.assets.datasets![0].classification).toBeUndefined();
  expect(conversion.warnings.map((warning) => warning.pointer)).toEqual(
    expect.arrayContaining([
      '/@graph/0/ai_safetyRiskAssessment',
      '/@graph/0/ai_domain',
      '/@graph/0/ai_energyConsumption/ai_trainingEnergyConsumption/0',
      '/@graph/0/ai_typeOfModel/0',
      '/@graph/0/ai_typeOfModel',
      '/@graph/0/verifiedUsing/0',
      '/@graph/0/suppliedBy',
      '/@graph/1/dataset_datasetType/0',
      '/@graph/1/dataset_confidentialityLevel',
      '/@graph/2',
      '/@graph/3',
    ]),
  );
  expect(conversion.considered).toBe(conversion.mapped + skipped(conversion).length);
});

for (const name of ['ai-simplehtr.spdx3.json', 'ai-sentiment-demo.spdx3.json', 'dataset-co2-emissions.spdx3.json']) {
  const file = path.join(SHARED_FIXTURES, 'spdx3', name);
  testWithSharedFile(file, `${name}: every element of @graph is considered, and each is mapped or skipped`, () => {
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    const conversion = spdx3.convert(document);
    expect(conversion.problems).toEqual([]);
    expect(conversion.considered).toBe(document['@graph'].length);
    expect(conversion.considered).toBe(conversion.mapped + skipped(conversion).length);
  });
}
