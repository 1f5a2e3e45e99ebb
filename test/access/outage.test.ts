import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import neo4j from 'neo4j-driver';
import { freePort, startEmbeddedNeo4j, EmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createLogger, silentLogger } from '../../src/logger';
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

/**
 * Polls until the condition holds. A poll that fails (a keep-alive connection the server closed as
 * fetch reused it: ECONNRESET under load) is a poll that did not see it yet.
 */
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastFailure: unknown;
  while (!(await condition().catch((error: unknown) => ((lastFailure = error), false)))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${lastFailure ? ` (last poll failed: ${String(lastFailure)})` : ''}`);
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

/** Listens on a port until closed, retrying while the process that held it is still dying. */
async function holdPort(port: number): Promise<net.Server> {
  for (;;) {
    const server = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) return server;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('the API restarts its own embedded Neo4j after a kill -9, with backoff, reports it in /healthz, and a deliberate stop stays stopped', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-supervised-'));
  const port = await freePort();
  const logs: Array<Record<string, unknown>> = [];
  const logged = (msg: string) => logs.filter((line) => line.msg === msg);
  let api: TestApi | undefined;
  try {
    api = await createTestApi(
      { NEO4J_URI: '', EMBEDDED_NEO4J_PORT: String(port), EMBEDDED_NEO4J_DATA_DIR: dataDir, EMBEDDED_NEO4J_HEAP: '512m', EMBEDDED_NEO4J_PAGECACHE: '64m' },
      createLogger('info', (line) => logs.push(JSON.parse(line))),
    );
    const app = api.app;
    const base = `http://127.0.0.1:${app.port}`;
    const health = async () => {
      const response = await fetch(`${base}/healthz`);
      return { status: response.status, body: (await response.json()) as { status: string; embeddedNeo4j: { state: string; restarts: number; failedRestarts: number } } };
    };
    const ready = async () => (await fetch(`${base}/readyz`)).status === 200;
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', embeddedNeo4j: { healthy: true, state: 'running', restarts: 0, failedRestarts: 0 } } });
    const { createOwner } = await api.data('mutation($x: String!) { createOwner(input: { externalId: $x, name: "Kept across the crash" }) { id } }', { x: unique('owner') });

    const first = app.embedded!.pid;
    process.kill(first, 'SIGKILL');
    await waitFor(async () => (await health()).body.embeddedNeo4j.state === 'restarting', 'the API to see Neo4j die');
    expect((await health()).status).toBe(200);
    expect(await ready()).toBe(false);
    await waitFor(ready, 'Neo4j to come back by itself', 180_000);
    expect(app.embedded!.pid).not.toBe(first);
    expect((await health()).body.embeddedNeo4j).toMatchObject({ state: 'running', restarts: 1, failedRestarts: 0 });
    expect(await api.data('query($id: ID!) { node(id: $id) { ... on Owner { name } } }', { id: createOwner.id })).toEqual({ node: { name: 'Kept across the crash' } });
    expect(logged('embedded neo4j exited')).toEqual([expect.objectContaining({ level: 'error', pid: first, code: null, signal: 'SIGKILL' })]);
    expect(logged('restarting embedded neo4j')).toEqual([expect.objectContaining({ attempt: 1, afterMs: 1_000 })]);
    expect(logged('embedded neo4j recovered')).toEqual([expect.objectContaining({ attempt: 1, pid: app.embedded!.pid })]);

    // Something else takes the port while Neo4j is down: each restart fails, waiting longer each time, and the
    // process calls itself unhealthy after three; once the port is free again, the next attempt brings it back.
    process.kill(app.embedded!.pid, 'SIGKILL');
    const squatter = await holdPort(port);
    try {
      await waitFor(async () => (await health()).status === 503, 'restarts to keep failing', 180_000);
      expect((await health()).body).toMatchObject({ status: 'failing', embeddedNeo4j: { state: 'restarting', failedRestarts: 3 } });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    await waitFor(ready, 'Neo4j to come back once the port is free', 180_000);
    expect((await health()).body).toMatchObject({ status: 'ok', embeddedNeo4j: { state: 'running', restarts: 2, failedRestarts: 0 } });
    expect(logged('restarting embedded neo4j').slice(1).map((line) => line.afterMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(logged('embedded neo4j restart failed')).toHaveLength(3);

    const last = app.embedded!.pid;
    const restartsBeforeStop = logged('restarting embedded neo4j').length;
    await api.close();
    api = undefined;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(() => process.kill(last, 0)).toThrow(/ESRCH/);
    expect(logged('restarting embedded neo4j')).toHaveLength(restartsBeforeStop);
    expect(logged('embedded neo4j exited')).toHaveLength(2);
  } finally {
    await api?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 600_000);
