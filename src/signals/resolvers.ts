import type { Resolvers } from '../generated/graphql';

export const signalResolvers: Resolvers = {
  Query: {
    assetSignals: (_, { id, kinds, from, to, asOf }, { services }) => services.signals.series(id, kinds, from, to, asOf),
    unmonitoredAssets: (_, { days, asOf }, { services }) => services.signals.unmonitored(days, asOf),
    incidentSignals: (_, { id }, { services }) => services.signals.incidentSignals(id),
  },
  Mutation: {
    recordSignals: (_, { input }, { services }) => services.signals.record(input.source, input.signals),
  },
};
