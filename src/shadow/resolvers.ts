import type { Resolvers } from '../generated/graphql';

export const shadowResolvers: Resolvers = {
  DiscoveredAsset: {
    shadowStatus: (row, _args, { services }) => services.shadow.status(row),
  },
  Query: {
    shadowAI: (_, { asOf }, { services }) => services.shadow.report(asOf),
  },
  Mutation: {
    declareDiscoverySource: (_, { source, kind, description }, { services }) => services.shadow.declare(source, kind, description),
    registerDiscoveredAsset: (_, { id, assetId }, { services }) => services.shadow.register(id, assetId),
    dismissDiscoveredAsset: (_, { id, reason }, { services }) => services.shadow.dismiss(id, reason),
  },
};
