import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import type { AssetType, EntityRow } from '../estate/model';
import { lineageShape, reachShape } from './reachShape';

const compromisedUpstream = (parent: EntityRow, _args: unknown, { services }: GraphQLContext) => services.lineage.compromisedUpstream(parent.id);

/** The SDL gives every type implementing Asset compromisedUpstream: this map must cover each one. */
const assetFields: { [T in AssetType]: Pick<NonNullable<Resolvers[T]>, 'compromisedUpstream'> } = {
  AIModel: { compromisedUpstream },
  Dataset: { compromisedUpstream },
  Vendor: { compromisedUpstream },
  Agent: { compromisedUpstream },
  Decision: { compromisedUpstream },
};

export const lineageResolvers: Resolvers = {
  ...assetFields,
  CompromisedSource: {
    source: (parent) => parent.entity,
  },
  ImpactReport: {
    items: (report, { first, after }, { services }) => services.lineage.page(report.items, first, after),
    decisions: (report, { first, after }, { services }) => services.lineage.page(report.decisions, first, after),
  },
  ReachedGroup: {
    items: (group, { first, after }, { services }) => services.lineage.page(group.items, first, after),
  },
  Query: {
    lineage: (_, { id, key, direction, maxDepth, relationshipTypes }, { services }, info) =>
      services.lineage.lineage({ id, key }, direction ?? 'BOTH', maxDepth, relationshipTypes, lineageShape(info)),
    impact: (_, { id, key, maxDepth }, { services }, info) => services.lineage.impact({ id, key }, maxDepth, reachShape(info)),
    dependencies: (_, { id, key, maxDepth }, { services }, info) => services.lineage.dependencies({ id, key }, maxDepth, reachShape(info)),
    exposure: (_, { maxDepth }, { services }) => services.lineage.exposure(maxDepth),
  },
  Mutation: {
    markCompromised: async (_, { id, reason, incident }, { services }, info) => {
      const marked = await services.compromise.mark(id, reason, incident);
      return { ...marked, impact: await services.lineage.impact({ id }, undefined, reachShape(info, 'impact')) };
    },
    clearCompromised: (_, { id, status, reason }, { services }) => services.compromise.clear(id, status ?? 'ACTIVE', reason),
  },
};
