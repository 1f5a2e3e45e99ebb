import type { Resolvers } from '../generated/graphql';

export const policyResolvers: Resolvers = {
  Policy: {
    acknowledgements: (policy, _args, { services }) => services.policies.acknowledgements(policy),
  },
  Query: {
    unownedAssets: (_, { types, first, asOf }, { services }) => services.policies.unowned(types, first, asOf),
  },
  Mutation: {
    acknowledgePolicy: (_, { policyId, ownerId, at }, { services }) => services.policies.acknowledge(policyId, ownerId, at),
  },
};
