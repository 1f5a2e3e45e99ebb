import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { freePort, startEmbeddedNeo4j, EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { silentLogger } from '../../src/logger';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';

const DATASETS = 6_000;

/** A long derivation chain: big enough that its one transaction takes seconds to write. */
function largePayload(source: string) {
  return {
    source,
    assets: { datasets: Array.from({ length: DATASETS }, (_, i) => ({ externalId: `d${i}`, name: `Dataset ${i}`, tags: ['bulk'] })) },
    relationships: Array.from({ length: DATASETS - 1 }, (_, i) => ({
      type: 'DERIVED_FROM',
      from: { type: 'Dataset', externalId: `d${i + 1}` },
      to: { type: 'Dataset', externalId: `d${i}` },
    })),
  };
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('Neo4j killed in the middle of a large sync: 503 and SERVICE_UNAVAILABLE while down, no partial batch, recovery by itself, the sync completes on re-run', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-outage-'));
  const embedded = { port: await freePort(), dataDir, password: undefined, heap: '1g', pageCache: '128m', startupTimeoutMs: 300_000 };
  let database: EmbeddedNeo4j = await startEmbeddedNeo4j(embedded, silentLogger);
  let api: TestApi | undefined;
  const observer = neo4j.driver(database.uri, undefined, { maxTransactionRetryTime: 0 });
  try {
    api = await createTestApi({ NEO4J_URI: database.uri, NEO4J_MAX_RETRY_MS: '500', MAX_SYNC_BATCH: '40000' });
    const base = `http://127.0.0.1:${api.app.port}`;
    const source = unique('outage');
    const count = async () =>
      (await api!.data<{ entities: { totalCount: number } }>('query($s: String) { entities(filter: { source: $s }) { totalCount } }', { s: source })).entities.totalCount;

    const running = api.execute(SYNC, { input: largePayload(source) });
    // Kill only once the sync's transaction is writing, as seen from another session.
    await waitFor(async () => {
      const session = observer.session();
      try {
        const result = await session.run('SHOW TRANSACTIONS YIELD currentQuery RETURN collect(currentQuery) AS queries');
        // The entity or relationship writes of sync (CREATE for new records, MERGE for known ones).
        return (result.records[0].get('queries') as string[]).some((query) => /(CREATE|MERGE) \((n:Entity|a\)-\[r)/.test(query));
      } finally {
        await session.close();
      }
    }, 'the sync to start writing');
    await database.kill();

    const interrupted = await running;
    expect(interrupted.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    const whileDown = await api.execute('{ entities { totalCount } }');
    expect(whileDown.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');

    database = await startEmbeddedNeo4j(embedded, silentLogger);
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 'the API to see Neo4j again');
    expect(await count()).toBe(0);

    const rerun = await api.data(SYNC, { input: largePayload(source) });
    expect(rerun.syncInventory.assets).toMatchObject({ created: DATASETS });
    expect(rerun.syncInventory.relationships).toMatchObject({ created: DATASETS - 1 });
    expect(await count()).toBe(DATASETS);
  } finally {
    await observer.close();
    await api?.close();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 400_000);
