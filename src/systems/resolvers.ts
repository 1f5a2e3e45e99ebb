import type { Resolvers } from '../generated/graphql';
import { isComputed } from './applicability';
import { classificationOf } from './classification';

export const systemResolvers: Resolvers = {
  AISystem: {
    // Read from the state the row carries, so a system read as of an instant has its classification then.
    classification: (parent) => classificationOf(parent),
  },
  Applicability: {
    computed: (parent) => isComputed(parent),
  },
  Query: {
    proposeClassification: (_, { systemId }, { services }) => services.systems.propose(systemId),
    obligations: (_, { systemId, asOf }, { services }) => services.systems.obligations(systemId, asOf),
    upcomingObligations: (_, { before, asOf }, { services }) => services.systems.upcoming(before, asOf),
  },
  Mutation: {
    classifyAISystem: (_, { systemId, input, expectedVersion }, { services }) => services.systems.classify(systemId, input, expectedVersion),
  },
};
