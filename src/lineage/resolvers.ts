import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import { ASSET_TYPES, EntityRow } from '../estate/model';

const compromisedUpstream = (parent: EntityRow, _args: unknown, { services }: GraphQLContext) => services.lineage.compromisedUpstream(parent.id);
const assetFields = Object.fromEntries(ASSET_TYPES.map((type) => [type, { compromisedUpstream }]));

export const lineageResolvers: Resolvers = {
  ...(assetFields as Resolvers),
  CompromisedSource: {
    source: (parent) => parent.entity,
  },
  Query: {
    lineage: (_, { id, key, direction, maxDepth, relationshipTypes }, { services }) => services.lineage.lineage({ id, key }, direction ?? 'BOTH', maxDepth, relationshipTypes),
    impact: (_, { id, key, maxDepth }, { services }) => services.lineage.impact({ id, key }, maxDepth),
    dependencies: (_, { id, key, maxDepth }, { services }) => services.lineage.dependencies({ id, key }, maxDepth),
    exposure: (_, { maxDepth }, { services }) => services.lineage.exposure(maxDepth),
  },
  Mutation: {
    markCompromised: async (_, { id, reason, incident }, { services }) => {
      const marked = await services.estate.markCompromised(id, reason, incident);
      return { ...marked, impact: await services.lineage.impact({ id }, undefined) };
    },
    clearCompromised: (_, { id, status }, { services }) => services.estate.clearCompromised(id, status ?? 'ACTIVE') as never,
  },
};
