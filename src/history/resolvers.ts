import type { Resolvers } from '../generated/graphql';

export const historyResolvers: Resolvers = {
  // Only a relationship's change names its ends (see changes.ts, isRelationshipChange).
  Change: { __resolveType: (change) => ('fromId' in change ? 'RelationshipChange' : 'RecordChange') },
  Query: {
    changes: (_, args, { services }) => services.history.changes(args),
  },
};
