import type { Resolvers } from '../generated/graphql';

export const policyResolvers: Resolvers = {
  Policy: {
    acknowledgements: (policy, _args, { services }) => services.policies.acknowledgements(policy),
  },
  Query: {
    unownedAssets: (_, { types, source, first, asOf }, { services }) => services.policies.unowned(types, source, first, asOf),
  },
  Mutation: {
    acknowledgePolicy: (_, { policyId, ownerId, at }, { services }) => services.policies.acknowledge(policyId, ownerId, at),
  },
};
