import type { DataClassification } from '../../generated/graphql';
import type { PayloadBuilder, RecordRef } from '../payloadBuilder';
import { pointer } from '../pointer';
import type { Parties } from './parties';
import { isObject, jsonItem, text, textList, unread } from '../read';
import { APPROACHES, CLASSIFICATION_WORDS, DATASET_USAGE, DatasetUsage, PERSONAL_DATA } from './vocabulary';

/** Record fields read from one part of a component, with where each came from. */
export interface Fields {
  values: Record<string, unknown>;
  pointers: Record<string, string>;
}

export const set = (fields: Fields, name: string, value: unknown, at: string) => {
  if (value === undefined) return;
  fields.values[name] = value;
  fields.pointers[name] = at;
};

export const METRIC_KEYS = ['type', 'value', 'slice'] as const;
export const INTERVAL_KEYS = ['lowerBound', 'upperBound'] as const;
export const ETHICAL_KEYS = ['name', 'mitigationStrategy'] as const;
export const FAIRNESS_KEYS = ['groupAtRisk', 'benefits', 'harms', 'mitigationStrategy'] as const;
/** Considerations kept as lists of texts, by their CycloneDX name, with the AIModel field each fills. */
export const CONSIDERATION_LISTS = { users: 'intendedUsers', useCases: 'useCases', technicalLimitations: 'technicalLimitations', performanceTradeoffs: 'performanceTradeoffs' } as const;

export interface ModelCard extends Fields {
  /** The datasets the card names, inline or by reference, with where each is. */
  datasets: Array<{ entry: unknown; pointer: string }>;
  /** How the model used each dataset its card properties name, by bom-ref. */
  usage: Map<string, DatasetUsage[]>;
}

/** The model card's task, architecture, approach, metrics and considerations, as AIModel fields. */
export function readModelCard(card: unknown, at: string, builder: PayloadBuilder): ModelCard {
  const result: ModelCard = { values: {}, pointers: {}, datasets: [], usage: new Map() };
  if (!isObject(card)) {
    builder.warn(at, 'modelCard must be an object; not kept');
    return result;
  }
  const parameters = card.modelParameters;
  if (isObject(parameters)) {
    const where = pointer(at, 'modelParameters');
    set(result, 'task', text(parameters.task), pointer(where, 'task'));
    set(result, 'architectureFamily', text(parameters.architectureFamily), pointer(where, 'architectureFamily'));
    set(result, 'modelArchitecture', text(parameters.modelArchitecture), pointer(where, 'modelArchitecture'));
    const approach = isObject(parameters.approach) ? text(parameters.approach.type) : undefined;
    if (approach !== undefined && !APPROACHES[approach]) builder.warn(pointer(where, 'approach', 'type'), `"${approach}" is not a learning approach CycloneDX names; not kept`);
    set(result, 'learningApproach', approach && APPROACHES[approach], pointer(where, 'approach', 'type'));
    if (Array.isArray(parameters.datasets)) result.datasets = parameters.datasets.map((entry, index) => ({ entry, pointer: pointer(where, 'datasets', index) }));
    unread(parameters, where, ['task', 'architectureFamily', 'modelArchitecture', 'approach', 'datasets'], builder);
  }
  const analysis = card.quantitativeAnalysis;
  if (isObject(analysis)) {
    const where = pointer(at, 'quantitativeAnalysis', 'performanceMetrics');
    set(result, 'performanceMetrics', textList(analysis.performanceMetrics, where, builder, (entry, item) => jsonItem(entry, item, METRIC_KEYS, builder, { confidenceInterval: INTERVAL_KEYS })), where);
    unread(analysis, pointer(at, 'quantitativeAnalysis'), ['performanceMetrics'], builder);
  }
  const considerations = card.considerations;
  if (isObject(considerations)) {
    const where = pointer(at, 'considerations');
    for (const [name, field] of Object.entries(CONSIDERATION_LISTS)) set(result, field, textList(considerations[name], pointer(where, name), builder), pointer(where, name));
    const structured = { ethicalConsiderations: ETHICAL_KEYS, fairnessAssessments: FAIRNESS_KEYS };
    for (const [name, keys] of Object.entries(structured)) {
      set(result, name, textList(considerations[name], pointer(where, name), builder, (entry, item) => jsonItem(entry, item, keys, builder)), pointer(where, name));
    }
    unread(considerations, where, [...Object.keys(CONSIDERATION_LISTS), ...Object.keys(structured)], builder);
  }
  if (Array.isArray(card.properties)) {
    card.properties.forEach((property, index) => {
      const usage = isObject(property) ? DATASET_USAGE.get(String(property.name)) : undefined;
      const ref = isObject(property) ? text(property.value) : undefined;
      if (!usage || !ref) {
        builder.warn(pointer(at, 'properties', index), 'not kept: the graph has no place for this model-card property');
        return;
      }
      result.usage.set(ref, [...(result.usage.get(ref) ?? []), usage]);
    });
  }
  unread(card, at, ['bom-ref', 'modelParameters', 'quantitativeAnalysis', 'considerations', 'properties'], builder);
  return result;
}

const LEVELS: readonly DataClassification[] = ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED'];

/**
 * Dataset fields from CycloneDX data entries (a data component's `data`, or a dataset inline in a
 * model card): the most restrictive classification they declare, personal data where declared,
 * where the data lives, and OWNED_BY for the governance parties.
 */
export function readComponentData(entries: Array<{ entry: Record<string, unknown>; pointer: string }>, builder: PayloadBuilder, parties: Parties, dataset: RecordRef): Fields {
  const fields: Fields = { values: {}, pointers: {} };
  for (const { entry, pointer: at } of entries) {
    const classification = text(entry.classification);
    if (classification !== undefined) {
      const level = CLASSIFICATION_WORDS.find(([words]) => words.test(classification))?.[1];
      const before = fields.values.classification as DataClassification | undefined;
      if (level && (!before || LEVELS.indexOf(level) > LEVELS.indexOf(before))) set(fields, 'classification', level, pointer(at, 'classification'));
      if (PERSONAL_DATA.test(classification)) set(fields, 'containsPersonalData', true, pointer(at, 'classification'));
      else if (!level) builder.warn(pointer(at, 'classification'), `"${classification}" names no classification level (${LEVELS.join(', ')}) nor personal data; not kept`);
    }
    if (Array.isArray(entry.sensitiveData) && entry.sensitiveData.length > 0) set(fields, 'containsPersonalData', true, pointer(at, 'sensitiveData'));
    if (isObject(entry.contents)) {
      const url = text(entry.contents.url);
      const where = pointer(at, 'contents', 'url');
      if (url && fields.values.location !== undefined && fields.values.location !== url) builder.warn(where, 'not kept: a dataset has one location, already read above');
      else set(fields, 'location', url, where);
      unread(entry.contents, pointer(at, 'contents'), ['url'], builder);
    }
    if (entry.governance !== undefined) parties.governance(entry.governance, pointer(at, 'governance'), dataset);
    unread(entry, at, ['bom-ref', 'type', 'name', 'description', 'classification', 'sensitiveData', 'contents', 'governance'], builder);
  }
  return fields;
}
