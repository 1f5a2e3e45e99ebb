import type { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';

/** Runs one operation and returns its data, or throws its first error with the code the API gave it. */
export type RunOperation = <Data>(query: string, variables?: Record<string, unknown>) => Promise<Data>;

/**
 * Operations sent through Apollo itself, with one caller's context: its role, the query-cost and
 * depth guards, the request log line and the masking of internal errors apply exactly as they do
 * to a request over HTTP. Every operation of one report shares the context (one request id, one
 * read of the history bounds).
 */
export function operationRunner(apollo: ApolloServer<GraphQLContext>, context: GraphQLContext): RunOperation {
  return async <Data>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await apollo.executeOperation<Data>({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('expected a single GraphQL result');
    const { data, errors } = response.body.singleResult;
    if (errors && errors.length > 0) throw new GraphQLError(errors[0].message, { extensions: errors[0].extensions });
    return data as Data;
  };
}
