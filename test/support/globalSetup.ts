import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedNeo4j, EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createLogger } from '../../src/logger';

declare global {
  // eslint-disable-next-line no-var
  var __LINEAGE_TEST_NEO4J__: { neo4j: EmbeddedNeo4j; dataDir: string } | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
