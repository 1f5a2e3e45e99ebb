import type { DataClassification, LearningApproach } from '../../generated/graphql';

/**
 * What the CycloneDX importer and the AI-BOM exporter agree on, so that an export imported again
 * gives back the same records and relationships.
 */

/** JSON shapes that CycloneDX 1.2 to 1.7 share; 1.5 brought machine-learning-model and data components. */
export const SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export const ML_SPEC_VERSIONS: readonly string[] = ['1.5', '1.6', '1.7'];
/** The version the AI-BOM export writes. */
export const EXPORT_SPEC_VERSION = '1.6';

/**
 * Component properties under this prefix carry record fields that CycloneDX has no place for
 * (`lineage-graph:riskTier` = `HIGH`; a list field repeats the property once per item), and
 * model-card properties carry how a model used each dataset it names.
 */
export const PROPERTY_PREFIX = 'lineage-graph:';
/** An application component that is an Agent even though it names no model among its dependencies. */
export const RECORD_TYPE_PROPERTY = `${PROPERTY_PREFIX}recordType`;

export type DatasetUsage = 'TRAINED_ON' | 'FINE_TUNED_ON' | 'EVALUATED_ON';
/** Model-card properties naming, by bom-ref, the datasets a model was trained, fine-tuned or evaluated on. */
export const USAGE_PROPERTIES: Readonly<Record<DatasetUsage, string>> = {
  TRAINED_ON: `${PROPERTY_PREFIX}trainedOn`,
  FINE_TUNED_ON: `${PROPERTY_PREFIX}fineTunedOn`,
  EVALUATED_ON: `${PROPERTY_PREFIX}evaluatedOn`,
};
export const DATASET_USAGE: ReadonlyMap<string, DatasetUsage> = new Map(Object.entries(USAGE_PROPERTIES).map(([usage, name]) => [name, usage as DatasetUsage]));

export const HASH_ALGORITHMS: readonly string[] = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3'];
export const HASH_CONTENT = /^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$/;

export const APPROACHES: Record<string, LearningApproach> = {
  supervised: 'SUPERVISED',
  unsupervised: 'UNSUPERVISED',
  'reinforcement-learning': 'REINFORCEMENT_LEARNING',
  'semi-supervised': 'SEMI_SUPERVISED',
  'self-supervised': 'SELF_SUPERVISED',
};

/**
 * CycloneDX data classifications are free text ("public", "PII", "Company Confidential"); these
 * words, found in it case-insensitively, name the graph's levels, most restrictive first.
 */
export const CLASSIFICATION_WORDS: ReadonlyArray<[RegExp, DataClassification]> = [
  [/restricted|secret/i, 'RESTRICTED'],
  [/confidential/i, 'CONFIDENTIAL'],
  [/internal|private/i, 'INTERNAL'],
  [/public/i, 'PUBLIC'],
];
/** Classifications that declare personal data. */
export const PERSONAL_DATA = /\b(PII|PIFI|PHI|personal)\b/i;

/** Governance roles of a dataset's responsible parties, kept as the OWNED_BY relationship's `role`. */
export const GOVERNANCE_ROLES = { owners: 'owner', custodians: 'custodian', stewards: 'steward' } as const;
/** Where a component names who provides it, kept as the PROVIDED_BY relationship's `roles`. */
export const PROVIDER_ROLES = ['supplier', 'manufacturer', 'publisher'] as const;
