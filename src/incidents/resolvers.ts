import type { Resolvers } from '../generated/graphql';

export const incidentResolvers: Resolvers = {
  Incident: {
    steps: (incident, _args, { services }) => services.incidents.steps(incident),
  },
  IncidentStep: {
    owner: (step, _args, { services }) => services.incidents.stepOwner(step),
  },
  Query: {
    incidentMetrics: (_, { asOf }, { services }) => services.incidents.metrics(asOf),
  },
  Mutation: {
    updateIncidentStep: (_, { input }, { services }) => services.incidents.updateStep(input),
  },
};
