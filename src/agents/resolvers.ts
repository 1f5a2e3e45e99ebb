import type { Resolvers } from '../generated/graphql';

export const agentResolvers: Resolvers = {
  Query: {
    agentPrivileges: (_, { id, asOf }, { services }) => services.agents.privileges(id, asOf),
    overPrivilegedAgents: (_, { asOf, unusedDays }, { services }) => services.agents.overPrivileged(asOf, unusedDays),
    whoCanReach: (_, { target, asOf }, { services }) => services.agents.whoCanReach(target, asOf),
  },
};
