/**
 * The measuring harness of `npm run bench`: the API under test with the ways to call it (HTTP,
 * in-process), timed series, checks, the Cypher it sends captured for the raw baselines, PROFILE,
 * and CPU and per-query clocks.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import neo4j, { Driver } from 'neo4j-driver';
import type { RunningApp } from '../../src/app';
import type { Config } from '../../src/config';
import { toNeo4j } from '../../src/db/neo4jValues';
import type { QueryName } from '../../src/generated/queries';
import type { SizeName } from '../generate';
import { postJson } from '../httpClient';
import { processCpuSeconds, summarize, Summary } from '../report';

export interface Plan {
  size: SizeName;
  warmup: number;
  iterations: number;
  /** autocannon: connections and seconds per scenario. */
  connections: number;
  seconds: number;
  heap: string;
  pageCache: string;
  /** Controls that get SATISFIES claims for the coverage map. */
  claimingControls: number;
  /** Per latency series: stop after this long once minSamples calls are in. */
  budgetMs: number;
  minSamples: number;
}

export type Json = Record<string, any>;

/** The operation's name, sent beside it as a client does. */
export const operationName = (query: string) => /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];

/** API keys as the clients of each kind would hold them: a sync tool, a compliance tool, a reader. */
export interface Keys { sync: string; compliance: string; viewer: string }

export class Bench {
  readonly sections: string[] = [];
  failures: string[] = [];
  keys: Keys = { sync: '', compliance: '', viewer: '' };

  constructor(
    readonly app: RunningApp,
    readonly config: Config,
    readonly driver: Driver,
    readonly plan: Plan,
  ) {}

  /** POSTs an operation the way a client does; throws with the query and errors when it fails. */
  async http(query: string, variables: Json = {}, key: string = this.keys.viewer, url: string = this.app.url): Promise<Json> {
    const name = operationName(query);
    const response = await postJson(url, JSON.stringify({ query, variables, operationName: name }), { 'content-type': 'application/json', authorization: `Bearer ${key}` });
    const body = response.body as { data?: Json; errors?: unknown[] };
    if (response.status !== 200 || body.errors) {
      throw new Error(`GraphQL ${name} failed (${response.status}): ${JSON.stringify(body.errors ?? body).slice(0, 2000)}\nvariables: ${JSON.stringify(variables).slice(0, 500)}`);
    }
    return body.data!;
  }

  /** Runs an operation in-process (no HTTP) and returns its data and the request's query count. */
  async execute(query: string, variables: Json = {}): Promise<{ data: Json; queryCount: number }> {
    const context = this.app.server.createContext('bench', 'bench', randomUUID());
    const response = await this.app.server.apollo.executeOperation({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('Expected a single GraphQL result');
    const { data, errors } = response.body.singleResult;
    if (errors) throw new Error(`GraphQL errors: ${JSON.stringify(errors).slice(0, 2000)}`);
    return { data: data as Json, queryCount: context.db.queryCount };
  }

  /** Warms up, then times `iterations` sequential calls. */
  async time(fn: () => Promise<unknown>, iterations = this.plan.iterations, warmup = this.plan.warmup): Promise<Summary> {
    // Slow queries get fewer calls: a series stops at its time budget once it has minSamples.
    const warmupEnd = performance.now() + this.plan.budgetMs / 4;
    for (let i = 0; i < warmup && (i < 2 || performance.now() < warmupEnd); i += 1) await fn();
    const samples: number[] = [];
    const end = performance.now() + this.plan.budgetMs;
    while (samples.length < iterations && (samples.length < this.plan.minSamples || performance.now() < end)) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  }

  /**
   * Warms each up, then times rounds of the calls in turn, so that every series meets the same load
   * from whatever else runs on the machine (a ratio of two series taken minutes apart measures the
   * machine as much as the code). Stops as `time` does, with one budget per series.
   */
  async timeEach(fns: Array<() => Promise<unknown>>, iterations = this.plan.iterations, warmup = this.plan.warmup): Promise<Summary[]> {
    for (const fn of fns) {
      const warmupEnd = performance.now() + this.plan.budgetMs / 4;
      for (let i = 0; i < warmup && (i < 2 || performance.now() < warmupEnd); i += 1) await fn();
    }
    const samples: number[][] = fns.map(() => []);
    const end = performance.now() + this.plan.budgetMs * fns.length;
    while (samples[0].length < iterations && (samples[0].length < this.plan.minSamples || performance.now() < end)) {
      for (const [index, fn] of fns.entries()) {
        const start = performance.now();
        await fn();
        samples[index].push(performance.now() - start);
      }
    }
    return samples.map(summarize);
  }

  check(condition: boolean, message: string): void {
    if (!condition) {
      this.failures.push(message);
      process.stderr.write(`CHECK FAILED: ${message}\n`);
    }
  }

  section(title: string, body: string): void {
    const text = `### ${title}\n\n${body}\n`;
    this.sections.push(text);
    process.stdout.write(`${text}\n`);
  }
}

export interface CapturedQuery { name: QueryName; cypher: string; params: Json }

/**
 * The Cypher and parameters the API sends for an operation (those of the queries named under
 * `folder`), recorded from the catalog while the operation runs in-process once, so the baseline
 * cannot drift from what the API does (the depth written into the quantifier, the projection
 * chosen from the selection).
 */
export async function capturedQueries(bench: Bench, query: string, variables: Json, folder: string): Promise<CapturedQuery[]> {
  const catalog = bench.app.gateway.catalog;
  const original = catalog.get;
  const captured: CapturedQuery[] = [];
  catalog.get = (name: QueryName, params?: Record<string, unknown>) => {
    const cypher = original.call(catalog, name, params);
    if (name.startsWith(folder)) captured.push({ name, cypher, params: params ?? {} });
    return cypher;
  };
  try {
    await bench.execute(query, variables);
  } finally {
    catalog.get = original;
  }
  if (captured.length === 0) throw new Error(`The operation sent no ${folder} query to capture`);
  return captured;
}

/** The raw baseline: the same text and parameters (as the gateway sends them), auto-committed through neo4j-driver as the gateway reads. */
export async function runRaw(bench: Bench, cypher: string, params: Json): Promise<{ rows: number; serverMs: number }> {
  const session = bench.driver.session({ database: bench.config.neo4j.database, defaultAccessMode: neo4j.session.READ });
  const sent = toNeo4j(params) as Json;
  try {
    const result = await session.run(cypher, sent);
    const summary = result.summary;
    return { rows: result.records.length, serverMs: neo4j.integer.toNumber(summary.resultAvailableAfter) + neo4j.integer.toNumber(summary.resultConsumedAfter) };
  } finally {
    await session.close();
  }
}

/** CPU seconds used so far by this process (the API) and by the embedded Neo4j, to say which one a phase waits on. */
export function cpuSeconds(neo4jPid: number | undefined): { node: number; neo4j: number | undefined } {
  const usage = process.cpuUsage();
  return { node: (usage.user + usage.system) / 1e6, neo4j: neo4jPid === undefined ? undefined : processCpuSeconds(neo4jPid) };
}

/**
 * Time per catalogue query while a phase runs. The gateway looks every query up in the catalogue
 * just before it sends it, so the gap between two look-ups is the earlier query's round trip (plus
 * the JavaScript in between); the last one runs until the call ends. Wrapping `get` on this one
 * instance is a measuring probe, not a hook the API needs.
 */
export class QueryClock {
  private readonly totals = new Map<string, { ms: number; calls: number }>();
  private current: { name: string; at: number } | undefined;
  active = false;

  constructor(catalog: { get(name: string, params?: Record<string, unknown>): string }) {
    const original = catalog.get.bind(catalog);
    catalog.get = (name: string, params?: Record<string, unknown>) => {
      if (this.active) {
        this.close();
        this.current = { name, at: performance.now() };
      }
      return original(name, params);
    };
  }

  /** Starts a request: until its first query, the time is the API's own (HTTP, GraphQL, validation). */
  begin(): void {
    this.active = true;
    this.current = { name: '(API before the first query: HTTP, GraphQL parsing and validation, input checks)', at: performance.now() };
  }

  /** Ends the running query's interval (call at the end of each request). */
  close(): void {
    if (!this.current) return;
    const entry = this.totals.get(this.current.name) ?? { ms: 0, calls: 0 };
    entry.ms += performance.now() - this.current.at;
    entry.calls += 1;
    this.totals.set(this.current.name, entry);
    this.current = undefined;
  }

  rows(): Array<[string, number, number]> {
    return [...this.totals.entries()].map(([name, t]) => [name, t.calls, t.ms] as [string, number, number]).sort((a, b) => b[2] - a[2]);
  }
}

export type ProfiledOperator = { operatorType: string; dbHits: number; rows: number; children: ProfiledOperator[] };

/** Every operator of the query's PROFILE, parents before children. */
export async function profile(bench: Bench, cypher: string, params: Json): Promise<ProfiledOperator[]> {
  const session = bench.driver.session({ database: bench.config.neo4j.database, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run(`PROFILE ${cypher}`, toNeo4j(params) as Json);
    const flat: ProfiledOperator[] = [];
    const walk = (operator: ProfiledOperator) => {
      flat.push(operator);
      operator.children.forEach(walk);
    };
    walk(result.summary.profile as unknown as ProfiledOperator);
    return flat;
  } finally {
    await session.close();
  }
}

export const dbHitsOf = (operators: ProfiledOperator[]) => operators.reduce((sum, op) => sum + (op.dbHits ?? 0), 0);
