import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__LINEAGE_TEST_NEO4J__;
  if (!started) return;
  await started.neo4j.stop();
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
