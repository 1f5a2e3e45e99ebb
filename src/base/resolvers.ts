import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver, LocalDateResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql';
import packageJson from '../../package.json';

/**
 * DateTimeISO's rules under the schema's name: it serialises to an ISO string, where graphql-scalars'
 * DateTime hands out Date objects that only become strings when the response is JSON-encoded.
 */
const DateTime = new GraphQLScalarType({ ...DateTimeISOResolver.toConfig(), name: 'DateTime' });

/** A calendar date kept as its YYYY-MM-DD string both ways (graphql-scalars' Date would make a Date at midnight UTC). */
const DateScalar = new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' });

export const baseResolvers: Resolvers = {
  DateTime,
  Date: DateScalar,
  JSONObject: JSONObjectResolver,
  Query: {
    apiInfo: () => ({ name: 'lineage-graph', version: packageJson.version }),
  },
};
