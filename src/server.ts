import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { Express } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createAuthenticator } from './auth/authenticate';
import type { Config } from './config';
import { ContextFactory, createContextFactory, GraphQLContext } from './context';
import { mountCoverageExport } from './compliance/httpExport';
import { mountSoaExport } from './compliance/soaHttp';
import type { Neo4jGateway } from './db/gateway';
import { mountFormatRoutes } from './formats/httpRoutes';
import { mountOpenLineage } from './formats/openlineage/httpRoute';
import { mountSignals } from './signals/httpRoute';
import type { Neo4jProcessHealth } from './db/supervisedNeo4j';
import type { Logger } from './logger';
import { EXPLORE_PATH, mountExplorer } from './explorer/routes';
import { mountPlayground } from './playground';
import { mountReportExport } from './report/httpRoute';
import { loadTypeDefs } from './schema';
import { operationWeigher } from './limits';
import { GraphQLContextFor, graphqlPostServer, refuseBody } from './graphqlHttp';
import { resolvers } from './resolvers';

export const GRAPHQL_PATH = '/graphql';

export interface ApiServer {
  app: Express;
  httpServer: http.Server;
  schema: GraphQLSchema;
  /** Builds request contexts for work outside HTTP: seeds, scripts, tests. */
  createContext: ContextFactory;
  apollo: ApolloServer<GraphQLContext>;
  /** Starts listening; resolves with the bound port (useful when `config.port` is 0). */
  listen(): Promise<number>;
  stop(): Promise<void>;
}

export interface ApiDependencies {
  config: Config;
  logger: Logger;
  gateway: Neo4jGateway;
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers });
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

/**
 * Apollo refuses some requests before GraphQL sees them with a 4xx status and no code: a persisted
 * query whose sha256Hash does not match its text, an unknown persisted-query version.
 */
function refusedRequest(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** `error`: what was thrown, when Apollo has it; `formatted` is what the client would see. */
export function formatError(formatted: GraphQLFormattedError, logger: Logger, error?: unknown): GraphQLFormattedError {
  if (refusedRequest(error)) return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (CLIENT_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('unexpected error', { message: formatted.message, path: formatted.path, extensions: formatted.extensions });
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A caller's own request id when it is a sane token (so logs join across systems), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Refuses operations deeper, wider or costlier than configured before any resolver runs, and
 * writes one JSON log line per request; every error the client sees carries the request id the log
 * shares.
 */
function guardAndLogPlugin(config: Config, logger: Logger, schema: GraphQLSchema): ApolloServerPlugin<GraphQLContext> {
  const weighOperation = operationWeigher(schema);
  return {
    async requestDidStart() {
      const started = Date.now();
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const { depth, cost, rootFields } = weighOperation(document, operation, request.variables ?? {});
          const { maxQueryDepth, maxQueryCost, maxRootFields } = config.limits;
          const what =
            depth > maxQueryDepth ? `depth ${depth} exceeds the limit of ${maxQueryDepth}. Ask for fewer levels`
            : rootFields > maxRootFields ? `${rootFields} top-level fields exceed the limit of ${maxRootFields}. Split it into several requests`
            : cost > maxQueryCost ? `estimated cost ${cost} exceeds the limit of ${maxQueryCost}. Ask for fewer or cheaper fields, or smaller pages`
            : undefined;
          if (what) {
            throw new GraphQLError(`The query is too large: ${what}.`, {
              extensions: { code: 'BAD_USER_INPUT', depth, cost, rootFields, maxQueryDepth, maxQueryCost, maxRootFields, http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ contextValue, response, operationName }) {
          // The codes logged are the ones the client received, after formatError.
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          if (response.body.kind === 'single' && sent.length > 0) {
            response.body.singleResult.errors = sent.map((error) => ({
              ...error,
              extensions: { ...error.extensions, requestId: contextValue.requestId },
            }));
          }
          const codes = [...new Set(sent.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info('request', {
            requestId: contextValue.requestId,
            operation: operationName ?? null,
            caller: contextValue.actor,
            role: contextValue.access.principal.role,
            durationMs: Date.now() - started,
            outcome: codes.length === 0 ? 'ok' : 'error',
            ...(codes.length > 0 ? { errorCodes: codes } : {}),
            neo4jQueries: contextValue.db.queryCount,
          });
        },
      };
    },
  };
}

/** `embeddedNeo4j`: the Neo4j process this API runs and restarts, when it runs one. */
export async function createApiServer(deps: ApiDependencies, embeddedNeo4j?: { health(): Neo4jProcessHealth }): Promise<ApiServer> {
  const { config, logger, gateway } = deps;
  const schema = buildSchema();
  const createContext = createContextFactory({ ...deps, schema });
  const authenticate = createAuthenticator(config, gateway);
  const app = express();
  app.disable('x-powered-by');
  // Requests reach Express only after the GraphQL POST has been offered to graphqlPostServer (below).
  const httpServer = http.createServer();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown: it must stop the HTTP server, then the driver, then the embedded Neo4j.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, logger, error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No field carries a cache hint, and the default cache-control plugin wraps every resolver to
      // look for one: about 5% of a thousand-record impact went to that.
      ApolloServerPluginCacheControlDisabled(),
      guardAndLogPlugin(config, logger, schema),
    ],
  });
  await apollo.start();

  // The process stays healthy while its Neo4j restarts (readiness says it cannot serve meanwhile);
  // only restarts that keep failing make it unhealthy, so that an orchestrator replaces it.
  app.get('/healthz', (_req, res) => {
    const neo4j = embeddedNeo4j?.health();
    const healthy = neo4j?.healthy ?? true;
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'failing', ...(neo4j ? { embeddedNeo4j: neo4j } : {}) });
  });
  app.get('/readyz', async (_req, res) => {
    const reachable = await gateway.ping();
    res.status(reachable ? 200 : 503).json({ status: reachable ? 'ready' : 'unavailable', neo4j: reachable });
  });
  mountPlayground(app, GRAPHQL_PATH, EXPLORE_PATH);
  mountExplorer(app, GRAPHQL_PATH, logger);
  mountCoverageExport(app, { createContext, authenticate, logger });
  mountSoaExport(app, { createContext, authenticate, logger });
  mountFormatRoutes(app, { createContext, authenticate, logger });
  mountReportExport(app, { createContext, authenticate, logger, apollo });
  mountOpenLineage(app, { createContext, authenticate, logger, config });
  mountSignals(app, { createContext, authenticate, logger, config });
  const contextFor: GraphQLContextFor = async (req, res, body) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const principal = await authenticate(req.headers.authorization);
    const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
    const operation = typeof operationName === 'string' ? operationName : undefined;
    return createContext(operation, principal, requestId);
  };
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: config.limits.maxBodyBytes }),
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res, req.body) }),
  );
  // Body-parser failures (a body over MAX_BODY_BYTES, malformed JSON) answer in GraphQL's error shape.
  app.use((error: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!error || typeof error.status !== 'number' || error.status >= 500) return next(error);
    refuseBody(res, error.status, config.limits.maxBodyBytes);
  });
  const serveGraphQLPost = graphqlPostServer(apollo, { path: GRAPHQL_PATH, contextFor, maxBodyBytes: config.limits.maxBodyBytes, logger });
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!serveGraphQLPost(req, res)) app(req, res);
  });

  return {
    app,
    httpServer,
    apollo,
    schema,
    createContext,
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
