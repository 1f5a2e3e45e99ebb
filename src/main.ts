import fs from 'node:fs';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { startApp } from './app';
import { COVERAGE_PAGE_PATH, EXPLORE_PATH } from './explorer/routes';

async function main(): Promise<void> {
  // A local .env is a convenience for development; real deployments set the environment.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    // `npm start` is the local demo: `--demo` makes DEMO_MODE the default, which the environment may still override.
    config = loadConfig(process.argv.includes('--demo') ? { DEMO_MODE: 'true', ...process.env } : process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, logger);
  const playground = app.url.replace('127.0.0.1', 'localhost');
  const origin = new URL(playground).origin;
  process.stdout.write(`\nLineage Graph is ready.\n  Playground: ${playground}\n  Explorer:   ${origin}${EXPLORE_PATH}\n  Coverage:   ${origin}${COVERAGE_PAGE_PATH}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    try {
      await app.stop();
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error: String(error) });
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Lineage Graph failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
