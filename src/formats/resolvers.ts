import type { Resolvers } from '../generated/graphql';

export const formatsResolvers: Resolvers = {
  Mutation: {
    importDocument: (_, { input }, { services }) => services.formats.importDocument(input),
  },
};
