/**
 * Throughput: requests per second under autocannon on loopback, of this checkout's API and, with
 * --against, of another checkout's, each in a process of its own on the same Neo4j.
 */
import path from 'node:path';
import { execFile, fork, Serializable } from 'node:child_process';
import { promisify } from 'node:util';
import type { Neo4jConnection } from '../../src/db/gateway';
import { IMPACT_DEPTH, Root } from '../estate';
import { Bench, cpuSeconds, Json, operationName } from './harness';
import { IMPACT, IMPACT_NAMES, LOOKUP } from './operations';
import { int, ms, table } from '../report';

const execFileAsync = promisify(execFile);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');

/** An API under test for throughput, in its own process (bench/serveCheckout.ts): this checkout's, or another's (--against). */
export interface Target {
  label: string;
  url: string;
  /** The API process's user and system CPU so far, in seconds (its own process.cpuUsage). */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** One autocannon run: its requests, seconds, CPU used meanwhile, and its latency percentiles. */
interface Run {
  requests: number;
  errors: number;
  seconds: number;
  node: number;
  neo4j: number | undefined;
  latency: { p50: number; p97_5: number; p99: number };
}

interface Hammered {
  requestsPerSecond: number;
  requests: number;
  /** This process's CPU over the runs divided by the requests: the API's own work per request. */
  cpuMsPerRequest: number;
  /** The same for the embedded Neo4j, when there is one. */
  neo4jCpuMsPerRequest: number | undefined;
  row: Array<string | number>;
}

/**
 * autocannon in a child process, so that it shares neither the API's event loop nor its CPU
 * figure: what this process uses while it runs is the API (and the driver) serving it.
 */
async function hammer(bench: Bench, target: Target, label: string, query: string, variables: Json, seconds: number): Promise<Run> {
  const body = JSON.stringify({ query, variables, operationName: operationName(query) });
  const before = { api: await target.cpuSeconds(), ...cpuSeconds(bench.app.embedded?.pid) };
  const { stdout } = await execFileAsync(process.execPath, [
    AUTOCANNON, '--json', '--connections', String(bench.plan.connections), '--duration', String(seconds),
    // A heavy query under load can take seconds; a timeout would hide its latency.
    '--timeout', '120', '--method', 'POST',
    '-H', 'content-type=application/json', '-H', `authorization=Bearer ${bench.keys.viewer}`, '--body', body, target.url,
  ], { maxBuffer: 64 * 1024 * 1024 });
  const after = { api: await target.cpuSeconds(), ...cpuSeconds(bench.app.embedded?.pid) };
  const result = JSON.parse(stdout) as Json;
  bench.check(result.errors === 0 && result.non2xx === 0 && result.timeouts === 0, `autocannon ${label} (${target.label}): ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  return {
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    seconds: result.duration,
    node: after.api - before.api,
    neo4j: after.neo4j !== undefined && before.neo4j !== undefined ? after.neo4j - before.neo4j : undefined,
    latency: result.latency,
  };
}

/** The runs of one API as one figure: totals, and latencies averaged with the runs' requests as weights. */
function combine(label: string, target: Target, runs: Run[]): Hammered {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const perRequest = (seconds: number) => (1000 * seconds) / Math.max(requests, 1);
  const neo4jSeconds = runs.every((run) => run.neo4j !== undefined) ? runs.reduce((sum, run) => sum + run.neo4j!, 0) : undefined;
  const latency = (key: keyof Run['latency']) => runs.reduce((sum, run) => sum + run.latency[key] * run.requests, 0) / Math.max(requests, 1);
  const hammered = {
    requestsPerSecond: requests / runs.reduce((sum, run) => sum + run.seconds, 0),
    requests,
    cpuMsPerRequest: perRequest(runs.reduce((sum, run) => sum + run.node, 0)),
    neo4jCpuMsPerRequest: neo4jSeconds === undefined ? undefined : perRequest(neo4jSeconds),
  };
  return {
    ...hammered,
    row: [label, target.label, int(hammered.requestsPerSecond), int(requests), ms(hammered.cpuMsPerRequest), hammered.neo4jCpuMsPerRequest === undefined ? 'n/a' : ms(hammered.neo4jCpuMsPerRequest),
      ms(latency('p50')), ms(latency('p97_5')), ms(latency('p99')), runs.reduce((sum, run) => sum + run.errors, 0)],
  };
}

export async function benchThroughput(bench: Bench, targets: Target[], roots: { hot: Root & { id: string }; typical: Root & { id: string }; foundation: Root & { id: string } }) {
  const depth = IMPACT_DEPTH;
  const scenarios = [
    { key: 'lookup', label: 'lookup `node(id)`', query: LOOKUP, variables: { id: roots.hot.id } },
    { key: 'typical', label: `impact, typical raw dataset (${roots.typical.radius} records), the screen`, query: IMPACT, variables: { id: roots.typical.id, depth } },
    { key: 'names', label: `impact, ${roots.foundation.label} (${roots.foundation.radius} records), \`items { entity { id name } distance }\``, query: IMPACT_NAMES, variables: { id: roots.foundation.id, depth } },
    { key: 'screen', label: `impact, ${roots.foundation.label}, the screen`, query: IMPACT, variables: { id: roots.foundation.id, depth } },
    { key: 'hot', label: `impact, hot dataset (${roots.hot.radius} records), the screen`, query: IMPACT, variables: { id: roots.hot.id, depth } },
  ];
  // Two APIs take turns in halves, A B B A, so that a change in the machine's load meets both alike.
  const order = targets.length > 1 ? [targets[0], targets[1], targets[1], targets[0]] : targets;
  const seconds = Math.max(1, Math.round((bench.plan.seconds * targets.length) / order.length));
  const rows: Array<Array<string | number>> = [];
  const measured = new Map<string, Hammered>();
  for (const scenario of scenarios) {
    const runs = new Map<Target, Run[]>(targets.map((target) => [target, []]));
    for (const target of targets) {
      // Must succeed before it is hammered.
      await bench.http(scenario.query, scenario.variables, undefined, target.url);
      // Each API starts in a fresh process: the first seconds of load would measure V8 compiling
      // it. A server that has been up a while has compiled its paths, so each target is hammered
      // untimed first.
      await hammer(bench, target, `${scenario.label} (warm-up)`, scenario.query, scenario.variables, seconds);
    }
    for (const target of order) runs.get(target)!.push(await hammer(bench, target, scenario.label, scenario.query, scenario.variables, seconds));
    for (const target of targets) {
      const hammered = combine(scenario.label, target, runs.get(target)!);
      measured.set(`${scenario.key}|${target.label}`, hammered);
      rows.push(hammered.row);
    }
  }
  bench.section('Requests per second under concurrency (autocannon, loopback)',
    `${bench.plan.connections} connections, ${bench.plan.seconds} s per scenario and API, HTTP POST to /graphql with a VIEWER API key; autocannon runs in a child process on the same machine as Neo4j and the API (all three share the cores). Each API runs in a process of its own (bench/serveCheckout.ts), as deployed, not in the bench's, whose heap holds the generated estate and the figures. API CPU per request: the API process's user and system CPU over the run (its process.cpuUsage), divided by the requests served; Neo4j's likewise, from /proc (the JVM's ticks, 10 ms each). Before each scenario every API is hammered untimed for ${seconds} s, so that its code is compiled as in a server that has been up a while.${targets.length > 1 ? ` ${targets[1].label} is the API of another checkout, started the same way on the same Neo4j and hammered with the same requests; the two take turns, ${seconds} s at a time, A B B A, and their latencies are the runs' averaged by requests.` : ''}\n\n${table(['scenario', 'API', 'requests/s (mean)', 'requests', 'API CPU per request (ms)', 'Neo4j CPU per request (ms)', 'latency p50 (ms)', 'p97.5', 'p99', 'errors'], rows)}`);
  const names = measured.get(`names|${targets[0].label}`)!;
  const before = targets[1] ? measured.get(`names|${targets[1].label}`) : undefined;
  return { names, before };
}

const SERVE_CHECKOUT = path.join(__dirname, '../serveCheckout.ts');

/**
 * Starts a checkout's API (this one's or --against's) in a child process on the database the bench
 * uses. The child inherits this process's Node flags (tsx's loader) and NODE_ENV.
 */
export async function startTarget(label: string, dir: string, connection: Neo4jConnection): Promise<Target> {
  const child = fork(SERVE_CHECKOUT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the API process of ${label} exited (${code})`))));
  exited.catch(() => undefined);
  // The child answers one message at a time, in order: each request waits for the next reply.
  // A process gone (crashed, or killed by a signal) has no channel: sending on it would raise an error event.
  const reply = <T>(message: Serializable) =>
    Promise.race([
      exited,
      new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`the API process of ${label} is gone`));
        child.once('message', (answer) => resolve(answer as T));
        child.send(message);
      }),
    ]);
  const started = await reply<{ url?: string; error?: string }>({ start: { dir, uri: connection.uri, user: connection.user, password: connection.password, database: connection.database } });
  if (!started.url) {
    child.kill();
    throw new Error(`the API of ${label} did not start: ${started.error}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    label,
    url: started.url,
    cpuSeconds: async () => (await reply<{ cpu: number }>('cpu')).cpu,
    stop: () =>
      (stopped ??= !child.connected ? Promise.resolve() : new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      })),
  };
}
