import type { GraphQLResolveInfo } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import { ENTITY_TYPES, EntityRow, EntityType, NAVIGATION, NAVIGATION_TARGET, relationshipOwnProperties } from './model';
import { selectsField } from './projection';

type FieldResolver = (parent: EntityRow, args: Record<string, unknown>, context: GraphQLContext) => unknown;

/** The fields every record type shares, plus the ones that follow a relationship (from NAVIGATION). */
function entityFields(type: EntityType): Record<string, FieldResolver> {
  const fields: Record<string, FieldResolver> = {
    relationships: (parent, args, { services }) =>
      services.estate.relationships(parent.id, args.types as never, (args.direction as 'OUTGOING' | 'INCOMING' | 'BOTH') ?? 'BOTH'),
    history: (parent, args, { services }) => services.estate.history(parent.id, args.first as number | undefined),
  };
  for (const [field, hop] of Object.entries(NAVIGATION[type])) {
    const onlyType = NAVIGATION_TARGET[type]?.[field];
    fields[field] = (parent, _args, { services }) => services.estate.neighbours(parent.id, hop, onlyType);
  }
  return fields;
}

const typeResolvers = Object.fromEntries(ENTITY_TYPES.map((type) => [type, entityFields(type)]));

const list =
  (type: EntityType) =>
  (_: unknown, args: { filter?: unknown; first?: number | null; after?: string | null }, { services }: GraphQLContext, info: GraphQLResolveInfo) =>
    services.estate.list(type, args.filter as never, args.first, args.after, selectsField(info, 'totalCount'));

const create =
  (type: EntityType) =>
  (_: unknown, args: { input: unknown; source?: string | null }, { services }: GraphQLContext) =>
    services.edits.create(type, args.input as Record<string, unknown>, args.source ?? 'manual');

const resolveType = (row: EntityRow) => row.type;

export const estateResolvers: Resolvers = {
  JSON: JSONResolver,
  Node: { __resolveType: resolveType },
  Entity: { __resolveType: resolveType },
  Asset: { __resolveType: (row) => row.type as 'AIModel' | 'Dataset' | 'Vendor' | 'Agent' | 'Decision' },
  ...(typeResolvers as Resolvers),
  Evidence: {
    ...(typeResolvers.Evidence as Resolvers['Evidence']),
    expired: (parent) => typeof parent.expiresAt === 'string' && Date.parse(parent.expiresAt) < Date.now(),
  },
  Relationship: {
    from: async (parent, _args, { services }) => (await services.estate.byId.load(parent.fromId))!,
    to: async (parent, _args, { services }) => (await services.estate.byId.load(parent.toId))!,
    other: (parent) => parent.other,
    sources: (parent) => (parent.properties.sources as string[] | undefined) ?? [],
    createdAt: (parent) => parent.properties.createdAt as string,
    properties: (parent) => relationshipOwnProperties(parent.properties),
  },
  Query: {
    node: (_, { id }, { services }) => services.estate.byId.load(id),
    entityByKey: (_, { type, source, externalId }, { services }) => services.estate.byKey(type, source, externalId),
    entities: (_, { type, filter, first, after }, { services }, info) => services.estate.list(type ?? null, filter, first, after, selectsField(info, 'totalCount')),
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
    history: (_, { id, first }, { services }) => services.estate.history(id, first) as never,
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
    updateEntity: (_, { id, patch, expectedVersion }, { services }) => services.edits.update(id, patch, expectedVersion),
    deleteEntity: (_, { id, cascade, expectedVersion }, { services }) => services.edits.delete(id, cascade ?? false, expectedVersion),
    link: (_, { type, fromId, toId, properties }, { services }) => services.edits.link(type, fromId, toId, properties),
    unlink: (_, { type, fromId, toId }, { services }) => services.edits.unlink(type, fromId, toId),
  },
};
