import type { GraphQLContext } from '../context';
import type { AssetCompromisedUpstreamArgs, Resolvers } from '../generated/graphql';
import type { AssetType, EntityRow } from '../estate/model';
import { comparisonShape, lineageShape, reachShape } from './reachShape';

/** As of the instant asked, else the one the record was read at (node(id, asOf:) and the like), else now. */
const compromisedUpstream = (parent: EntityRow, { asOf }: Partial<AssetCompromisedUpstreamArgs>, { services }: GraphQLContext) =>
  services.lineage.compromisedUpstream(parent.id, asOf ?? parent.asOf);

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
    comparison: (report, _args, { services }, info) => services.lineage.comparison(report, comparisonShape(info)),
  },
  Incident: {
    compromiseWindows: (incident, _args, { services }) => services.compromise.windows(incident.id),
  },
  ReachedGroup: {
    items: (group, { first, after }, { services }) => services.lineage.page(group.items, first, after),
  },
  Query: {
    lineage: (_, { id, key, direction, maxDepth, relationshipTypes, asOf }, { services }, info) =>
      services.lineage.lineage({ id, key }, direction ?? 'BOTH', maxDepth, relationshipTypes, lineageShape(info), asOf),
    impact: (_, { id, key, maxDepth, asOf, compareTo }, { services }, info) => services.lineage.impact({ id, key }, maxDepth, reachShape(info), { asOf, compareTo }),
    dependencies: (_, { id, key, maxDepth, asOf, compareTo }, { services }, info) => services.lineage.dependencies({ id, key }, maxDepth, reachShape(info), { asOf, compareTo }),
    exposure: (_, { maxDepth, asOf }, { services }) => services.lineage.exposure(maxDepth, asOf),
    impactDuring: (_, { id, key, from, to, maxDepth }, { services }) => services.lineage.impactDuring({ id, key }, from, to, maxDepth),
  },
  Mutation: {
    markCompromised: async (_, { id, reason, incident, since }, { services }, info) => {
      // Its page arguments are checked before the write: a bad one must not leave the asset marked behind an error.
      const shape = reachShape(info, 'impact');
      const marked = await services.compromise.mark(id, reason, incident, since, shape);
      return { ...marked, impact: await services.lineage.impact({ id }, undefined, shape) };
    },
    clearCompromised: (_, { id, status, reason, until }, { services }) => services.compromise.clear(id, status ?? 'ACTIVE', reason, until),
  },
};
