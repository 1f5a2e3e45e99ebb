import type { LifecycleStage, Resolvers } from '../generated/graphql';

export const gateResolvers: Resolvers = {
  // An enum list: the estate's list resolvers read string lists.
  Owner: { approvesStages: (row) => (row.approvesStages as LifecycleStage[] | undefined) ?? [] },
  Query: {
    gateConditionsOverdue: (_, { source, asOf }, { services }) => services.gates.overdueConditions(source, asOf),
    gateExceptions: (_, { source, asOf }, { services }) => services.gates.exceptions(source, asOf),
    ungatedRecords: (_, { source, asOf }, { services }) => services.gates.ungated(source, asOf),
  },
  Mutation: {
    recordGateApproval: (_, { input }, { services }) => services.gates.record(input),
  },
};
