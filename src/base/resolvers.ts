import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql';
import packageJson from '../../package.json';

export const baseResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSONObject: JSONObjectResolver,
  Query: {
    apiInfo: () => ({ name: 'lineage-graph', version: packageJson.version }),
  },
  Mutation: {
    _noop: () => null,
  },
};
