import type { Resolvers } from '../generated/graphql';

export const soaResolvers: Resolvers = {
  SoaEntry: {
    objective: (parent, _args, { services }) => (parent.objectiveKey ? services.compliance.linkedRequirement(parent.objectiveKey) : null),
  },
  Query: {
    statementOfApplicability: (_, { framework, asOf }, { services }) => services.soa.statement(framework, asOf),
  },
  Mutation: {
    decideApplicability: (_, { requirement, included, justification }, { services }) => services.soa.decide(requirement, included, justification),
  },
};
