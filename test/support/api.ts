import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { startApp, RunningApp } from '../../src/app';
import type { Principal } from '../../src/auth/access';
import { loadConfig, Config } from '../../src/config';
import type { GraphQLContext } from '../../src/context';
import { Logger, silentLogger } from '../../src/logger';

export interface ExecutionResult<Data> {
  data: Data | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
  context: GraphQLContext;
}

/** A principal, or a plain name acting with full rights (as seeds and scripts do). */
export type Caller = Principal | string;

/** What an anonymous visitor of the local demo is: full rights over the data, named `anonymous`. */
export const DEMO_VISITOR: Principal = { name: 'anonymous', kind: 'anonymous', role: 'ADMIN' };

export interface TestApi {
  app: RunningApp;
  config: Config;
  execute<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<ExecutionResult<Data>>;
  /** Runs an operation that must succeed; prints the query and the errors when it does not. */
  data<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<Data>;
  close(): Promise<void>;
}

/** The API on the test run's Neo4j, listening on a free port, without the demo estate. */
export async function createTestApi(env: NodeJS.ProcessEnv = {}, logger: Logger = silentLogger): Promise<TestApi> {
  const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, PORT: '0', SEED_DEMO: 'false', ...env });
  const app = await startApp(config, logger);

  const execute = async <Data>(query: string, variables: Record<string, unknown> = {}, caller: Caller = DEMO_VISITOR): Promise<ExecutionResult<Data>> => {
    const context = app.server.createContext('test', caller, randomUUID());
    const response = await app.server.apollo.executeOperation<Data>({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('Expected a single GraphQL result');
    return { data: response.body.singleResult.data ?? undefined, errors: response.body.singleResult.errors, context };
  };

  return {
    app,
    config,
    execute,
    data: async <Data>(query: string, variables?: Record<string, unknown>, caller?: Caller) => {
      const result = await execute<Data>(query, variables, caller);
      if (result.errors !== undefined) {
        throw new Error(`GraphQL errors:\n${JSON.stringify(result.errors, null, 2)}\nquery:\n${query}\nvariables: ${JSON.stringify(variables)}`);
      }
      return result.data as Data;
    },
    close: () => app.stop(),
  };
}

/** A string no other test uses, for sources, external ids and names that keep tests apart. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
