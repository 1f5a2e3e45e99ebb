import type { Resolvers } from '../generated/graphql';
import { buildAssessmentResults } from './oscal/assessmentResults';

export const formatsResolvers: Resolvers = {
  Mutation: {
    importDocument: (_, { input }, { services }) => services.formats.importDocument(input),
  },
  CoverageMap: {
    oscal: (map) => buildAssessmentResults(map),
  },
};
