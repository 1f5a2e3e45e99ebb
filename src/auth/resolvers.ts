import type { Resolvers } from '../generated/graphql';

export const authResolvers: Resolvers = {
  Query: {
    caller: (_, __, { access }) => ({ ...access.principal, source: access.principal.source ?? null }),
    apiKeys: (_, __, { services }) => services.apiKeys.list(),
  },
  Mutation: {
    createApiKey: (_, { name, role, source }, { services }) => services.apiKeys.create(name, role, source),
    revokeApiKey: (_, { name }, { services }) => services.apiKeys.revoke(name),
  },
};
