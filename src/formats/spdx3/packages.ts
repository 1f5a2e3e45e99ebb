import type { EntityType } from '../../estate/model';
import { INPUT_LIMITS } from '../../inputLimits';
import { Fields, set } from '../cyclonedx/modelCard';
import { isObject, text, textList, unread } from '../read';
import { APPROACHES } from '../cyclonedx/vocabulary';
import type { PayloadBuilder } from '../payloadBuilder';
import { pointer } from '../pointer';
import type { Element } from './graph';
import { APPROACH_WORDS, CONFIDENTIALITY, DATA_TYPES, ELEMENT_KEYS, ENERGY_PHASES, ENERGY_UNITS, HASH_NAMES, PRESENCE, SAFETY_RISK } from './vocabulary';

/** Licences a model's relationships give it, with where the first one is. */
export interface Licences {
  values: string[];
  pointer: string;
}

const DESCRIPTIONS = ['description', 'summary', 'comment'] as const;
const COMMON_KEYS = [...ELEMENT_KEYS, 'name', ...DESCRIPTIONS, 'suppliedBy'];
const KEYS_READ: Partial<Record<EntityType, readonly string[]>> = {
  AIModel: [
    ...COMMON_KEYS,
    'software_packageVersion',
    'software_packageUrl',
    'verifiedUsing',
    'ai_safetyRiskAssessment',
    'ai_autonomyType',
    'ai_domain',
    'ai_limitation',
    'ai_energyConsumption',
    'ai_metric',
    'ai_typeOfModel',
  ],
  Dataset: [...COMMON_KEYS, 'software_downloadLocation', 'dataset_hasSensitivePersonalInformation', 'dataset_confidentialityLevel', 'dataset_datasetType'],
};

/**
 * The record fields of an ai_AIPackage (AIModel) or a dataset_DatasetPackage (Dataset), with
 * where each came from; every property the graph has no place for is warned about.
 */
export function readPackage({ node, pointer: at, id }: Element, type: EntityType, licences: Licences | undefined, builder: PayloadBuilder): Fields {
  const fields: Fields = { values: {}, pointers: { externalId: pointer(at, 'spdxId') } };
  const where = (key: string) => pointer(at, key);
  const name = text(node.name);
  if (!name) builder.warn(where('name'), 'no name: the record is named by its spdxId');
  set(fields, 'name', name ?? id, where('name'));
  // Summary and comment stand in for a missing description; the record has one.
  const described = DESCRIPTIONS.find((key) => text(node[key]) !== undefined);
  if (described) set(fields, 'description', text(node[described]), where(described));
  for (const key of DESCRIPTIONS) {
    if (key !== described && node[key] !== undefined) builder.warn(where(key), `not kept: the record's description is its ${described}`);
  }
  const vocabulary = <T>(key: string, values: ReadonlyMap<string, T>): T | undefined => {
    const value = node[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && values.has(value)) return values.get(value);
    builder.warn(where(key), `${JSON.stringify(value)} is not one of SPDX's values for ${key} (${[...values.keys()].join(', ')}); not kept`);
    return undefined;
  };

  if (type === 'AIModel') {
    set(fields, 'modelVersion', text(node.software_packageVersion), where('software_packageVersion'));
    set(fields, 'purl', text(node.software_packageUrl), where('software_packageUrl'));
    set(fields, 'hashes', textList(node.verifiedUsing, where('verifiedUsing'), builder, hash, 'not a Hash with an algorithm and a hashValue'), where('verifiedUsing'));
    set(fields, 'licenses', licences?.values, licences?.pointer ?? at);
    set(fields, 'safetyRiskAssessment', vocabulary('ai_safetyRiskAssessment', SAFETY_RISK), where('ai_safetyRiskAssessment'));
    set(fields, 'autonomous', vocabulary('ai_autonomyType', PRESENCE) ?? undefined, where('ai_autonomyType'));
    set(fields, 'domains', textList(node.ai_domain, where('ai_domain'), builder), where('ai_domain'));
    set(fields, 'technicalLimitations', limitation(node.ai_limitation, where('ai_limitation'), builder), where('ai_limitation'));
    set(fields, 'energyConsumption', energy(node.ai_energyConsumption, where('ai_energyConsumption'), builder), where('ai_energyConsumption'));
    set(fields, 'performanceMetrics', textList(node.ai_metric, where('ai_metric'), builder, (entry, item) => metric(entry, item, builder), 'not a DictionaryEntry with a key'), where('ai_metric'));
    set(fields, 'learningApproach', approach(node.ai_typeOfModel, where('ai_typeOfModel'), builder), where('ai_typeOfModel'));
  } else {
    set(fields, 'location', text(node.software_downloadLocation), where('software_downloadLocation'));
    set(fields, 'containsPersonalData', vocabulary('dataset_hasSensitivePersonalInformation', PRESENCE) ?? undefined, where('dataset_hasSensitivePersonalInformation'));
    set(fields, 'classification', vocabulary('dataset_confidentialityLevel', CONFIDENTIALITY), where('dataset_confidentialityLevel'));
    set(fields, 'dataTypes', dataTypes(node.dataset_datasetType, where('dataset_datasetType'), builder), where('dataset_datasetType'));
  }
  unread(node, at, KEYS_READ[type] ?? COMMON_KEYS, builder);
  return fields;
}

function hash(entry: unknown): string | undefined {
  if (!isObject(entry) || entry.type !== 'Hash' || !text(entry.algorithm) || !text(entry.hashValue)) return undefined;
  const algorithm = text(entry.algorithm)!;
  return `${HASH_NAMES.get(algorithm) ?? algorithm}:${text(entry.hashValue)}`;
}

/** A DictionaryEntry as AIModel.performanceMetrics keeps a metric: { type, value }. */
function metric(entry: unknown, at: string, builder: PayloadBuilder): string | undefined {
  if (!isObject(entry) || !text(entry.key)) return undefined;
  unread(entry, at, ['type', 'key', 'value'], builder);
  const value = text(entry.value);
  return JSON.stringify({ type: text(entry.key), ...(value !== undefined ? { value } : {}) });
}

function limitation(value: unknown, at: string, builder: PayloadBuilder): string[] | undefined {
  if (value === undefined) return undefined;
  const limit = text(value);
  if (limit === undefined || limit.length > INPUT_LIMITS.name) {
    builder.warn(at, `not kept: a limitation is kept as a list item, a non-empty string of at most ${INPUT_LIMITS.name} characters`);
    return undefined;
  }
  return [limit];
}

const QUANTITY = /^-?\d+(\.\d*)?$/;

/** Each ai_EnergyConsumptionDescription as { phase, quantity, unit }, in the order SPDX lists the phases. */
function energy(value: unknown, at: string, builder: PayloadBuilder): string[] | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    builder.warn(at, 'must be an ai_EnergyConsumption object; not kept');
    return undefined;
  }
  unread(value, at, ['type', ...Object.keys(ENERGY_PHASES)], builder);
  return Object.entries(ENERGY_PHASES).flatMap(([key, phase]) => {
    const item = (entry: unknown, where: string) => {
      if (!isObject(entry)) return undefined;
      const quantity = typeof entry.ai_energyQuantity === 'number' ? String(entry.ai_energyQuantity) : text(entry.ai_energyQuantity);
      const unit = text(entry.ai_energyUnit);
      if (quantity === undefined || !QUANTITY.test(quantity) || unit === undefined || !ENERGY_UNITS.has(unit)) return undefined;
      unread(entry, where, ['type', 'ai_energyQuantity', 'ai_energyUnit'], builder);
      return JSON.stringify({ phase, quantity, unit });
    };
    return textList(value[key], pointer(at, key), builder, item, `needs a decimal ai_energyQuantity and an ai_energyUnit (${[...ENERGY_UNITS].join(', ')})`) ?? [];
  });
}

/** The learning approach among ai_typeOfModel's entries; the graph has no place for the others. */
function approach(value: unknown, at: string, builder: PayloadBuilder): string | undefined {
  const named = (entry: unknown) => {
    const word = text(entry);
    return word && APPROACH_WORDS.test(word) ? APPROACHES[word.toLowerCase().replace(' ', '-')] : undefined;
  };
  const approaches = textList(value, at, builder, named, 'of ai_typeOfModel the graph keeps a learning approach only');
  if (approaches && approaches.length > 1) builder.warn(at, `not kept: ${approaches.slice(1).join(', ')}; a model has one learning approach`);
  return approaches?.[0];
}

function dataTypes(value: unknown, at: string, builder: PayloadBuilder): string[] | undefined {
  const named = (entry: unknown) => (DATA_TYPES.has(String(entry)) ? String(entry) : undefined);
  return textList(value, at, builder, named, `not a dataset type SPDX names (${[...DATA_TYPES].join(', ')})`);
}
