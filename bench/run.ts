/**
 * `npm run bench [-- --size small|medium|large] [--smoke] [--write] [--against <checkout>]`
 *
 * Starts the API on its own throwaway embedded Neo4j (or on NEO4J_URI when set), loads a generated
 * estate through syncInventory (the sync benchmark), then measures impact and lineage against the
 * minimal hand-written Cypher for each selection and against the same Cypher the API sends, both
 * run directly through neo4j-driver, round trips of nested list queries, list pages
 * near the start and far in against the leanest Cypher, the coverage map of every loaded
 * framework, and requests per second under concurrency (also of the API of another checkout, an
 * earlier revision, on the same Neo4j in the same run, with --against). Prints Markdown; with
 * --write also puts the figures into bench/README.md. Exits 0 when every step ran and every answer
 * checked out, 1 otherwise. Slow figures never fail it: benchmarks are not timed tests.
 */
import fs from 'node:fs';
import { freePort } from '../src/db/embeddedNeo4j';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

export function parseArgs(argv: string[]): { plan: Plan; write: boolean; against: string | undefined } {
  let size: SizeName = 'small';
  let write = false;
  let against: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--smoke') size = 'smoke';
    else if (arg === '--write') write = true;
    else if (arg === '--against' || arg.startsWith('--against=')) {
      against = path.resolve(arg.includes('=') ? arg.split('=')[1] : argv[++i]);
      if (!fs.existsSync(path.join(against, 'src/app.ts'))) throw new Error(`--against needs a checkout of this project (src/app.ts), got "${against}"`);
    } else if (arg === '--size' || arg.startsWith('--size=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      if (!(value in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}, got "${value}"`);
      size = value as SizeName;
    } else {
      throw new Error(`Unknown argument "${arg}". Use --size small|medium|large, --smoke, --write, --against <checkout>.`);
    }
  }
  return { plan: PLANS[size], write, against };
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
/** The same impact asking only for what a list of names needs, then with each record's path. */
const IMPACT_NAMES = `query BenchImpactNames($id: ID!, $depth: Int) { impact(id: $id, maxDepth: $depth) { items { entity { id name } distance } } }`;
const IMPACT_PATHS = `query BenchImpactPaths($id: ID!, $depth: Int) { impact(id: $id, maxDepth: $depth) { items { entity { id name } distance path { text } } } }`;
/** A screen's first page: the totals of the whole blast radius and its 50 nearest records. */
const IMPACT_PAGE = `query BenchImpactPage($id: ID!, $depth: Int) {
  impact(id: $id, maxDepth: $depth) { count truncated groups { type count } items(first: 50) { entity { id name } distance path { text } cursor } }
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
  async http(query: string, variables: Json = {}, key: string = this.keys.viewer, url: string = this.app.url): Promise<Json> {
    const operationName = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const response = await fetch(url, {
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

// ---- Minimal Cypher: for each selection, what one would write by hand to return exactly its columns ----

/** Impact's walk (the rules of cypher/lineage/findReachable.cypher) from the root given by id. */
const impactWalk = (depth: number) => `MATCH (root:Entity {id: $id})
MATCH p = ANY SHORTEST (root)
  (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,${depth}}
  (()-[:INFORMS]->()){0,1}
  (reached:Entity)
WHERE reached <> root AND length(p) <= ${depth}`;

/** A path's text as the API writes it: each step's arrow points the way the relationship is stored. */
const pathText = (p: string) =>
  `reduce(text = root.name, i IN range(0, length(${p}) - 1) | text + CASE WHEN startNode(relationships(${p})[i]) = nodes(${p})[i] THEN ' -' + type(relationships(${p})[i]) + '-> ' ELSE ' <-' + type(relationships(${p})[i]) + '- ' END + nodes(${p})[i + 1].name)`;

const ordered = (depth: number) => `${impactWalk(depth)}
WITH root, reached, p ORDER BY length(p), reached.name, reached.id
WITH root, collect({reached: reached, p: p}) AS found`;
const countsByType = 'COLLECT { UNWIND found AS entry WITH entry.reached.type AS type, count(*) AS n RETURN [type, n] }';
const namesOf = (rel: string, label: string) =>
  `COLLECT { UNWIND [root] + [entry IN found | entry.reached] AS member MATCH (member)-[:${rel}]->(other:${label}) WITH DISTINCT other RETURN other.name }`;

const MINIMAL = {
  /** `items { entity { id name } distance }`: ids, names and distances, nearest first. */
  names: (depth: number) => `${impactWalk(depth)}
RETURN reached.id AS id, reached.name AS name, length(p) AS distance
ORDER BY distance, name, id`,
  /** The same with `path { text }`. */
  paths: (depth: number) => `${impactWalk(depth)}
RETURN reached.id AS id, reached.name AS name, length(p) AS distance, ${pathText('p')} AS text
ORDER BY distance, name, id`,
  /** IMPACT_PAGE: the count and the count per type of the whole radius, and its 50 nearest records with their paths. */
  page: (depth: number) => `${ordered(depth)}
RETURN size(found) AS count, ${countsByType} AS groups,
       [entry IN found[..50] | [entry.reached.id, entry.reached.name, length(entry.p), ${pathText('entry.p')}]] AS items`,
  /** IMPACT: every record with its type and path, the decisions with theirs, vendors' and owners' names. */
  screen: (depth: number) => `${ordered(depth)}
RETURN size(found) AS count, ${countsByType} AS groups,
       [entry IN found | [entry.reached.type, entry.reached.id, entry.reached.name, length(entry.p), ${pathText('entry.p')}]] AS items,
       [entry IN found WHERE entry.reached.type = 'Decision' | [entry.reached.id, entry.reached.name, entry.reached.impactLevel, entry.reached.humanInTheLoop, length(entry.p)]] AS decisions,
       ${namesOf('PROVIDED_BY', 'Vendor')} AS vendors,
       ${namesOf('OWNED_BY', 'Owner')} AS owners`,
  /** LINEAGE: each record's type, id, name and distance, per direction, and every edge among them. */
  lineage: (depth: number) => `MATCH (root:Entity {id: $id})
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root) (()<-[:INFORMS]-()){0,1} (()-[flow]->() WHERE type(flow) IN $flowTypes){0,${depth}} (reached:Entity)
    WHERE $upstream AND reached <> root AND length(p) <= ${depth}
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    RETURN [reached, distance]
  } AS upstream,
  COLLECT {
    MATCH p = ANY SHORTEST (root) (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,${depth}} (()-[:INFORMS]->()){0,1} (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= ${depth}
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    RETURN [reached, distance]
  } AS downstream
WITH root, upstream, downstream, [root] + [entry IN upstream + downstream | entry[0]] AS members
RETURN [root.type, root.id, root.name] AS root,
       [entry IN upstream | [entry[0].type, entry[0].id, entry[0].name, entry[1]]] AS upstream,
       [entry IN downstream | [entry[0].type, entry[0].id, entry[0].name, entry[1]]] AS downstream,
       COLLECT {
         UNWIND members AS a
         MATCH (a)-[r]->(b:Entity)
         WHERE (type(r) IN $flowTypes OR type(r) = 'INFORMS') AND b IN members
         RETURN DISTINCT [type(r), a.id, b.id]
       } AS edges`,
};

interface Comparison {
  label: string;
  reached: number;
  minimal: Summary;
  minimalServer: Summary;
  minimalRows: number;
  raw: Summary;
  rawServer: Summary;
  inProcess: Summary;
  http: Summary;
  dbHits: { api: number; minimal: number };
}

/**
 * An operation over HTTP and in-process against the minimal Cypher for its selection (`minimal`)
 * and against the Cypher the API sends for it (captured), both straight through neo4j-driver.
 */
async function compare(bench: Bench, label: string, query: string, variables: Json, reached: number, minimal: string): Promise<Comparison> {
  const [{ cypher, params }] = await capturedQueries(bench, query, variables, 'lineage/');
  const minimalParams = { id: variables.id, flowTypes: params.flowTypes, upstream: params.upstream ?? null, downstream: params.downstream ?? null };
  const minimalServer: number[] = [];
  let minimalRows = 0;
  const minimalTiming = await bench.time(async () => {
    const run = await runRaw(bench, minimal, minimalParams);
    minimalServer.push(run.serverMs);
    minimalRows = run.rows;
  });
  const server: number[] = [];
  const raw = await bench.time(async () => server.push((await runRaw(bench, cypher, params)).serverMs));
  const inProcess = await bench.time(() => bench.execute(query, variables));
  const http = await bench.time(() => bench.http(query, variables));
  const dbHits = { api: dbHitsOf(await profile(bench, cypher, params)), minimal: dbHitsOf(await profile(bench, minimal, minimalParams)) };
  // Interleaving would be fairer to drift; the four series run one after another.
  return { label, reached, minimal: minimalTiming, minimalServer: summarize(minimalServer.slice(-bench.plan.iterations)), minimalRows, raw, rawServer: summarize(server.slice(-bench.plan.iterations)), inProcess, http, dbHits };
}

const twoRatios = (api: Summary, base: Summary) => `${ratio(api.p50, base.p50)} / ${ratio(api.p95, base.p95)}`;

function comparisonTable(rows: Comparison[]): string {
  return table(
    ['query', 'records reached', 'calls per series', 'minimal Cypher p50 / p95 (ms)', 'same Cypher p50 / p95', 'API in-process p50 / p95', 'API over HTTP p50 / p95 / p99',
      'HTTP ÷ minimal p50 / p95', 'HTTP ÷ same Cypher p50 / p95', 'Neo4j server p50, same / minimal', 'db hits, same / minimal'],
    rows.map((r) => [
      r.label,
      int(r.reached),
      `${r.minimal.n} / ${r.raw.n} / ${r.inProcess.n} / ${r.http.n}`,
      `${ms(r.minimal.p50)} / ${ms(r.minimal.p95)}`,
      `${ms(r.raw.p50)} / ${ms(r.raw.p95)}`,
      `${ms(r.inProcess.p50)} / ${ms(r.inProcess.p95)}`,
      `${ms(r.http.p50)} / ${ms(r.http.p95)} / ${ms(r.http.p99)}`,
      twoRatios(r.http, r.minimal),
      twoRatios(r.http, r.raw),
      `${ms(r.rawServer.p50)} / ${ms(r.minimalServer.p50)}`,
      `${int(r.dbHits.api)} / ${int(r.dbHits.minimal)}`,
    ]),
  );
}

type Roots = { hot: Root & { id: string }; typical: Root & { id: string }; deepest: Root & { id: string } };

async function benchLineage(bench: Bench, roots: Roots) {
  const depth = IMPACT_DEPTH;
  const { hot, typical } = roots;
  const { data } = await bench.execute(IMPACT, { id: hot.id, depth });
  bench.check(data.impact.count === hot.radius && data.impact.truncated === false, `impact of ${hot.label}: API reached ${data.impact.count} (truncated ${data.impact.truncated}), the generator predicts ${hot.radius}`);
  const typicalScreen = (await bench.execute(IMPACT, { id: typical.id, depth })).data.impact;
  bench.check(typicalScreen.count === typical.radius && typicalScreen.truncated === false, `impact of ${typical.label}: API reached ${typicalScreen.count}, the generator predicts ${typical.radius}`);
  const page = (await bench.execute(IMPACT_PAGE, { id: hot.id, depth })).data.impact;
  bench.check(page.count === hot.radius && page.items.length === Math.min(50, hot.radius), `first page of ${hot.label}: count ${page.count} with ${page.items.length} items`);
  const names = (await bench.execute(IMPACT_NAMES, { id: hot.id, depth })).data.impact.items;
  bench.check(JSON.stringify(page.items.map((item: Json) => item.entity.id)) === JSON.stringify(names.slice(0, 50).map((item: Json) => item.entity.id)), `first page of ${hot.label}: not the first 50 records of the whole answer`);
  const impacts = {
    typicalScreen: await compare(bench, `impact, ${typical.label}: the screen (IMPACT)`, IMPACT, { id: typical.id, depth }, typical.radius, MINIMAL.screen(depth)),
    hotNames: await compare(bench, `impact, ${hot.label}: \`items { entity { id name } distance }\``, IMPACT_NAMES, { id: hot.id, depth }, hot.radius, MINIMAL.names(depth)),
    hotPaths: await compare(bench, `impact, ${hot.label}: the same with \`path { text }\``, IMPACT_PATHS, { id: hot.id, depth }, hot.radius, MINIMAL.paths(depth)),
    hotPage: await compare(bench, `impact, ${hot.label}: first page (IMPACT_PAGE: counts, groups, 50 items with paths)`, IMPACT_PAGE, { id: hot.id, depth }, hot.radius, MINIMAL.page(depth)),
    hotScreen: await compare(bench, `impact, ${hot.label}: the screen (IMPACT)`, IMPACT, { id: hot.id, depth }, hot.radius, MINIMAL.screen(depth)),
  };
  for (const comparison of [impacts.hotNames, impacts.hotPaths]) {
    bench.check(comparison.minimalRows === hot.radius, `${comparison.label}: the minimal Cypher returned ${comparison.minimalRows} rows for ${hot.radius} records`);
  }
  const lineages: Comparison[] = [];
  const lineageCases = [
    { root: roots.deepest, direction: 'UPSTREAM' as const },
    { root: roots.hot, direction: 'BOTH' as const },
  ];
  for (const { root, direction } of lineageCases) {
    const { data: graph } = await bench.execute(LINEAGE, { id: root.id, direction, depth });
    const reached = graph.lineage.nodes.length - 1;
    if (direction === 'UPSTREAM') bench.check(reached === root.radius, `lineage upstream of ${root.label}: API reached ${reached}, the generator predicts ${root.radius}`);
    lineages.push(await compare(bench, `lineage ${direction.toLowerCase()}, ${root.label} (${graph.lineage.edges.length} edges)`, LINEAGE, { id: root.id, direction, depth }, reached, MINIMAL.lineage(depth)));
  }
  bench.section('Impact and lineage: the API against the minimal Cypher for each selection, and against its own',
    `Depth ${depth}; up to ${bench.plan.iterations} sequential calls per series (at least ${bench.plan.minSamples}, within about ${bench.plan.budgetMs / 1000} s) after up to ${bench.plan.warmup} warm-up calls. "Minimal Cypher" is written by hand for each selection and returns exactly its columns (\`MINIMAL\` in bench/run.ts: for \`items { entity { id name } distance }\` the reached ids, names and shortest distances; paths as their text); "same Cypher" is the query file the API runs, with the parameters it sends for that selection. Both run in a managed read transaction through neo4j-driver and stop when the driver has the records. "In-process" is Apollo's executeOperation (resolvers, value conversion, paths, serialisation to objects); "HTTP" adds JSON over loopback. Neo4j server time is the driver's resultAvailableAfter + resultConsumedAfter; db hits are PROFILE's.\n\n${comparisonTable([...Object.values(impacts), ...lineages])}`);
  return impacts;
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

const execFileAsync = promisify(execFile);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');

/** An API under test for throughput: this checkout's, or another's started beside it (--against). */
interface Target { label: string; url: string }

interface Hammered {
  requestsPerSecond: number;
  requests: number;
  /** This process's CPU over the run divided by the requests: the API's own work per request. */
  cpuMsPerRequest: number;
  /** The same for the embedded Neo4j, when there is one. */
  neo4jCpuMsPerRequest: number | undefined;
  row: Array<string | number>;
}

/**
 * autocannon in a child process, so that it shares neither the API's event loop nor its CPU
 * figure: what this process uses while it runs is the API (and the driver) serving it.
 */
async function hammer(bench: Bench, target: Target, label: string, query: string, variables: Json): Promise<Hammered> {
  const operationName = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  const body = JSON.stringify({ query, variables, operationName });
  const before = cpuSeconds(bench.app.embedded?.pid);
  const { stdout } = await execFileAsync(process.execPath, [
    AUTOCANNON, '--json', '--connections', String(bench.plan.connections), '--duration', String(bench.plan.seconds),
    // A heavy query under load can take seconds; a timeout would hide its latency.
    '--timeout', '120', '--method', 'POST',
    '-H', 'content-type=application/json', '-H', `authorization=Bearer ${bench.keys.viewer}`, '--body', body, target.url,
  ], { maxBuffer: 64 * 1024 * 1024 });
  const after = cpuSeconds(bench.app.embedded?.pid);
  const result = JSON.parse(stdout) as Json;
  bench.check(result.errors === 0 && result.non2xx === 0 && result.timeouts === 0, `autocannon ${label} (${target.label}): ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  const requests = result.requests.total as number;
  const perRequest = (seconds: number) => (1000 * seconds) / Math.max(requests, 1);
  const cpuMsPerRequest = perRequest(after.node - before.node);
  const neo4jCpuMsPerRequest = after.neo4j !== undefined && before.neo4j !== undefined ? perRequest(after.neo4j - before.neo4j) : undefined;
  return {
    requestsPerSecond: result.requests.average,
    requests,
    cpuMsPerRequest,
    neo4jCpuMsPerRequest,
    row: [label, target.label, int(result.requests.average), int(requests), ms(cpuMsPerRequest), neo4jCpuMsPerRequest === undefined ? 'n/a' : ms(neo4jCpuMsPerRequest),
      ms(result.latency.p50), ms(result.latency.p97_5), ms(result.latency.p99), result.errors + result.non2xx],
  };
}

async function benchThroughput(bench: Bench, targets: Target[], roots: { hot: Root & { id: string }; typical: Root & { id: string }; foundation: Root & { id: string } }) {
  const depth = IMPACT_DEPTH;
  const scenarios = [
    { key: 'lookup', label: 'lookup `node(id)`', query: LOOKUP, variables: { id: roots.hot.id } },
    { key: 'typical', label: `impact, typical raw dataset (${roots.typical.radius} records), the screen`, query: IMPACT, variables: { id: roots.typical.id, depth } },
    { key: 'names', label: `impact, ${roots.foundation.label} (${roots.foundation.radius} records), \`items { entity { id name } distance }\``, query: IMPACT_NAMES, variables: { id: roots.foundation.id, depth } },
    { key: 'screen', label: `impact, ${roots.foundation.label}, the screen`, query: IMPACT, variables: { id: roots.foundation.id, depth } },
    { key: 'hot', label: `impact, hot dataset (${roots.hot.radius} records), the screen`, query: IMPACT, variables: { id: roots.hot.id, depth } },
  ];
  const rows: Array<Array<string | number>> = [];
  const measured = new Map<string, Hammered>();
  for (const scenario of scenarios) {
    for (const target of targets) {
      // Must succeed before it is hammered, and warms the target up.
      for (let i = 0; i < 3; i += 1) await bench.http(scenario.query, scenario.variables, undefined, target.url);
      const hammered = await hammer(bench, target, scenario.label, scenario.query, scenario.variables);
      measured.set(`${scenario.key}|${target.label}`, hammered);
      rows.push(hammered.row);
    }
  }
  bench.section('Requests per second under concurrency (autocannon, loopback)',
    `${bench.plan.connections} connections, ${bench.plan.seconds} s per scenario and API, HTTP POST to /graphql with a VIEWER API key; autocannon runs in a child process on the same machine as Neo4j and the API (all three share the cores). API CPU per request: this process's user and system CPU over the run (process.cpuUsage), divided by the requests served; Neo4j's likewise, from /proc (the JVM's ticks, 10 ms each).${targets.length > 1 ? ` ${targets[1].label} is the API of another checkout, started in this process on the same Neo4j and hammered in turn with the same requests.` : ''}\n\n${table(['scenario', 'API', 'requests/s (mean)', 'requests', 'API CPU per request (ms)', 'Neo4j CPU per request (ms)', 'latency p50 (ms)', 'p97.5', 'p99', 'errors'], rows)}`);
  const names = measured.get(`names|${targets[0].label}`)!;
  const before = targets[1] ? measured.get(`names|${targets[1].label}`) : undefined;
  return { names, before };
}

/** The API of another checkout (--against: an earlier revision), started in this process on the same Neo4j. */
async function startCheckout(dir: string, connection: { uri: string; password: string | undefined }, logger: ReturnType<typeof createLogger>): Promise<RunningApp> {
  // Its own modules, from its own folder: they share nothing with this checkout's but the database.
  const other = { app: require(path.join(dir, 'src/app')) as typeof import('../src/app'), config: require(path.join(dir, 'src/config')) as typeof import('../src/config') };
  return other.app.startApp(other.config.loadConfig({ PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'warn', NEO4J_URI: connection.uri, NEO4J_PASSWORD: connection.password }), logger);
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
  const { plan, write, against } = parseArgs(process.argv.slice(2));
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
  let other: RunningApp | undefined;
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
      foundation: { ...estate.foundation, id: await idOf(bench, estate.foundation.ref) },
    };
    const impacts = await benchLineage(bench, roots);
    await benchRoundTrips(bench);
    const lists = await benchLists(bench);
    await benchCoverage(bench);
    const targets: Target[] = [{ label: 'this checkout', url: app.url }];
    if (against) {
      other = await startCheckout(against, connection, logger);
      targets.push({ label: `--against ${path.basename(against)}`, url: other.url });
    }
    const throughput = await benchThroughput(bench, targets, roots);
    await profileHotImpact(bench, roots.hot.id);

    const { hotNames, hotPaths, hotPage, hotScreen } = impacts;
    const within = (comparison: Comparison, bound: number) => comparison.http.p50 <= bound * comparison.minimal.p50 && comparison.http.p95 <= bound * comparison.minimal.p95;
    const againstMinimal = (comparison: Comparison) => `${twoRatios(comparison.http, comparison.minimal)} (same Cypher: ${twoRatios(comparison.http, comparison.raw)})`;
    const { names, before } = throughput;
    const goals = table(['target', 'measured', 'met'], [
      [`impact of the hot dataset (${int(hotNames.reached)} records), \`items { entity { id name } distance }\`: ≤ 1.5× the minimal Cypher, HTTP p50 / p95`, againstMinimal(hotNames), within(hotNames, 1.5) ? 'yes' : 'no'],
      ['the same with `path { text }`: ≤ 2× the minimal Cypher that returns the paths, HTTP p50 / p95', againstMinimal(hotPaths), within(hotPaths, 2) ? 'yes' : 'no'],
      ['its first page (50 items with paths, counts and groups): HTTP p95 < 30 ms', `${ms(hotPage.http.p95)} ms (p50 ${ms(hotPage.http.p50)})`, hotPage.http.p95 < 30 ? 'yes' : 'no'],
      [`${roots.foundation.radius}-record impact under ${plan.connections} connections: API CPU ≤ 1.5 ms per request`, `${ms(names.cpuMsPerRequest)} ms`, names.cpuMsPerRequest <= 1.5 ? 'yes' : 'no'],
      [`the same: requests/s ≥ 3× the earlier revision's, in the same run`, before ? `${int(names.requestsPerSecond)} against ${int(before.requestsPerSecond)} (${ratio(names.requestsPerSecond, before.requestsPerSecond)})` : 'not measured (run with --against <checkout>)', before ? (names.requestsPerSecond >= 3 * before.requestsPerSecond ? 'yes' : 'no') : 'n/a'],
      [`impact p95 < 50 ms, hot dataset, the screen (estate of ${int(estate.assetCount)} records)`, `${ms(hotScreen.http.p95)} ms (HTTP ÷ minimal Cypher p50 / p95: ${againstMinimal(hotScreen)})`, hotScreen.http.p95 < 50 ? 'yes' : 'no'],
      [`sync ≥ 20,000 records/s (first load; the raw Cypher baseline reaches ${int(raw.recordsPerSecond)})`, int(first.recordsPerSecond), first.recordsPerSecond >= 20_000 ? 'yes' : 'no'],
      // Db hits, not time: they do not move with the machine's load, and they are what a page reads.
      [`\`entities(first: 50)\` page ${lists.page} costs what page 1 does (db hits, without totalCount)`, `${int(lists.far.dbHits)} against ${int(lists.first.dbHits)} (HTTP p50 ${ratio(lists.far.http.p50, lists.first.http.p50)})`, lists.far.dbHits <= 1.1 * lists.first.dbHits ? 'yes' : 'no'],
    ]);
    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    const header = `#### ${plan.size}: ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships (${estate.domains} domains, seed ${estate.seed})\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine(host)}. Neo4j ${app.embedded ? `embedded, heap ${env.EMBEDDED_NEO4J_HEAP}, page cache ${env.EMBEDDED_NEO4J_PAGECACHE}` : 'external'}. Whole run: ${minutes} min; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (above the core count means other work shared the machine).${against ? ` The API of ${against} ran beside this one on the same Neo4j.` : ''}\n\nRoots: hot dataset reaches ${int(estate.hot.radius)} records, typical raw dataset ${int(estate.typical.radius)}, ${roots.foundation.label} ${int(estate.foundation.radius)}, deepest decision has ${int(estate.deepest.radius)} upstream (all at depth ${IMPACT_DEPTH}, checked against the API).\n\n${goals}\n`;
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
    await other?.stop();
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
