import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql';
import packageJson from '../../package.json';

/**
 * DateTimeISO's rules under the schema's name: it serialises to an ISO string, where graphql-scalars'
 * DateTime hands out Date objects that only become strings when the response is JSON-encoded.
 */
const DateTime = new GraphQLScalarType({ ...DateTimeISOResolver.toConfig(), name: 'DateTime' });

export const baseResolvers: Resolvers = {
  DateTime,
  JSONObject: JSONObjectResolver,
  Query: {
    apiInfo: () => ({ name: 'lineage-graph', version: packageJson.version }),
  },
};
