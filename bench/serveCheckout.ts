/**
 * The child process in which the throughput bench runs an API under load (measure/throughput.ts
 * forks it): a checkout's API on a Neo4j that is already running, alone in its process as deployed,
 * so that its CPU figure is its own. In the bench's process it would share a heap with the
 * harness (the generated estate, every figure so far) and with the other checkout's API, and collect
 * their garbage on its clock: at medium a 99-record impact cost 1.78 ms of CPU per request there and
 * 1.04 ms here (bench/README.md, the eighth round).
 *
 * Messages from the parent: `{ start: { dir, uri, user, password, database } }`, answered `{ url }` (or `{ error }`);
 * `'cpu'`, answered `{ cpu }` (this process's user and system seconds so far); `'stop'`.
 */
import path from 'node:path';

interface Start {
  dir: string;
  uri: string;
  user: string;
  password: string | undefined;
  database: string;
}

type RunningApp = import('../src/app').RunningApp;

const send = (message: unknown) => process.send?.(message);
let running: RunningApp | undefined;

async function start({ dir, uri, user, password, database }: Start): Promise<void> {
  // The checkout's own modules, from its own folder: it shares nothing with this one but the database.
  const { startApp } = require(path.join(dir, 'src/app')) as typeof import('../src/app');
  const { loadConfig } = require(path.join(dir, 'src/config')) as typeof import('../src/config');
  const { createLogger } = require(path.join(dir, 'src/logger')) as typeof import('../src/logger');
  running = await startApp(loadConfig({ PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, NEO4J_DATABASE: database }), createLogger('warn'));
  send({ url: running.url });
}

process.on('message', (message: unknown) => {
  if (message === 'cpu') {
    const usage = process.cpuUsage();
    send({ cpu: (usage.user + usage.system) / 1e6 });
  } else if (message === 'stop') {
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  } else if (typeof message === 'object' && message !== null && 'start' in message) {
    start((message as { start: Start }).start).catch((error: unknown) => send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  }
});
// The bench ending, however it ends, ends this process too.
process.on('disconnect', () => process.exit(0));
