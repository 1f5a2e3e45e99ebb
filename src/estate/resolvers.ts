import type { GraphQLResolveInfo } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import type { GraphQLContext } from '../context';
import type { EntityFilter, EntityHistoryArgs, EntityRelationshipsArgs, RequireFields, Resolvers } from '../generated/graphql';
import { EntityRow, EntityType, Hop, isAssetType, LIST_FIELDS, NAVIGATION, NAVIGATION_TARGET, relationshipOwnProperties } from './model';
import { selectsField } from './projection';

/** The fields every record type shares (Entity's in the SDL). */
const recordFields = {
  relationships: (parent: EntityRow, { types, direction }: RequireFields<EntityRelationshipsArgs, 'direction'>, { services }: GraphQLContext) =>
    // An explicit `direction: null` reaches the resolver as null: GraphQL applies the default only when the argument is left out.
    parent.asOf
      ? services.history.relationships(parent.id, types, direction ?? 'BOTH', parent.asOf)
      : services.estate.relationships(parent.id, types, direction ?? 'BOTH'),
  // A record read as of an instant has the history it had then.
  history: (parent: EntityRow, { first }: RequireFields<EntityHistoryArgs, 'first'>, { services }: GraphQLContext) => services.estate.history(parent.id, first, parent.asOf),
};

type NavigationResolver = (parent: EntityRow, args: unknown, context: GraphQLContext) => Promise<EntityRow[]>;

/** A resolver for each field of `hops`, following its relationship to the neighbouring records. */
function navigationResolvers<F extends string>(hops: Readonly<Record<F, Hop>>, onlyTypes: Partial<Record<F, EntityType>> = {}): { [K in F]?: NavigationResolver } {
  const fields: { [K in F]?: NavigationResolver } = {};
  for (const field in hops) {
    fields[field] = (parent, _args, { services }) =>
      parent.asOf ? services.history.neighbours(parent.id, hops[field], onlyTypes[field], parent.asOf) : services.estate.neighbours(parent.id, hops[field], onlyTypes[field]);
  }
  return fields;
}

/** A stored list, or [] when it was never set (Neo4j keeps no empty property). */
function listResolvers<F extends string>(fields: readonly F[]): Record<F, (parent: EntityRow) => string[]> {
  return Object.fromEntries(fields.map((field) => [field, (parent: EntityRow) => (parent[field] as string[] | null | undefined) ?? []])) as Record<F, (parent: EntityRow) => string[]>;
}

/** A record type's resolvers: the shared fields, its list fields, and one per field of its NAVIGATION entry. */
const recordResolvers = <F extends string, L extends string>(lists: readonly L[], hops: Readonly<Record<F, Hop>>, onlyTypes?: Partial<Record<F, EntityType>>) => ({
  ...recordFields,
  ...listResolvers(lists),
  ...navigationResolvers(hops, onlyTypes),
});

const list =
  (type: EntityType) =>
  (
    _: unknown,
    { filter, first, after, asOf }: { filter?: EntityFilter | null; first?: number | null; after?: string | null; asOf?: Date | null },
    { services }: GraphQLContext,
    info: GraphQLResolveInfo,
  ) =>
    services.estate.list(type, filter, first, after, selectsField(info, 'totalCount'), asOf);

/** A relationship's end: at the instant its row was read at, when it was read as of one (its `other` says). */
const relationshipEnd = (id: string, other: EntityRow, { services }: GraphQLContext) =>
  other.asOf ? services.history.recordAt(id, other.asOf) : services.estate.byId.load(id);

const create =
  (type: EntityType) =>
  (_: unknown, { input, source }: { input: Record<string, unknown>; source?: string | null }, { services }: GraphQLContext) =>
    services.edits.create(type, input, source ?? 'manual');

const resolveType = (row: EntityRow) => row.type;

export const estateResolvers: Resolvers = {
  JSON: JSONResolver,
  Node: { __resolveType: resolveType },
  Entity: { __resolveType: resolveType },
  Asset: { __resolveType: (row) => (isAssetType(row.type) ? row.type : null) },
  AIModel: recordResolvers(LIST_FIELDS.AIModel, NAVIGATION.AIModel),
  Dataset: recordResolvers(LIST_FIELDS.Dataset, NAVIGATION.Dataset),
  Vendor: recordResolvers(LIST_FIELDS.Vendor, NAVIGATION.Vendor, NAVIGATION_TARGET.Vendor),
  Agent: recordResolvers(LIST_FIELDS.Agent, NAVIGATION.Agent),
  Decision: recordResolvers(LIST_FIELDS.Decision, NAVIGATION.Decision),
  Owner: recordResolvers(LIST_FIELDS.Owner, NAVIGATION.Owner),
  Risk: recordResolvers(LIST_FIELDS.Risk, NAVIGATION.Risk),
  Incident: recordResolvers(LIST_FIELDS.Incident, NAVIGATION.Incident, NAVIGATION_TARGET.Incident),
  Control: recordResolvers(LIST_FIELDS.Control, NAVIGATION.Control),
  Evidence: {
    ...recordResolvers(LIST_FIELDS.Evidence, NAVIGATION.Evidence),
    // A row read as of an instant (coverage asOf) carries whether it had expired then.
    expired: (parent) => (typeof parent.expired === 'boolean' ? parent.expired : typeof parent.expiresAt === 'string' && Date.parse(parent.expiresAt) < Date.now()),
  },
  Tool: recordResolvers(LIST_FIELDS.Tool, NAVIGATION.Tool),
  AISystem: recordResolvers(LIST_FIELDS.AISystem, NAVIGATION.AISystem, NAVIGATION_TARGET.AISystem),
  VendorAssessment: recordResolvers(LIST_FIELDS.VendorAssessment, NAVIGATION.VendorAssessment),
  GateApproval: recordResolvers(LIST_FIELDS.GateApproval, NAVIGATION.GateApproval),
  Playbook: recordResolvers(LIST_FIELDS.Playbook, NAVIGATION.Playbook),
  Policy: recordResolvers(LIST_FIELDS.Policy, NAVIGATION.Policy),
  DiscoveredAsset: recordResolvers(LIST_FIELDS.DiscoveredAsset, NAVIGATION.DiscoveredAsset),
  DiscoverySource: recordResolvers(LIST_FIELDS.DiscoverySource, NAVIGATION.DiscoverySource),
  SignalRule: recordResolvers(LIST_FIELDS.SignalRule, NAVIGATION.SignalRule),
  Relationship: {
    from: async (parent, _args, context) => (await relationshipEnd(parent.fromId, parent.other, context))!,
    to: async (parent, _args, context) => (await relationshipEnd(parent.toId, parent.other, context))!,
    other: (parent) => parent.other,
    sources: (parent) => (parent.properties.sources as string[] | undefined) ?? [],
    createdAt: (parent) => parent.properties.createdAt as string,
    properties: (parent) => relationshipOwnProperties(parent.properties),
  },
  Query: {
    node: (_, { id, asOf }, { services }) => (asOf ? services.history.node(id, asOf) : services.estate.byId.load(id)),
    entityByKey: (_, { type, source, externalId, asOf }, { services }) =>
      asOf ? services.history.byKey(type, source, externalId, asOf) : services.estate.byKey(type, source, externalId),
    entities: (_, { type, filter, first, after, asOf }, { services }, info) =>
      services.estate.list(type ?? null, filter, first, after, selectsField(info, 'totalCount'), asOf),
    aiModels: list('AIModel'),
    datasets: list('Dataset'),
    vendors: list('Vendor'),
    agents: list('Agent'),
    decisions: list('Decision'),
    owners: list('Owner'),
    risks: list('Risk'),
    incidents: list('Incident'),
    controls: list('Control'),
    evidence: list('Evidence'),
    tools: list('Tool'),
    aiSystems: list('AISystem'),
    playbooks: list('Playbook'),
    policies: list('Policy'),
    discoveredAssets: list('DiscoveredAsset'),
    discoverySources: list('DiscoverySource'),
    signalRules: list('SignalRule'),
    history: (_, { id, first }, { services }) => services.estate.history(id, first),
  },
  Mutation: {
    syncInventory: (_, { input }, { services }) => services.sync.sync(input),
    createAIModel: create('AIModel'),
    createDataset: create('Dataset'),
    createVendor: create('Vendor'),
    createAgent: create('Agent'),
    createDecision: create('Decision'),
    createOwner: create('Owner'),
    createRisk: create('Risk'),
    createIncident: create('Incident'),
    createControl: create('Control'),
    createEvidence: create('Evidence'),
    createTool: create('Tool'),
    createAISystem: create('AISystem'),
    createPlaybook: create('Playbook'),
    createPolicy: create('Policy'),
    createSignalRule: create('SignalRule'),
    updateEntity: (_, { id, patch, expectedVersion }, { services }) => services.edits.update(id, patch, expectedVersion),
    deleteEntity: (_, { id, cascade, expectedVersion }, { services }) => services.edits.delete(id, cascade ?? false, expectedVersion),
    link: (_, { type, fromId, toId, properties }, { services }) => services.edits.link(type, fromId, toId, properties),
    unlink: (_, { type, fromId, toId }, { services }) => services.edits.unlink(type, fromId, toId),
  },
};
