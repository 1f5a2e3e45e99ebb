import type { Config } from './config';
import { CypherCatalog } from './db/cypherCatalog';
import { createDriver, Neo4jGateway } from './db/gateway';
import { applyMigrations } from './db/migrations';
import { SupervisedNeo4j } from './db/supervisedNeo4j';
import type { Logger } from './logger';
import { createApiServer, ApiServer } from './server';
import { loadDemoEstate } from './seed/demoEstate';
import { loadComplianceCatalogues } from './seed/compliance';

export interface RunningApp {
  url: string;
  port: number;
  gateway: Neo4jGateway;
  server: ApiServer;
  embedded: SupervisedNeo4j | undefined;
  stop(): Promise<void>;
}

/** Connects to (or starts) Neo4j, migrates it, and serves the API. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  // neo4j-driver formats a stack trace for every statement (to point its errors at the caller), and
  // with source maps on (tsx turns them on) each costs a source-map lookup per frame: a tenth of the
  // API's CPU on a lookup. In production, stacks keep the positions of the code as it runs.
  if (config.production) process.setSourceMapsEnabled(false);
  const embedded = config.neo4j.uri === undefined ? await SupervisedNeo4j.start(config.neo4j.embedded, logger) : undefined;
  const connection = embedded
    ? { uri: embedded.uri, user: 'neo4j', password: config.neo4j.embedded.password, database: 'neo4j', maxRetryMs: config.neo4j.maxRetryMs }
    : { uri: config.neo4j.uri!, user: config.neo4j.user, password: config.neo4j.password, database: config.neo4j.database, maxRetryMs: config.neo4j.maxRetryMs };
  const gateway = new Neo4jGateway(createDriver(connection), connection.database, CypherCatalog.load(), logger, connection.maxRetryMs);
  try {
    await applyMigrations(gateway, logger);
    const server = await createApiServer({ config, logger, gateway }, embedded);
    await loadComplianceCatalogues(server, logger);
    logger.info(config.seedDemo.enabled ? 'seeding the demo estate into an empty database' : 'not seeding the demo estate', { reason: config.seedDemo.reason });
    if (config.seedDemo.enabled) {
      await loadDemoEstate(server, logger);
    }
    const port = await server.listen();
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
    return {
      url,
      port,
      gateway,
      server,
      embedded,
      stop: async () => {
        await server.stop();
        await gateway.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await gateway.close();
    await embedded?.stop();
    throw error;
  }
}
