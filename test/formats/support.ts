import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { TestApi } from '../support/api';

export const ML_BOM_FILE = path.resolve(__dirname, '../fixtures/cyclonedx/ml-bom.json');
/** The project's own ML-BOM: two models, three data components, an inline dataset, an agent, a library. */
export const mlBom = (): Record<string, any> => JSON.parse(fs.readFileSync(ML_BOM_FILE, 'utf8'));

export const IMPORT = `mutation Import($input: ImportDocumentInput!) {
  importDocument(input: $input) {
    format source considered mapped
    sync { ok dryRun mode assets { created updated unchanged deleted } relationships { created updated unchanged deleted } errors { path message } }
    warnings { pointer message skipped }
    problems { pointer path message }
  }
}`;

/** A source's records and relationships as plain comparable values: fields without system ones, ends by key. */
export async function snapshot(api: TestApi, source: string) {
  const { entities } = await api.data<{ entities: { nodes: Array<Record<string, any>> } }>(
    `query($s: String) { entities(filter: { source: $s }, first: 500) { nodes { __typename id externalId name description tags
      ... on AIModel { modelVersion task riskTier purl hashes licenses architectureFamily modelArchitecture learningApproach performanceMetrics intendedUsers useCases technicalLimitations performanceTradeoffs ethicalConsiderations fairnessAssessments safetyRiskAssessment autonomous domains energyConsumption }
      ... on Dataset { classification containsPersonalData location kind recordCount dataTypes }
      ... on Agent { autonomyLevel humanOversight allowedTools }
      ... on Owner { ownerKind: kind email }
      relationships(direction: OUTGOING) { type to { __typename externalId } properties } } } }`,
    { s: source },
  );
  const records = entities.nodes
    .map(({ id: _id, relationships: _relationships, ...fields }) => fields)
    .sort((a, b) => `${a.__typename}|${a.externalId}`.localeCompare(`${b.__typename}|${b.externalId}`));
  const relationships = entities.nodes
    .flatMap((node) => node.relationships.map((rel: any) => `${node.__typename}:${node.externalId} -${rel.type}${JSON.stringify(rel.properties)}-> ${rel.to.__typename}:${rel.to.externalId}`))
    .sort();
  return { records, relationships };
}

/** Non-ASCII characters percent-encoded: an IRI so written is a URI, as RFC 3987 maps one to the other. */
const asUri = (value: string) => value.replace(/[^\x00-\x7F]+/g, (chars) => encodeURIComponent(chars));
/** ajv-formats gives a format as a RegExp or a function. */
const check = (format: unknown) => (value: string) => (format instanceof RegExp ? format.test(value) : (format as (value: string) => boolean)(value));

/**
 * The official CycloneDX 1.6 schema (draft-07) with the two it refers to by relative name. ajv-formats
 * has no `iri-reference` or `idn-email`; each is checked as its ASCII form (uri-reference, email).
 */
export function cycloneDxValidator(schemas: string): ValidateFunction {
  const load = (name: string) => JSON.parse(fs.readFileSync(path.join(schemas, name), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('iri-reference', (value: string) => check(fullFormats['uri-reference'])(asUri(value)));
  ajv.addFormat('idn-email', (value: string) => check(fullFormats.email)(asUri(value)));
  ajv.addSchema(load('spdx.schema.json'));
  ajv.addSchema(load('jsf-0.82.schema.json'));
  return ajv.compile(load('bom-1.6.schema.json'));
}

/**
 * NIST's OSCAL assessment-results JSON schema (draft-07; 1.0.6 is the newest NIST keeps as a JSON
 * schema, and its 1.1.2 examples validate against it). Its patterns use \p{…} classes, which only
 * Unicode-aware regular expressions read.
 */
export function oscalValidator(schemaFile: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}
