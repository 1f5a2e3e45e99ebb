import type { DataClassification, Rating } from '../../generated/graphql';
import type { EntityType, RelationshipType } from '../../estate/model';

/** The JSON-LD context an SPDX 3.0.x document names (spdx-context.jsonld of 3.0.0, 3.0.1, ...). */
export const SPDX3_CONTEXT = /^https:\/\/spdx\.org\/rdf\/3\.0\.\d+\/spdx-context\.jsonld$/;

export const MODEL_TYPE = 'ai_AIPackage';
export const DATASET_TYPE = 'dataset_DatasetPackage';
/** The element types that become records; suppliers become vendors only through them. */
export const RECORD_TYPES: ReadonlyMap<string, EntityType> = new Map([
  [MODEL_TYPE, 'AIModel'],
  [DATASET_TYPE, 'Dataset'],
]);
export const AGENT_TYPES: ReadonlySet<string> = new Set(['Agent', 'Organization', 'Person', 'SoftwareAgent']);
export const RELATIONSHIP_TYPES: ReadonlySet<string> = new Set(['Relationship', 'LifecycleScopedRelationship']);

/** Every element's own bookkeeping: its class, its identifier and who made it, read without a warning. */
export const ELEMENT_KEYS = ['type', 'spdxId', '@id', 'creationInfo'] as const;

export const LICENCE_RELATIONSHIPS: ReadonlySet<string> = new Set(['hasDeclaredLicense', 'hasConcludedLicense']);
/** Relationships that make their `to` elements parts of the `from` one: a file's relationships are its package's. */
export const MEMBERSHIP_RELATIONSHIPS: ReadonlySet<string> = new Set(['contains', 'hasDataFile']);
/** SPDX's own identifiers of its listed licences: the licence id is the last segment. */
export const LISTED_LICENCE = /^https?:\/\/spdx\.org\/licenses\/([A-Za-z0-9.+-]+)$/;

interface Mapped {
  type: RelationshipType;
  /** The graph's relationship points the other way (`ancestorOf`: the descendant is BASED_ON its ancestor). */
  reversed?: true;
}
type Ends = `${EntityType}>${EntityType}`;

/**
 * SPDX relationship types the graph holds, by the records their ends map to (`from>to` as SPDX
 * writes them). A dataset that contains, has as a data file, or depends on another is derived
 * from it, so that a poisoned part reaches what it is part of; a model that depends on a dataset
 * is left out, since SPDX says trainedOn or testedOn where it means either.
 */
export const RELATIONSHIPS: ReadonlyMap<string, Partial<Record<Ends, Mapped>>> = new Map<string, Partial<Record<Ends, Mapped>>>([
  ['trainedOn', { 'AIModel>Dataset': { type: 'TRAINED_ON' } }],
  ['testedOn', { 'AIModel>Dataset': { type: 'EVALUATED_ON' } }],
  ['dependsOn', { 'AIModel>AIModel': { type: 'BASED_ON' }, 'Dataset>Dataset': { type: 'DERIVED_FROM' } }],
  ['descendantOf', { 'AIModel>AIModel': { type: 'BASED_ON' }, 'Dataset>Dataset': { type: 'DERIVED_FROM' } }],
  ['ancestorOf', { 'AIModel>AIModel': { type: 'BASED_ON', reversed: true }, 'Dataset>Dataset': { type: 'DERIVED_FROM', reversed: true } }],
  ['generates', { 'Dataset>Dataset': { type: 'DERIVED_FROM', reversed: true } }],
  ['hasDataFile', { 'Dataset>Dataset': { type: 'DERIVED_FROM' } }],
  ['contains', { 'Dataset>Dataset': { type: 'DERIVED_FROM' } }],
]);

/** SPDX's safety risk levels on the graph's scale; `serious`, its highest, is CRITICAL. */
export const SAFETY_RISK: ReadonlyMap<string, Rating> = new Map([
  ['low', 'LOW'],
  ['medium', 'MEDIUM'],
  ['high', 'HIGH'],
  ['serious', 'CRITICAL'],
]);

/** SPDX's presence values; `noAssertion` asserts nothing and leaves the field unset. */
export const PRESENCE: ReadonlyMap<string, boolean | null> = new Map([
  ['yes', true],
  ['no', false],
  ['noAssertion', null],
]);

/**
 * Traffic Light Protocol levels (dataset_confidentialityLevel) as classifications: clear may be
 * published, green stays within a community, amber within the organisation and those it works
 * with, red with named recipients only.
 */
export const CONFIDENTIALITY: ReadonlyMap<string, DataClassification> = new Map([
  ['clear', 'PUBLIC'],
  ['green', 'INTERNAL'],
  ['amber', 'CONFIDENTIAL'],
  ['red', 'RESTRICTED'],
]);

/** The kinds of data SPDX names (dataset_datasetType), kept in its words; noAssertion names none. */
export const DATA_TYPES: ReadonlySet<string> = new Set(['audio', 'categorical', 'graph', 'image', 'numeric', 'sensor', 'structured', 'syntactic', 'text', 'timeseries', 'timestamp', 'video', 'other']);

/** ai_typeOfModel entries that name how a model learned; the other entries have no field. */
export const APPROACH_WORDS = /^(supervised|unsupervised|semi-supervised|self-supervised|reinforcement[ -]learning)$/i;

/** The energy a model takes, by the phase each ai_EnergyConsumption list is about. */
export const ENERGY_PHASES = { ai_trainingEnergyConsumption: 'training', ai_finetuningEnergyConsumption: 'finetuning', ai_inferenceEnergyConsumption: 'inference' } as const;
export const ENERGY_UNITS: ReadonlySet<string> = new Set(['kilowattHour', 'megajoule', 'other']);

/** SPDX hash algorithms under the names AIModel.hashes uses (CycloneDX's), so that an AI-BOM export can write them. */
export const HASH_NAMES: ReadonlyMap<string, string> = new Map([
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['sha256', 'SHA-256'],
  ['sha384', 'SHA-384'],
  ['sha512', 'SHA-512'],
  ['sha3_256', 'SHA3-256'],
  ['sha3_384', 'SHA3-384'],
  ['sha3_512', 'SHA3-512'],
  ['blake2b256', 'BLAKE2b-256'],
  ['blake2b384', 'BLAKE2b-384'],
  ['blake2b512', 'BLAKE2b-512'],
  ['blake3', 'BLAKE3'],
]);

/** Why an element that maps to nothing is left out, by its type. */
export const LEFT_OUT: ReadonlyMap<string, string> = new Map([
  ['CreationInfo', 'who wrote the document and when has no place in the graph'],
  ['SpdxDocument', 'the document itself has no place in the graph; its elements are read from @graph'],
  ['software_Sbom', 'a BOM groups elements; they are read from @graph'],
  ['Bom', 'a BOM groups elements; they are read from @graph'],
  ['Bundle', 'a bundle groups elements; they are read from @graph'],
  ['software_Package', 'a software_Package that is not an ai_AIPackage or a dataset_DatasetPackage has no place in the graph (it holds models, datasets and their suppliers)'],
  ['software_File', "a file has no place in the graph; its relationships count for the model or dataset that contains it"],
  ['software_Snippet', 'a snippet has no place in the graph'],
]);
