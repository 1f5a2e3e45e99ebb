import type { AssetResolvers, EntityType, RelationshipType, Resolvers } from '../generated/graphql';

export type { EntityType, RelationshipType };

export const ENTITY_TYPES: readonly EntityType[] = ['AIModel', 'Dataset', 'Vendor', 'Agent', 'Decision', 'Owner', 'Risk', 'Incident', 'Control', 'Evidence', 'Tool', 'VendorAssessment', 'GateApproval', 'SignalRule', 'Playbook', 'Policy', 'DiscoveredAsset', 'DiscoverySource', 'AISystem'];
/** The operational records that risks threaten, controls apply to and incidents involve. */
export const ASSET_TYPES: readonly EntityType[] = ['AIModel', 'Dataset', 'Vendor', 'Agent', 'Decision'];
const ALL_BUT_OWNER = ENTITY_TYPES.filter((type) => type !== 'Owner');

/** Where each type's records sit in a sync payload (`assets.aiModels`, ...). */
export const BATCH_FIELDS: Record<EntityType, string> = {
  AIModel: 'aiModels',
  Dataset: 'datasets',
  Vendor: 'vendors',
  Agent: 'agents',
  Decision: 'decisions',
  Owner: 'owners',
  Risk: 'risks',
  Incident: 'incidents',
  Control: 'controls',
  Evidence: 'evidence',
  Tool: 'tools',
  AISystem: 'aiSystems',
  VendorAssessment: 'vendorAssessments',
  GateApproval: 'gateApprovals',
  Playbook: 'playbooks',
  Policy: 'policies',
  DiscoveredAsset: 'discoveredAssets',
  DiscoverySource: 'discoverySources',
  SignalRule: 'signalRules',
};

/** Fields stored as Neo4j temporal values, so that Cypher can compare them with datetime(). */
export const DATETIME_FIELDS = new Set(['contractEndsAt', 'lastAssessedAt', 'detectedAt', 'resolvedAt', 'lastTestedAt', 'collectedAt', 'expiresAt', 'assessedAt', 'decidedAt', 'conditionsDueAt', 'conditionsMetAt', 'containedAt', 'closedAt', 'effectiveFrom', 'nextReviewAt', 'firstSeenAt', 'lastSeenAt', 'dismissedAt']);
/**
 * Each type's list fields. A list never set is absent in Neo4j, and GraphQL's lists are non-null:
 * the record resolvers read an absent list as [] (estate/resolvers.ts), wherever the record came from.
 */
export const LIST_FIELDS = {
  AIModel: [
    'tags',
    'hashes',
    'licenses',
    'performanceMetrics',
    'intendedUsers',
    'useCases',
    'technicalLimitations',
    'performanceTradeoffs',
    'ethicalConsiderations',
    'fairnessAssessments',
    'domains',
    'energyConsumption',
  ],
  Dataset: ['tags', 'columns', 'dataTypes'],
  Vendor: ['tags', 'services'],
  Agent: ['tags', 'allowedTools', 'allowedActions'],
  Decision: ['tags', 'affectedParties'],
  Owner: ['tags'],
  Risk: ['tags'],
  Incident: ['tags', 'stepRecords'],
  Control: ['tags'],
  Evidence: ['tags'],
  Tool: ['tags', 'scopes'],
  AISystem: ['tags'],
  VendorAssessment: ['tags', 'subProcessors', 'certifications', 'findings'],
  GateApproval: ['tags', 'conditions'],
  Playbook: ['tags', 'steps'],
  Policy: ['tags'],
  DiscoveredAsset: ['tags'],
  DiscoverySource: ['tags'],
  SignalRule: ['tags'],
} as const satisfies Record<EntityType, readonly string[]>;
/** Properties the API manages; a sync or a patch cannot set them. */
export const SYSTEM_FIELDS = new Set(['id', 'key', 'type', 'source', 'externalId', 'createdAt', 'updatedAt', 'version']);

export interface RelationshipSpec {
  from: readonly EntityType[];
  to: readonly EntityType[];
}

/** The allowed endpoints of every relationship type; anything else is refused as bad input. */
export const RELATIONSHIPS: Record<RelationshipType, RelationshipSpec> = {
  DERIVED_FROM: { from: ['Dataset'], to: ['Dataset'] },
  TRAINED_ON: { from: ['AIModel'], to: ['Dataset'] },
  FINE_TUNED_ON: { from: ['AIModel'], to: ['Dataset'] },
  EVALUATED_ON: { from: ['AIModel'], to: ['Dataset'] },
  BASED_ON: { from: ['AIModel'], to: ['AIModel'] },
  PROVIDED_BY: { from: ['AIModel', 'Dataset', 'Agent'], to: ['Vendor'] },
  USES_MODEL: { from: ['Agent'], to: ['AIModel'] },
  RETRIEVES_FROM: { from: ['Agent'], to: ['Dataset'] },
  CAN_INVOKE: { from: ['Agent'], to: ['Agent'] },
  INFORMS: { from: ['AIModel', 'Agent'], to: ['Decision'] },
  OWNED_BY: { from: ALL_BUT_OWNER, to: ['Owner'] },
  THREATENS: { from: ['Risk'], to: ASSET_TYPES },
  MITIGATED_BY: { from: ['Risk'], to: ['Control'] },
  APPLIES_TO: { from: ['Control'], to: ASSET_TYPES },
  INVOLVES: { from: ['Incident'], to: ASSET_TYPES },
  SUPPORTS: { from: ['Evidence'], to: ['Control'] },
  CAN_USE: { from: ['Agent'], to: ['Tool'] },
  APPROVED_USE: { from: ['Agent'], to: ['Tool', 'Dataset'] },
  PART_OF: { from: ['AIModel', 'Agent'], to: ['AISystem'] },
  DRIVES: { from: ['AISystem'], to: ['Decision'] },
  ASSESSES: { from: ['VendorAssessment'], to: ['Vendor'] },
  ASSESSED_BY: { from: ['VendorAssessment'], to: ['Owner'] },
  APPROVES: { from: ['GateApproval'], to: ['AIModel', 'Agent'] },
  APPROVED_BY: { from: ['GateApproval'], to: ['Owner'] },
  RESTS_ON: { from: ['GateApproval'], to: ['Evidence'] },
  FOLLOWS: { from: ['Incident'], to: ['Playbook'] },
  FOLLOW_UP: { from: ['Incident'], to: ['Risk', 'Control'] },
  IMPLEMENTS: { from: ['Control'], to: ['Policy'] },
  ACKNOWLEDGED_BY: { from: ['Policy'], to: ['Owner'] },
  REGISTERED_AS: { from: ['DiscoveredAsset'], to: [...ASSET_TYPES, 'Tool'] },
  TOUCHES: { from: ['DiscoveredAsset'], to: ['Dataset'] },
};

export type Hop = { type: RelationshipType; direction: 'OUT' | 'IN' };

const out = (type: RelationshipType): Hop => ({ type, direction: 'OUT' });
const into = (type: RelationshipType): Hop => ({ type, direction: 'IN' });
const assetHops = { owners: out('OWNED_BY'), risks: into('THREATENS'), controls: into('APPLIES_TO'), incidents: into('INVOLVES') };

/** The types that implement Asset in the SDL, as codegen lists them for its type resolver. */
export type AssetType = NonNullable<Awaited<ReturnType<AssetResolvers['__resolveType']>>>;

export const isAssetType = (type: EntityType): type is AssetType => ASSET_TYPES.includes(type);

/** What a generated field resolver resolves to. */
type FieldResult<R> = R extends (...args: never[]) => infer Out ? Awaited<Out> : never;
type TypeResolvers<T extends EntityType> = NonNullable<Resolvers[T]>;

/**
 * The fields of type T in the SDL that list records, i.e. that follow a relationship: derived from
 * the generated resolver types, so that NAVIGATION below must name exactly these.
 */
export type NavigationField<T extends EntityType> = {
  [F in keyof TypeResolvers<T>]-?: EntityRow[] extends FieldResult<TypeResolvers<T>[F]> ? F : never;
}[keyof TypeResolvers<T>];

/**
 * GraphQL fields that follow one relationship, per type: the schema documents each direction. A
 * list-of-records field added to, renamed in or removed from the SDL fails the type check here.
 */
export const NAVIGATION: { readonly [T in EntityType]: Readonly<Record<NavigationField<T>, Hop>> } = {
  AIModel: {
    ...assetHops,
    trainedOn: out('TRAINED_ON'),
    fineTunedOn: out('FINE_TUNED_ON'),
    evaluatedOn: out('EVALUATED_ON'),
    basedOn: out('BASED_ON'),
    derivedModels: into('BASED_ON'),
    providedBy: out('PROVIDED_BY'),
    usedByAgents: into('USES_MODEL'),
    partOf: out('PART_OF'),
    informs: out('INFORMS'),
    gateApprovals: into('APPROVES'),
  },
  Dataset: {
    ...assetHops,
    derivedFrom: out('DERIVED_FROM'),
    derivedDatasets: into('DERIVED_FROM'),
    trainedModels: into('TRAINED_ON'),
    fineTunedModels: into('FINE_TUNED_ON'),
    evaluatedModels: into('EVALUATED_ON'),
    retrievedByAgents: into('RETRIEVES_FROM'),
    providedBy: out('PROVIDED_BY'),
  },
  Vendor: { ...assetHops, models: into('PROVIDED_BY'), datasets: into('PROVIDED_BY'), agents: into('PROVIDED_BY'), assessments: into('ASSESSES') },
  Agent: {
    ...assetHops,
    usesModels: out('USES_MODEL'),
    retrievesFrom: out('RETRIEVES_FROM'),
    canInvoke: out('CAN_INVOKE'),
    invokedBy: into('CAN_INVOKE'),
    providedBy: out('PROVIDED_BY'),
    informs: out('INFORMS'),
    canUse: out('CAN_USE'),
    approvedUses: out('APPROVED_USE'),
    partOf: out('PART_OF'),
    gateApprovals: into('APPROVES'),
  },
  Decision: { ...assetHops, informedBy: into('INFORMS'), drivenBy: into('DRIVES') },
  Owner: { owners: out('OWNED_BY'), owns: into('OWNED_BY'), acknowledgedPolicies: into('ACKNOWLEDGED_BY') },
  Risk: { owners: out('OWNED_BY'), threatens: out('THREATENS'), mitigatedBy: out('MITIGATED_BY') },
  Incident: { owners: out('OWNED_BY'), involves: out('INVOLVES'), follows: out('FOLLOWS'), followUpRisks: out('FOLLOW_UP'), followUpControls: out('FOLLOW_UP') },
  Control: { owners: out('OWNED_BY'), appliesTo: out('APPLIES_TO'), mitigates: into('MITIGATED_BY'), evidence: into('SUPPORTS'), implements: out('IMPLEMENTS') },
  Evidence: { owners: out('OWNED_BY'), supports: out('SUPPORTS') },
  Tool: { owners: out('OWNED_BY'), usedByAgents: into('CAN_USE'), approvedForAgents: into('APPROVED_USE') },
  AISystem: { owners: out('OWNED_BY'), models: into('PART_OF'), agents: into('PART_OF'), drives: out('DRIVES') },
  VendorAssessment: { owners: out('OWNED_BY'), assesses: out('ASSESSES'), assessedBy: out('ASSESSED_BY') },
  GateApproval: { owners: out('OWNED_BY'), approves: out('APPROVES'), approvedBy: out('APPROVED_BY'), restsOn: out('RESTS_ON') },
  Playbook: { owners: out('OWNED_BY'), incidents: into('FOLLOWS') },
  Policy: { owners: out('OWNED_BY'), implementedBy: into('IMPLEMENTS'), acknowledgedBy: out('ACKNOWLEDGED_BY') },
  DiscoveredAsset: { owners: out('OWNED_BY'), registeredAs: out('REGISTERED_AS'), touches: out('TOUCHES') },
  DiscoverySource: { owners: out('OWNED_BY') },
  SignalRule: { owners: out('OWNED_BY') },
};

/**
 * Vendor.models, .datasets and .agents follow the same PROVIDED_BY edges; the neighbour's type
 * tells them apart.
 */
export const NAVIGATION_TARGET: { readonly [T in EntityType]?: Partial<Record<NavigationField<T>, EntityType>> } = {
  Vendor: { models: 'AIModel', datasets: 'Dataset', agents: 'Agent' },
  AISystem: { models: 'AIModel', agents: 'Agent' },
  Incident: { followUpRisks: 'Risk', followUpControls: 'Control' },
};

export const entityKey = (type: EntityType, source: string, externalId: string) => `${type}|${source}|${externalId}`;

/** A stored record as Cypher returns it: its properties, temporal values as ISO strings. */
export interface EntityRow {
  id: string;
  key: string;
  type: EntityType;
  source: string;
  externalId: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Set on a record found by key after its deletion: sent again, it is revived (same id). */
  retired?: boolean;
  /**
   * Set (ISO) on a record read as of a past instant (history/historyService.ts): what it leads to,
   * its relationships and neighbours, is read at that instant too.
   */
  asOf?: string;
  [field: string]: unknown;
}

/**
 * The relationships lineage and impact walk: how data and models flow into decisions. Governance
 * relationships (ownership, risks, controls, incidents, evidence) describe records, not flow.
 */
export const LINEAGE_TYPES: readonly RelationshipType[] = [
  'DERIVED_FROM',
  'TRAINED_ON',
  'FINE_TUNED_ON',
  'EVALUATED_ON',
  'BASED_ON',
  'PROVIDED_BY',
  'USES_MODEL',
  'RETRIEVES_FROM',
  'CAN_INVOKE',
  'INFORMS',
];


/** A relationship's own properties, without the ones the API keeps on it. */
export function relationshipOwnProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const { sources: _sources, createdAt: _createdAt, updatedAt: _updatedAt, validFrom: _validFrom, validTo: _validTo, was: _was, ...own } = properties;
  return own;
}
