import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedNeo4j, EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createLogger } from '../../src/logger';

declare global {
  // eslint-disable-next-line no-var
  var __LINEAGE_TEST_NEO4J__: { neo4j: EmbeddedNeo4j; dataDir: string } | undefined;
}


/** One Neo4j for the whole run: the embedded one on a free port and a throwaway folder, unless NEO4J_URI names another. */
export default async function globalSetup(): Promise<void> {
  if (process.env.NEO4J_URI) return;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-graph-test-'));
  const neo4j = await startEmbeddedNeo4j(
    { port: await freePort(), dataDir, password: undefined, heap: '1g', pageCache: '256m', startupTimeoutMs: 300_000 },
    createLogger('info'),
  );
  process.env.NEO4J_URI = neo4j.uri;
  process.env.LINEAGE_TEST_EMBEDDED = '1';
  globalThis.__LINEAGE_TEST_NEO4J__ = { neo4j, dataDir };
}
