import type { Resolvers } from '../generated/graphql';

export const agentResolvers: Resolvers = {
  Query: {
    agentPrivileges: (_, { id, asOf }, { services }) => services.agents.privileges(id, asOf),
    overPrivilegedAgents: (_, { asOf }, { services }) => services.agents.overPrivileged(asOf),
    whoCanReach: (_, { target, asOf }, { services }) => services.agents.whoCanReach(target, asOf),
  },
};
