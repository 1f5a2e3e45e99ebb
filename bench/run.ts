/**
 * `npm run bench [-- --size small|medium|large] [--smoke] [--write]`
 *
 * Starts the API on its own throwaway embedded Neo4j (or on NEO4J_URI when set), loads a generated
 * estate through syncInventory (the sync benchmark), then measures impact and lineage against the
 * same Cypher run directly through neo4j-driver, round trips of nested list queries, list pages
 * near the start and far in against the leanest Cypher, the coverage map of every loaded
 * framework, and requests per second under concurrency. Prints Markdown; with
 * --write also puts the figures into bench/README.md. Exits 0 when every step ran and every answer
 * checked out, 1 otherwise. Slow figures never fail it: benchmarks are not timed tests.
 */
import fs from 'node:fs';
import { freePort } from '../src/db/embeddedNeo4j';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import neo4j, { Driver } from 'neo4j-driver';
import { startApp, RunningApp } from '../src/app';
import { loadConfig, Config } from '../src/config';
import { createDriver } from '../src/db/gateway';
import { toNeo4j } from '../src/db/neo4jValues';
import type { QueryName } from '../src/generated/queries';
import { createLogger } from '../src/logger';
import { generateEstate, IMPACT_DEPTH, mulberry32, Ref, Root, SIZES, SizeName, SOURCE, toBatches } from './generate';
import { int, machine, machineLine, ms, ratio, summarize, Summary, table, writeFigures } from './report';

interface Plan {
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

const PLANS: Record<SizeName, Plan> = {
  smoke: { size: 'smoke', warmup: 2, iterations: 5, connections: 4, seconds: 1, heap: '1g', pageCache: '256m', claimingControls: 5, budgetMs: 1_500, minSamples: 3 },
  small: { size: 'small', warmup: 20, iterations: 100, connections: 10, seconds: 10, heap: '1g', pageCache: '512m', claimingControls: 60, budgetMs: 20_000, minSamples: 30 },
  medium: { size: 'medium', warmup: 20, iterations: 200, connections: 10, seconds: 10, heap: '2g', pageCache: '2g', claimingControls: 100, budgetMs: 30_000, minSamples: 30 },
  large: { size: 'large', warmup: 20, iterations: 200, connections: 10, seconds: 10, heap: '6g', pageCache: '6g', claimingControls: 300, budgetMs: 30_000, minSamples: 30 },
};

export function parseArgs(argv: string[]): { plan: Plan; write: boolean } {
  let size: SizeName = 'small';
  let write = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--smoke') size = 'smoke';
    else if (arg === '--write') write = true;
    else if (arg === '--size' || arg.startsWith('--size=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      if (!(value in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}, got "${value}"`);
      size = value as SizeName;
    } else {
      throw new Error(`Unknown argument "${arg}". Use --size small|medium|large, --smoke, --write.`);
    }
  }
  return { plan: PLANS[size], write };
}

// ---- GraphQL operations ---------------------------------------------------------------------------

const SYNC = `mutation BenchSync($input: SyncInventoryInput!) {
  syncInventory(input: $input) { ok assets { created updated unchanged } relationships { created updated unchanged } errors { path message } }
}`;
const KEY = `query BenchKey($type: EntityType!, $source: String!, $externalId: String!) { entityByKey(type: $type, source: $source, externalId: $externalId) { id } }`;
/** What an impact screen asks for: counts, every reached record with its explaining path, decisions, vendors, owners. */
const IMPACT = `query BenchImpact($id: ID!, $depth: Int) {
  impact(id: $id, maxDepth: $depth) {
    count truncated groups { type count }
    items { entity { __typename id name } distance path { text } }
    decisions { decision { id name } impactLevel humanInTheLoop distance }
    vendors { name } owners { name }
  }
}`;
const LINEAGE = `query BenchLineage($id: ID!, $direction: LineageDirection, $depth: Int) {
  lineage(id: $id, direction: $direction, maxDepth: $depth) {
    truncated nodes { entity { __typename id name } distance direction } edges { type fromId toId }
  }
}`;
const LOOKUP = `query BenchLookup($id: ID!) { node(id: $id) { id ... on Dataset { name classification containsPersonalData owners { name } } } }`;
/** Four levels of nested lists under one page: its round trips must not grow with the page. */
const NESTED = `query BenchNested($first: Int, $source: String) {
  datasets(first: $first, filter: { source: $source }) {
    nodes {
      name owners { name }
      derivedFrom { name owners { name } }
      trainedModels { name basedOn { name providedBy { name } } usedByAgents { name informs { name } } }
      retrievedByAgents { name usesModels { name } }
    }
  }
}`;
/** A list screen: one page of names, with or without the total a pager shows. */
const LIST = `query BenchList($type: EntityType, $first: Int, $after: String) {
  entities(type: $type, first: $first, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }
}`;
const LIST_TOTAL = `query BenchListTotal($type: EntityType, $first: Int, $after: String) {
  entities(type: $type, first: $first, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } }
}`;
const FRAMEWORKS = `query BenchFrameworks { frameworks { key name requirementCount } }`;
const REQUIREMENTS = `query BenchRequirements($framework: String!) { requirements(framework: $framework) { identifier kind } }`;
const CONTROLS = `query BenchControls($first: Int, $source: String) { controls(first: $first, filter: { source: $source }) { nodes { id } } }`;
const SATISFY = `mutation BenchSatisfy($controlId: ID!, $requirement: RequirementRefInput!, $coverage: SatisfactionCoverage!) {
  satisfy(controlId: $controlId, requirement: $requirement, coverage: $coverage, rationale: "benchmark claim") { coverage }
}`;
const COVERAGE = `query BenchCoverage($framework: String!) {
  coverage(framework: $framework) {
    total counts { status count percent }
    groups { identifier title total counts { status count } }
    items { requirement { key identifier title } status group controls { control { id name } coverage evidence { name expired } owners { name } } notApplicable { rationale } }
  }
}`;

// ---- Harness --------------------------------------------------------------------------------------

type Json = Record<string, any>;

const CREATE_KEY = `mutation BenchKey($name: String!, $role: Role!, $source: String) { createApiKey(name: $name, role: $role, source: $source) { key } }`;

/** API keys as the clients of each kind would hold them: a sync tool, a compliance tool, a reader. */
interface Keys { sync: string; compliance: string; viewer: string }

class Bench {
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
  async http(query: string, variables: Json = {}, key: string = this.keys.viewer): Promise<Json> {
    const operationName = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const response = await fetch(this.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables, operationName }),
    });
    const body = (await response.json()) as { data?: Json; errors?: unknown[] };
    if (!response.ok || body.errors) {
      throw new Error(`GraphQL ${operationName} failed (${response.status}): ${JSON.stringify(body.errors ?? body).slice(0, 2000)}\nvariables: ${JSON.stringify(variables).slice(0, 500)}`);
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

interface CapturedQuery { name: QueryName; cypher: string; params: Json }

/**
 * The Cypher and parameters the API sends for an operation (those of the queries named under
 * `folder`), recorded from the catalog while the operation runs in-process once, so the baseline
 * cannot drift from what the API does (the depth written into the quantifier, the projection
 * chosen from the selection).
 */
async function capturedQueries(bench: Bench, query: string, variables: Json, folder: string): Promise<CapturedQuery[]> {
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

/** The raw baseline: the same text and parameters (as the gateway sends them) in a managed read through neo4j-driver. */
async function runRaw(bench: Bench, cypher: string, params: Json): Promise<{ rows: number; serverMs: number }> {
  const session = bench.driver.session({ database: bench.config.neo4j.database, defaultAccessMode: neo4j.session.READ });
  const sent = toNeo4j(params) as Json;
  try {
    const result = await session.executeRead((tx) => tx.run(cypher, sent));
    const summary = result.summary;
    return { rows: result.records.length, serverMs: neo4j.integer.toNumber(summary.resultAvailableAfter) + neo4j.integer.toNumber(summary.resultConsumedAfter) };
  } finally {
    await session.close();
  }
}

/** CPU seconds used so far by this process (the API) and by the embedded Neo4j, to say which one a phase waits on. */
function cpuSeconds(neo4jPid: number | undefined): { node: number; neo4j: number | undefined } {
  const usage = process.cpuUsage();
  let neo4jSeconds: number | undefined;
  if (neo4jPid !== undefined) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name: user and system ticks (USER_HZ = 100 on Linux).
      const fields = fs.readFileSync(`/proc/${neo4jPid}/stat`, 'utf8').split(') ')[1].split(' ');
      neo4jSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      neo4jSeconds = undefined;
    }
  }
  return { node: (usage.user + usage.system) / 1e6, neo4j: neo4jSeconds };
}

/**
 * Time per catalogue query while a phase runs. The gateway looks every query up in the catalogue
 * just before it sends it, so the gap between two look-ups is the earlier query's round trip (plus
 * the JavaScript in between); the last one runs until the call ends. Wrapping `get` on this one
 * instance is a measuring probe, not a hook the API needs.
 */
class QueryClock {
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

// ---- Measurements ---------------------------------------------------------------------------------

async function benchSync(bench: Bench, batches: ReturnType<typeof toBatches>, pass: 'first load' | 're-sync (unchanged)', clock?: QueryClock) {
  let recordTime = 0;
  let relationshipTime = 0;
  let records = 0;
  let relationships = 0;
  const perCall: number[] = [];
  const counts = { created: 0, updated: 0, unchanged: 0, relCreated: 0, relUnchanged: 0 };
  const cpuBefore = cpuSeconds(bench.app.embedded?.pid);
  const started = performance.now();
  for (const batch of batches) {
    const batchRecords = Object.values(batch.assets).reduce((sum, items) => sum + (items?.length ?? 0), 0);
    const batchRelationships = batch.relationships.length;
    const start = performance.now();
    clock?.begin();
    const { syncInventory: report } = await bench.http(SYNC, { input: batch }, bench.keys.sync);
    const elapsed = performance.now() - start;
    if (clock) {
      clock.close();
      clock.active = false;
    }
    bench.check(report.ok === true && report.errors.length === 0, `sync ${pass}: report not ok: ${JSON.stringify(report.errors).slice(0, 500)}`);
    counts.created += report.assets.created;
    counts.updated += report.assets.updated;
    counts.unchanged += report.assets.unchanged;
    counts.relCreated += report.relationships.created;
    counts.relUnchanged += report.relationships.unchanged;
    perCall.push(elapsed);
    // A call carrying both is split by its share of items.
    const items = batchRecords + batchRelationships;
    recordTime += (elapsed * batchRecords) / items;
    relationshipTime += (elapsed * batchRelationships) / items;
    records += batchRecords;
    relationships += batchRelationships;
  }
  const total = performance.now() - started;
  const cpuAfter = cpuSeconds(bench.app.embedded?.pid);
  const neo4jCpu = cpuAfter.neo4j !== undefined && cpuBefore.neo4j !== undefined ? ms(cpuAfter.neo4j - cpuBefore.neo4j) : 'n/a';
  if (pass === 'first load') {
    bench.check(counts.created === records && counts.relCreated === relationships, `first load created ${counts.created}/${records} records and ${counts.relCreated}/${relationships} relationships (is the database fresh?)`);
  } else {
    bench.check(counts.unchanged === records && counts.relUnchanged === relationships, `re-sync reported changes: ${JSON.stringify(counts)}`);
  }
  const calls = summarize(perCall);
  return {
    row: [pass, batches.length, int(records), int(relationships), ms(total / 1000), int(records / (recordTime / 1000)), int(relationships / (relationshipTime / 1000)),
      int((records + relationships) / (total / 1000)), ms(calls.p50), ms(calls.p95), ms(calls.p99), ms(cpuAfter.node - cpuBefore.node), neo4jCpu],
    recordsPerSecond: records / (recordTime / 1000),
  };
}

/** Enough records for a steady rate, few enough to keep the large run short. */
const RAW_SAMPLE = 20_000;

/**
 * The ceiling the API's sync is measured against: the API's own create statements (the same Cypher
 * files) run straight through neo4j-driver on rows already resolved, with no look-ups, checks,
 * change detection or audit, on a sample of the estate's records and the relationships among them,
 * written under another source and deleted again. Two passes, the first to warm Neo4j's JIT (the
 * API's first load then also meets a warm server, as one that has been up a while is); the second is
 * the figure.
 */
async function benchRawWrites(bench: Bench, estate: ReturnType<typeof generateEstate>) {
  const sample = Object.entries(estate.assets).flatMap(([type, items]) => items.map((item) => ({ type, item }))).slice(0, RAW_SAMPLE);
  const batch = bench.config.limits.maxSyncBatch;
  const session = bench.driver.session({ database: bench.config.neo4j.database });
  const pass = async (source: string) => {
    const ids = new Map<string, string>();
    const records = sample.map(({ type, item: { externalId, ...properties } }) => {
      const id = randomUUID();
      ids.set(`${type}|${externalId}`, id);
      return { id, key: `${type}|${source}|${externalId}`, type, source, externalId, properties };
    });
    const relationships = estate.relationships.flatMap((rel) => {
      const fromId = ids.get(`${rel.from.type}|${rel.from.externalId}`);
      const toId = ids.get(`${rel.to.type}|${rel.to.externalId}`);
      return fromId && toId ? [{ fromId, toId, type: rel.type, source, properties: rel.properties ?? {} }] : [];
    });
    const now = neo4j.types.DateTime.fromStandardDate(new Date());
    const writeAll = async (name: QueryName, rows: unknown[]) => {
      const start = performance.now();
      for (let i = 0; i < rows.length; i += batch) {
        await session.executeWrite((tx) => tx.run(bench.app.gateway.catalog.get(name), { rows: rows.slice(i, i + batch), now }));
      }
      return (performance.now() - start) / 1000;
    };
    const recordSeconds = await writeAll('estate/createEntities', records);
    const relationshipSeconds = await writeAll('estate/createRelationships', relationships);
    await session.run('MATCH (n:Entity {source: $source}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS', { source });
    return { records: records.length, relationships: relationships.length, recordSeconds, relationshipSeconds };
  };
  try {
    await pass('bench-raw-warm-up');
    const measured = await pass('bench-raw-baseline');
    const total = measured.recordSeconds + measured.relationshipSeconds;
    return {
      row: ['raw Cypher baseline (sample; no look-ups, checks or audit)', Math.ceil(measured.records / batch) + Math.ceil(measured.relationships / batch), int(measured.records), int(measured.relationships), ms(total),
        int(measured.records / measured.recordSeconds), int(measured.relationships / measured.relationshipSeconds), int((measured.records + measured.relationships) / total), '', '', '', '', ''],
      recordsPerSecond: measured.records / measured.recordSeconds,
    };
  } finally {
    await session.close();
  }
}

async function idOf(bench: Bench, ref: Ref): Promise<string> {
  const data = await bench.http(KEY, { type: ref.type, source: SOURCE, externalId: ref.externalId });
  if (!data.entityByKey) throw new Error(`No ${ref.type} ${ref.externalId} after the load`);
  return data.entityByKey.id;
}

interface Comparison {
  label: string;
  reached: number;
  raw: Summary;
  rawServer: Summary;
  inProcess: Summary;
  http: Summary;
}

async function compare(bench: Bench, label: string, query: string, variables: Json, reached: number): Promise<Comparison> {
  const [{ cypher, params }] = await capturedQueries(bench, query, variables, 'lineage/');
  const server: number[] = [];
  const raw = await bench.time(async () => server.push((await runRaw(bench, cypher, params)).serverMs));
  const inProcess = await bench.time(() => bench.execute(query, variables));
  const http = await bench.time(() => bench.http(query, variables));
  // Interleaving would be fairer to drift; running the baseline again after the API shows it.
  return { label, reached, raw, rawServer: summarize(server.slice(-bench.plan.iterations)), inProcess, http };
}

function comparisonTable(rows: Comparison[]): string {
  return table(
    ['query', 'records reached', 'calls per series', 'raw Cypher p50 / p95 / p99 (ms)', 'API in-process p50 / p95 / p99', 'API over HTTP p50 / p95 / p99', 'ratio in-process p50 / p95', 'ratio HTTP p50 / p95', 'Neo4j server time p50'],
    rows.map((r) => [
      r.label,
      int(r.reached),
      `${r.raw.n} / ${r.inProcess.n} / ${r.http.n}`,
      `${ms(r.raw.p50)} / ${ms(r.raw.p95)} / ${ms(r.raw.p99)}`,
      `${ms(r.inProcess.p50)} / ${ms(r.inProcess.p95)} / ${ms(r.inProcess.p99)}`,
      `${ms(r.http.p50)} / ${ms(r.http.p95)} / ${ms(r.http.p99)}`,
      `${ratio(r.inProcess.p50, r.raw.p50)} / ${ratio(r.inProcess.p95, r.raw.p95)}`,
      `${ratio(r.http.p50, r.raw.p50)} / ${ratio(r.http.p95, r.raw.p95)}`,
      ms(r.rawServer.p50),
    ]),
  );
}

async function benchLineage(bench: Bench, roots: { hot: Root & { id: string }; typical: Root & { id: string }; deepest: Root & { id: string } }) {
  const depth = IMPACT_DEPTH;
  const impacts: Comparison[] = [];
  for (const root of [roots.typical, roots.hot]) {
    const { data } = await bench.execute(IMPACT, { id: root.id, depth });
    bench.check(data.impact.count === root.radius && data.impact.truncated === false, `impact of ${root.label}: API reached ${data.impact.count} (truncated ${data.impact.truncated}), the generator predicts ${root.radius}`);
    impacts.push(await compare(bench, `impact, ${root.label}`, IMPACT, { id: root.id, depth }, data.impact.count));
  }
  const lineages: Comparison[] = [];
  const lineageCases = [
    { root: roots.deepest, direction: 'UPSTREAM' as const },
    { root: roots.hot, direction: 'BOTH' as const },
  ];
  for (const { root, direction } of lineageCases) {
    const { data } = await bench.execute(LINEAGE, { id: root.id, direction, depth });
    const reached = data.lineage.nodes.length - 1;
    if (direction === 'UPSTREAM') bench.check(reached === root.radius, `lineage upstream of ${root.label}: API reached ${reached}, the generator predicts ${root.radius}`);
    lineages.push(await compare(bench, `lineage ${direction.toLowerCase()}, ${root.label} (${data.lineage.edges.length} edges)`, LINEAGE, { id: root.id, direction, depth }, reached));
  }
  bench.section('Impact and lineage: the API against the same Cypher through neo4j-driver',
    `Depth ${depth}; up to ${bench.plan.iterations} sequential calls per series (at least ${bench.plan.minSamples}, within about ${bench.plan.budgetMs / 1000} s) after up to ${bench.plan.warmup} warm-up calls. "Raw Cypher" runs the query file with the parameters the service sends, in a managed read transaction, and stops when the driver has the records; "in-process" is Apollo's executeOperation (resolvers, value conversion, paths, serialisation to objects); "HTTP" adds JSON over loopback. Neo4j server time is the driver's resultAvailableAfter + resultConsumedAfter for the raw runs.\n\n${comparisonTable([...impacts, ...lineages])}`);
  return { hotImpact: impacts[1] };
}

async function benchRoundTrips(bench: Bench) {
  const rows: Array<Array<string | number>> = [];
  const counts: number[] = [];
  for (const first of [10, Math.min(200, bench.config.limits.maxPageSize)]) {
    const { data, queryCount } = await bench.execute(NESTED, { first, source: SOURCE });
    counts.push(queryCount);
    const timing = await bench.time(() => bench.execute(NESTED, { first, source: SOURCE }), Math.min(50, bench.plan.iterations), 3);
    rows.push([first, data.datasets.nodes.length, queryCount, `${ms(timing.p50)} / ${ms(timing.p95)} / ${ms(timing.p99)}`]);
  }
  bench.check(counts[0] === counts[1], `nested list round trips grow with the page: ${counts.join(' vs ')}`);
  bench.section('Neo4j round trips for a nested list query',
    `\`datasets(first: N)\` with owners, derivedFrom → owners, trainedModels → basedOn → providedBy, usedByAgents → informs, retrievedByAgents → usesModels (four levels). Round trips are the request's \`context.db.queryCount\`; they depend on the query's depth, not on N.\n\n${table(['page size N', 'datasets returned', 'Neo4j round trips', 'latency p50 / p95 / p99 (ms, in-process)'], rows)}`);
}

const LIST_PAGE_SIZE = 50;
const FAR_PAGE = 100;

/**
 * The leanest Cypher that returns the same page: the same index and cursor, none of the list's
 * filters, and only the two fields the screen shows; the total from Neo4j's count store, which
 * holds a count per label (every record carries its type's label), where the API counts the
 * matches of its filters. `$afterName` '' starts at the first page (a record's name is never empty).
 */
const rawListPage = (typed: boolean) => `MATCH (n:Entity)
WHERE ${typed ? 'n.type = $type AND ' : ''}n.name >= $afterName AND n.id IS NOT NULL AND (n.name > $afterName OR n.id > $afterId)
RETURN n.id AS id, n.name AS name
ORDER BY ${typed ? 'n.type, ' : ''}n.name, n.id
LIMIT $limit`;
const rawListCount = (type: string | null) => `MATCH (n:${type ?? 'Entity'}) RETURN count(n) AS totalCount`;

/** Runs the raw page (and the count) in one managed read, as the API does. */
async function runRawList(bench: Bench, type: string | null, cursor: { afterName: string; afterId: string }, withTotal: boolean) {
  const session = bench.driver.session({ database: bench.config.neo4j.database, defaultAccessMode: neo4j.session.READ });
  try {
    return await session.executeRead(async (tx) => {
      const page = await tx.run(rawListPage(type !== null), { type, ...cursor, limit: neo4j.int(LIST_PAGE_SIZE + 1) });
      const total = withTotal ? (await tx.run(rawListCount(type))).records[0].get('totalCount') as number : undefined;
      return { ids: page.records.slice(0, LIST_PAGE_SIZE).map((record) => record.get('id') as string), total };
    });
  } finally {
    await session.close();
  }
}

/**
 * `entities(first: 50)` at page 1 and page 100 (or the last page of a smaller estate), with and
 * without totalCount, of every type and of datasets (the largest type): pages read from their
 * cursor, so page 100 should cost what page 1 does. The cursors are the API's own, walked to
 * page 100 over HTTP, and every raw page must hold the same records as the API's.
 */
async function benchLists(bench: Bench) {
  const rows: Array<Array<string | number>> = [];
  const farOverFirst: string[] = [];
  let farPage: { page: number; first: { dbHits: number; http: Summary }; far: { dbHits: number; http: Summary } } | undefined;
  for (const type of [null, 'Dataset']) {
    const scope = type === null ? 'every type' : `type: ${type}`;
    const cursors = [{ after: null as string | null, afterName: '', afterId: '' }];
    let previous: { id: string; name: string } | undefined;
    let seen = 0;
    while (cursors.length < FAR_PAGE) {
      const { entities } = await bench.http(LIST, { type, first: LIST_PAGE_SIZE, after: cursors.at(-1)!.after });
      for (const node of entities.nodes as Array<{ id: string; name: string }>) {
        bench.check(previous === undefined || previous.name < node.name || (previous.name === node.name && previous.id < node.id), `${scope}: ${JSON.stringify(node)} follows ${JSON.stringify(previous)} out of (name, id) order`);
        previous = node;
      }
      seen += entities.nodes.length;
      if (!entities.pageInfo.hasNextPage) break;
      cursors.push({ after: entities.pageInfo.endCursor, afterName: previous!.name, afterId: previous!.id });
    }
    const measured = new Map<string, { dbHits: number; http: Summary }>();
    for (const page of [1, cursors.length]) {
      const { after, afterName, afterId } = cursors[page - 1];
      for (const withTotal of [false, true]) {
        const query = withTotal ? LIST_TOTAL : LIST;
        const variables = { type, first: LIST_PAGE_SIZE, after };
        const { data, queryCount } = await bench.execute(query, variables);
        bench.check(withTotal || queryCount === 1, `${scope}, page ${page}: a page without totalCount took ${queryCount} Neo4j queries`);
        const raw = await runRawList(bench, type, { afterName, afterId }, withTotal);
        bench.check(JSON.stringify(raw.ids) === JSON.stringify(data.entities.nodes.map((node: Json) => node.id)), `${scope}, page ${page}: the raw page holds other records than the API's`);
        if (withTotal) {
          bench.check(raw.total === data.entities.totalCount, `${scope}: totalCount ${data.entities.totalCount}, the count store says ${raw.total}`);
          if (page === cursors.length && cursors.length < FAR_PAGE) bench.check(seen === raw.total, `${scope}: the walk saw ${seen} records of ${raw.total}`);
        }
        const apiHits = dbHitsOf((await Promise.all((await capturedQueries(bench, query, variables, 'estate/')).map(({ cypher, params }) => profile(bench, cypher, params)))).flat());
        const rawParams = { type, afterName, afterId, limit: LIST_PAGE_SIZE + 1 };
        const rawHits = dbHitsOf([...await profile(bench, rawListPage(type !== null), rawParams), ...(withTotal ? await profile(bench, rawListCount(type), {}) : [])]);
        const iterations = Math.min(100, bench.plan.iterations);
        const rawTiming = await bench.time(() => runRawList(bench, type, { afterName, afterId }, withTotal), iterations);
        const http = await bench.time(() => bench.http(query, variables), iterations);
        measured.set(`${page}|${withTotal}`, { dbHits: apiHits, http });
        rows.push([scope, page, withTotal ? 'yes' : 'no', queryCount, `${int(apiHits)} / ${int(rawHits)}`, `${ms(rawTiming.p50)} / ${ms(rawTiming.p95)} / ${ms(rawTiming.p99)}`,
          `${ms(http.p50)} / ${ms(http.p95)} / ${ms(http.p99)}`, `${ratio(http.p50, rawTiming.p50)} / ${ratio(http.p95, rawTiming.p95)}`]);
      }
    }
    const farOverFirstP50 = (withTotal: boolean) => ratio(measured.get(`${cursors.length}|${withTotal}`)!.http.p50, measured.get(`1|${withTotal}`)!.http.p50);
    farOverFirst.push(`${scope}: ${farOverFirstP50(false)} without totalCount, ${farOverFirstP50(true)} with it`);
    if (type === null) farPage = { page: cursors.length, first: measured.get('1|false')!, far: measured.get(`${cursors.length}|false`)! };
  }
  bench.section('Lists: a page of `entities(first: 50)` near the start and far into the estate',
    `Page 1 and page ${FAR_PAGE} (or the last page of a smaller estate), reached with the API's own cursors; with and without \`totalCount\`; up to ${Math.min(100, bench.plan.iterations)} sequential calls per series over HTTP. "Raw Cypher" is the leanest query that returns the same page (the same index and cursor, only id and name) plus, for the total, a count-store read, in one managed read transaction through neo4j-driver. Db hits are PROFILE's for every query the API sends for the operation and for the raw queries. Page ${FAR_PAGE} against page 1, HTTP p50: ${farOverFirst.join('; ')}.\n\n${table(
      ['list', 'page', 'totalCount', 'Neo4j queries (API)', 'db hits API / raw', 'raw Cypher p50 / p95 / p99 (ms)', 'API over HTTP p50 / p95 / p99', 'ratio HTTP p50 / p95'], rows)}`);
  return farPage!;
}

async function benchCoverage(bench: Bench) {
  // Claims: some of the generated controls satisfy requirements of every framework, seeded.
  const rnd = mulberry32(7);
  const { frameworks } = await bench.http(FRAMEWORKS);
  const { controls } = await bench.http(CONTROLS, { first: bench.plan.claimingControls, source: SOURCE });
  const requirementsByFramework = new Map<string, Array<{ identifier: string }>>();
  for (const framework of frameworks) requirementsByFramework.set(framework.key, (await bench.http(REQUIREMENTS, { framework: framework.key })).requirements);
  let claims = 0;
  const claimStart = performance.now();
  for (const control of controls.nodes) {
    for (const framework of frameworks) {
      const requirements = requirementsByFramework.get(framework.key)!;
      if (requirements.length === 0) continue;
      for (let i = 0; i < 2; i += 1) {
        const requirement = requirements[Math.floor(rnd() * requirements.length)];
        await bench.http(SATISFY, { controlId: control.id, requirement: { framework: framework.key, identifier: requirement.identifier }, coverage: rnd() < 0.6 ? 'FULL' : 'PARTIAL' }, bench.keys.compliance);
        claims += 1;
      }
    }
  }
  const claimSeconds = (performance.now() - claimStart) / 1000;
  const rows: Array<Array<string | number>> = [];
  for (const framework of frameworks) {
    const { data, queryCount } = await bench.execute(COVERAGE, { framework: framework.key });
    const covered = data.coverage.counts.filter((c: Json) => c.status !== 'GAP').reduce((sum: number, c: Json) => sum + c.count, 0);
    const timing = await bench.time(() => bench.execute(COVERAGE, { framework: framework.key }), Math.min(50, bench.plan.iterations), 3);
    rows.push([framework.key, framework.requirementCount, data.coverage.total, covered, queryCount, `${ms(timing.p50)} / ${ms(timing.p95)} / ${ms(timing.p99)}`]);
  }
  bench.section('Coverage map of a whole framework',
    `${controls.nodes.length} generated controls claim ${claims} requirements across every loaded framework (the \`satisfy\` mutation, ${ms(claims / claimSeconds)} claims/s one at a time); then \`coverage(framework:)\` with every item, its controls, their evidence and owners.\n\n${table(['framework', 'requirements', 'in the map', 'not GAP', 'Neo4j round trips', 'latency p50 / p95 / p99 (ms, in-process)'], rows)}`);
}

async function benchThroughput(bench: Bench, hotId: string, typicalId: string) {
  const scenarios = [
    { label: 'lookup `node(id)`', query: LOOKUP, variables: { id: hotId } },
    { label: 'impact, typical raw dataset', query: IMPACT, variables: { id: typicalId, depth: IMPACT_DEPTH } },
    { label: 'impact, hot dataset', query: IMPACT, variables: { id: hotId, depth: IMPACT_DEPTH } },
  ];
  const rows: Array<Array<string | number>> = [];
  for (const scenario of scenarios) {
    await bench.http(scenario.query, scenario.variables); // must succeed before it is hammered
    const operationName = /(?:query|mutation)\s+(\w+)/.exec(scenario.query)?.[1];
    const result = await autocannon({
      url: bench.app.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.keys.viewer}` },
      body: JSON.stringify({ query: scenario.query, variables: scenario.variables, operationName }),
      connections: bench.plan.connections,
      duration: bench.plan.seconds,
      // A heavy query under load can take seconds; a timeout would hide its latency.
      timeout: 120,
    });
    bench.check(result.errors === 0 && result.non2xx === 0 && result.timeouts === 0, `autocannon ${scenario.label}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
    rows.push([scenario.label, int(result.requests.average), int(result.requests.total), ms(result.latency.p50), ms(result.latency.p97_5), ms(result.latency.p99), result.errors + result.non2xx]);
  }
  bench.section('Requests per second under concurrency (autocannon, loopback)',
    `${bench.plan.connections} connections, ${bench.plan.seconds} s per scenario, HTTP POST to /graphql with a VIEWER API key on the same machine as Neo4j and autocannon (all three share the cores).\n\n${table(['scenario', 'requests/s (mean)', 'requests', 'latency p50 (ms)', 'p97.5', 'p99', 'errors'], rows)}`);
}

type ProfiledOperator = { operatorType: string; dbHits: number; rows: number; children: ProfiledOperator[] };

/** Every operator of the query's PROFILE, parents before children. */
async function profile(bench: Bench, cypher: string, params: Json): Promise<ProfiledOperator[]> {
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

const dbHitsOf = (operators: ProfiledOperator[]) => operators.reduce((sum, op) => sum + (op.dbHits ?? 0), 0);

async function profileHotImpact(bench: Bench, hotId: string) {
  const [{ name, cypher, params }] = await capturedQueries(bench, IMPACT, { id: hotId, depth: IMPACT_DEPTH }, 'lineage/');
  const operators = await profile(bench, cypher, params);
  const top = [...operators].sort((a, b) => (b.dbHits ?? 0) - (a.dbHits ?? 0)).slice(0, 6);
  bench.section('PROFILE of the hot impact query',
    `${name}, ${int(dbHitsOf(operators))} db hits in total. Heaviest operators:\n\n${table(['operator', 'db hits', 'rows'], top.map((op) => [op.operatorType.replace(/@.*$/, ''), int(op.dbHits), int(op.rows)]))}`);
}

// ---- Main -----------------------------------------------------------------------------------------


async function main(): Promise<number> {
  const { plan, write } = parseArgs(process.argv.slice(2));
  const logger = createLogger('warn');
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const external = process.env.NEO4J_URI;
  const dataDir = external ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-graph-bench-'));
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    NEO4J_URI: external,
    NEO4J_USER: process.env.NEO4J_USER,
    NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
    NEO4J_DATABASE: process.env.NEO4J_DATABASE,
    EMBEDDED_NEO4J_DATA_DIR: dataDir,
    EMBEDDED_NEO4J_PORT: String(await freePort()),
    EMBEDDED_NEO4J_HEAP: process.env.EMBEDDED_NEO4J_HEAP ?? plan.heap,
    EMBEDDED_NEO4J_PAGECACHE: process.env.EMBEDDED_NEO4J_PAGECACHE ?? plan.pageCache,
    EMBEDDED_NEO4J_STARTUP_TIMEOUT_MS: '300000',
    MAX_SYNC_BATCH: process.env.MAX_SYNC_BATCH,
  };
  const config = loadConfig(env);

  const estate = generateEstate(SIZES[plan.size]);
  const batches = toBatches(estate, config.limits.maxSyncBatch);
  process.stderr.write(`bench ${plan.size}: ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships in ${batches.length} sync calls; starting ${external ? `against ${external}` : 'an embedded Neo4j'}\n`);

  const app = await startApp(config, logger);
  const connection = app.embedded
    ? { uri: app.embedded.uri, user: 'neo4j', password: config.neo4j.embedded.password, database: 'neo4j' }
    : { uri: external!, user: config.neo4j.user, password: config.neo4j.password, database: config.neo4j.database };
  const driver = createDriver(connection);
  const bench = new Bench(app, config, driver, plan);
  try {
    const versionRows = await driver.executeQuery('CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition', {}, { database: connection.database });
    const neo4jVersion = `${versionRows.records[0].get('version')} ${versionRows.records[0].get('edition')}`;
    const host = machine(neo4jVersion);
    const key = async (role: string, source?: string) => (await bench.execute(CREATE_KEY, { name: `bench-${role.toLowerCase()}-${randomUUID().slice(0, 8)}`, role, source })).data.createApiKey.key as string;
    bench.keys = { sync: await key('SYNC', SOURCE), compliance: await key('COMPLIANCE'), viewer: await key('VIEWER') };

    const clock = new QueryClock(app.gateway.catalog);
    const raw = await benchRawWrites(bench, estate);
    const first = await benchSync(bench, batches, 'first load', clock);
    const again = await benchSync(bench, batches, 're-sync (unchanged)');
    const syncMs = clock.rows().reduce((sum, row) => sum + row[2], 0);
    bench.section('Sync: loading the estate through `syncInventory`',
      `Calls of at most MAX_SYNC_BATCH = ${int(config.limits.maxSyncBatch)} items over HTTP with a SYNC API key, one after another, records before relationships. Records/s and relationships/s split each call's time by its share of items. CPU columns: seconds of CPU the API process and the Neo4j JVM used during the pass (a pass that uses less CPU than its wall time, times the cores, is waiting). The baseline runs first: the API's own create statements through neo4j-driver, one transaction per ${int(config.limits.maxSyncBatch)} rows, on the first ${int(RAW_SAMPLE)} records and the relationships among them (written under another source, then deleted; the second of two passes, the first warming Neo4j up for it and for the API), so it is about the most the database takes on this machine with this schema. The first load reaches ${ratio(first.recordsPerSecond, raw.recordsPerSecond)} the baseline's records/s.\n\n${table(
        ['pass', 'calls', 'records', 'relationships', 'total (s)', 'records/s', 'relationships/s', 'items/s', 'call p50 (ms)', 'call p95', 'call p99', 'API CPU (s)', 'Neo4j CPU (s)'],
        [raw.row, first.row, again.row],
      )}\n\nWhere the first load's time goes, by Cypher file (time from sending the query to sending the next, or to the end of the call; includes the commit for the last one):\n\n${table(
        ['query', 'runs', 'time (s)', 'share'],
        clock.rows().map(([name, calls, total]) => [name, calls, ms(total / 1000), `${((100 * total) / syncMs).toFixed(0)}%`]),
      )}`);

    const roots = {
      hot: { ...estate.hot, id: await idOf(bench, estate.hot.ref) },
      typical: { ...estate.typical, id: await idOf(bench, estate.typical.ref) },
      deepest: { ...estate.deepest, id: await idOf(bench, estate.deepest.ref) },
    };
    const { hotImpact } = await benchLineage(bench, roots);
    await benchRoundTrips(bench);
    const lists = await benchLists(bench);
    await benchCoverage(bench);
    await benchThroughput(bench, roots.hot.id, roots.typical.id);
    await profileHotImpact(bench, roots.hot.id);

    const targets = table(['target', 'measured', 'met'], [
      ['impact ≤ 1.3× the raw Cypher (p50, HTTP)', ratio(hotImpact.http.p50, hotImpact.raw.p50), hotImpact.http.p50 <= 1.3 * hotImpact.raw.p50 ? 'yes' : 'no'],
      [`impact p95 < 50 ms, hot dataset (${int(hotImpact.reached)} records reached, estate of ${int(estate.assetCount)} records)`, `${ms(hotImpact.http.p95)} ms`, hotImpact.http.p95 < 50 ? 'yes' : 'no'],
      [`sync ≥ 20,000 records/s (first load; the raw Cypher baseline reaches ${int(raw.recordsPerSecond)})`, int(first.recordsPerSecond), first.recordsPerSecond >= 20_000 ? 'yes' : 'no'],
      // Db hits, not time: they do not move with the machine's load, and they are what a page reads.
      [`\`entities(first: 50)\` page ${lists.page} costs what page 1 does (db hits, without totalCount)`, `${int(lists.far.dbHits)} against ${int(lists.first.dbHits)} (HTTP p50 ${ratio(lists.far.http.p50, lists.first.http.p50)})`, lists.far.dbHits <= 1.1 * lists.first.dbHits ? 'yes' : 'no'],
    ]);
    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    const header = `#### ${plan.size}: ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships (${estate.domains} domains, seed ${estate.seed})\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine(host)}. Neo4j ${app.embedded ? `embedded, heap ${env.EMBEDDED_NEO4J_HEAP}, page cache ${env.EMBEDDED_NEO4J_PAGECACHE}` : 'external'}. Whole run: ${minutes} min; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (above the core count means other work shared the machine).\n\nRoots: hot dataset reaches ${int(estate.hot.radius)} records, typical raw dataset ${int(estate.typical.radius)}, deepest decision has ${int(estate.deepest.radius)} upstream (all at depth ${IMPACT_DEPTH}, checked against the API).\n\n${targets}\n`;
    process.stdout.write(`${header}\n`);
    if (bench.failures.length > 0) {
      process.stderr.write(`\n${bench.failures.length} check(s) failed:\n${bench.failures.map((f) => `  - ${f}`).join('\n')}\n`);
      return 1;
    }
    if (write) {
      const body = [header, ...bench.sections.map((s) => s.replace(/^### /, '##### '))].join('\n');
      writeFigures(path.join(__dirname, 'README.md'), plan.size, body);
      process.stderr.write(`figures written to bench/README.md (${plan.size})\n`);
    }
    return 0;
  } finally {
    await driver.close();
    await app.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
