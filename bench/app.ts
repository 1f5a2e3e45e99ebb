/**
 * What every bench entry point starts with: the API in this process on a free port, without the
 * demo estate, on a throwaway embedded Neo4j (or on NEO4J_URI when set), and a driver of its own
 * for the checks and baselines that go around the API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { startApp, RunningApp } from '../src/app';
import { loadConfig, Config } from '../src/config';
import { freePort } from '../src/db/embeddedNeo4j';
import { createDriver, Neo4jConnection } from '../src/db/gateway';
import { createLogger } from '../src/logger';

export interface BenchApp {
  app: RunningApp;
  config: Config;
  /** The database the API uses, as a client outside the API reaches it. */
  connection: Neo4jConnection;
  driver: Driver;
  /** Closes the driver, stops the API (and its Neo4j) and deletes the throwaway data folder. */
  stop(): Promise<void>;
}

export interface PreparedBenchApp {
  config: Config;
  start(): Promise<BenchApp>;
}

/**
 * Loads the configuration without starting anything, so that a bench can size its work by it
 * (MAX_SYNC_BATCH) and say so before Neo4j takes its time to start. `overrides` are environment
 * variables on top of the shared ones.
 */
export async function prepareBenchApp(overrides: NodeJS.ProcessEnv = {}): Promise<PreparedBenchApp> {
  const external = process.env.NEO4J_URI;
  const dataDir = external ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-graph-bench-'));
  const removeDataDir = () => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let config: Config;
  try {
    config = loadConfig({
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      // As deployed: production settings (and process-wide ones, such as source maps off) when the bench runs with NODE_ENV=production.
      NODE_ENV: process.env.NODE_ENV,
      NEO4J_URI: external,
      NEO4J_USER: process.env.NEO4J_USER,
      NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
      NEO4J_DATABASE: process.env.NEO4J_DATABASE,
      EMBEDDED_NEO4J_DATA_DIR: dataDir,
      EMBEDDED_NEO4J_PORT: String(await freePort()),
      EMBEDDED_NEO4J_STARTUP_TIMEOUT_MS: '300000',
      ...overrides,
    });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  const start = async (): Promise<BenchApp> => {
    let app: RunningApp;
    try {
      app = await startApp(config, createLogger('warn'));
    } catch (error) {
      removeDataDir();
      throw error;
    }
    const connection = app.embedded
      ? { uri: app.embedded.uri, user: 'neo4j', password: config.neo4j.embedded.password, database: 'neo4j' }
      : { uri: external!, user: config.neo4j.user, password: config.neo4j.password, database: config.neo4j.database };
    const driver = createDriver(connection);
    return {
      app,
      config,
      connection,
      driver,
      stop: async () => {
        await driver.close();
        await app.stop();
        removeDataDir();
      },
    };
  };
  return { config, start };
}

export async function startBenchApp(overrides: NodeJS.ProcessEnv = {}): Promise<BenchApp> {
  return (await prepareBenchApp(overrides)).start();
}

/** Runs a bench's `main` and exits with the code it returns; a throw prints its stack and exits 1. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
