import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { Express } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Config } from './config';
import type { GraphQLContext } from './context';
import { EstateService } from './estate/estateService';
import { LineageService } from './lineage/lineageService';
import { ComplianceService } from './compliance/complianceService';
import { mountCoverageExport } from './compliance/httpExport';
import type { Neo4jGateway } from './db/gateway';
import type { Logger } from './logger';
import { mountPlayground } from './playground';
import { loadTypeDefs } from './schema';
import { resolvers } from './resolvers';

export const GRAPHQL_PATH = '/graphql';

export interface ApiServer {
  app: Express;
  httpServer: http.Server;
  deps: ApiDependencies;
  apollo: ApolloServer<GraphQLContext>;
  /** Starts listening; resolves with the bound port (useful when `config.port` is 0). */
  listen(): Promise<number>;
  stop(): Promise<void>;
}

export interface ApiDependencies {
  config: Config;
  logger: Logger;
  gateway: Neo4jGateway;
  schema: GraphQLSchema;
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
}

/** Codes that describe the client's request; every other error is masked before it leaves. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
]);

export function formatError(formatted: GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (CLIENT_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('unexpected error', { message: formatted.message, path: formatted.path, extensions: formatted.extensions });
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export function buildContext(deps: ApiDependencies, operation: string | undefined, actor = 'anonymous', requestId: string = randomUUID()): GraphQLContext {
  const db = deps.gateway.forRequest({ operation, requestId });
  return {
    requestId,
    actor,
    config: deps.config,
    logger: deps.logger,
    schema: deps.schema,
    db,
    services: { estate: new EstateService(db, deps.config, deps.schema, actor), compliance: new ComplianceService(db, actor), lineage: new LineageService(db, deps.config) },
  };
}

export async function createApiServer(deps: Omit<ApiDependencies, 'schema'>): Promise<ApiServer> {
  const { config, logger, gateway } = deps;
  const schema = buildSchema();
  const contextDeps: ApiDependencies = { ...deps, schema };
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown: it must stop the HTTP server, then the driver, then the embedded Neo4j.
    stopOnTerminationSignals: false,
    formatError: (formatted) => formatError(formatted, logger),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const reachable = await gateway.ping();
    res.status(reachable ? 200 : 503).json({ status: reachable ? 'ready' : 'unavailable', neo4j: reachable });
  });
  mountPlayground(app, GRAPHQL_PATH);
  mountCoverageExport(app, contextDeps);
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '10mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => buildContext(contextDeps, typeof req.body?.operationName === 'string' ? req.body.operationName : undefined),
    }),
  );

  return {
    app,
    httpServer,
    apollo,
    deps: contextDeps,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address !== null ? address.port : config.port);
        });
      }),
    stop: () => apollo.stop(),
  };
}
