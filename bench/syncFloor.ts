/**
 * `npm run bench:sync-floor [-- --size smoke|small|medium|large] [--rounds N] [--write]`
 *
 * Says whether the first load's gap to the raw write baseline lies in the database's work or in the
 * API's own (HTTP, GraphQL, checks, planning, the driver's packing). Loads the estate once through
 * syncInventory over HTTP, recording the statements each call sends; then, in rounds, on a cleared
 * source, measures in turns (each round starts one further along the list):
 * - the bench's raw baseline (bench/measure/sync.ts: the API's create statements on a sample);
 * - the API's first load, as `npm run bench` makes it;
 * - the recorded statements replayed through neo4j-driver, each call's in one transaction, all sent
 *   at once with no JavaScript between them: every statement (the API's database work with its
 *   own work taking no time); only the creates and the audit's change set; only the creates.
 * Replays write what the API wrote (the same ids and keys), so each runs on a cleared source.
 * Prints Markdown; --write puts it into bench/README.md. Exits 1 when a load's answers are wrong.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { toNeo4j } from '../src/db/neo4jValues';
import type { QueryName } from '../src/generated/queries';
import { prepareBenchApp, runBench } from './app';
import { SOURCE, toBatches } from './estate';
import { generateEstate, SIZES, SizeName } from './generate';
import { Bench, cpuSeconds } from './measure/harness';
import { CREATE_KEY } from './measure/operations';
import { benchRawWrites, benchSync, RAW_SAMPLE } from './measure/sync';
import { PLANS } from './plans';
import { int, machine, machineLine, summarize, table, writeFigures } from './report';

interface Statement { name: QueryName; text: string; params: Record<string, unknown> }
type Call = Statement[];

const VARIANTS = ['raw baseline', 'API first load', 'replay: every statement', 'replay: creates and change set', 'replay: creates only'] as const;
type Variant = (typeof VARIANTS)[number];
const WRITES_AND_AUDIT = new Set<QueryName>(['estate/createEntities', 'estate/createRelationships', 'estate/recordChangeSet']);
const CREATES = new Set<QueryName>(['estate/createEntities', 'estate/createRelationships']);

function parseArgs(argv: string[]): { size: SizeName; rounds: number; write: boolean } {
  let size: SizeName = 'medium';
  let rounds = 3;
  let write = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--write') write = true;
    else if (arg === '--size' && argv[i + 1] in SIZES) size = argv[++i] as SizeName;
    else if (arg === '--rounds' && Number(argv[i + 1]) >= 1) rounds = Number(argv[++i]);
    else throw new Error(`Unknown or incomplete argument "${arg}". Use --size ${Object.keys(SIZES).join('|')}, --rounds N (at least 1), --write.`);
  }
  return { size, rounds, write };
}

const median = (values: number[]) => summarize(values).p50;
const spread = (values: number[], format: (value: number) => string) => `${format(Math.min(...values))}–${format(Math.max(...values))}`;

async function main(): Promise<number> {
  const { size, rounds, write } = parseArgs(process.argv.slice(2));
  const plan = PLANS[size];
  const loadBefore = os.loadavg()[0];
  const prepared = await prepareBenchApp({ EMBEDDED_NEO4J_HEAP: plan.heap, EMBEDDED_NEO4J_PAGECACHE: plan.pageCache });
  const estate = generateEstate(SIZES[size]);
  const batches = toBatches(estate, prepared.config.limits.maxSyncBatch);
  const items = estate.assetCount + estate.relationships.length;
  const { app, config, driver, stop } = await prepared.start();
  const bench = new Bench(app, config, driver, plan);
  const database = config.neo4j.database;
  try {
    bench.keys.sync = (await bench.execute(CREATE_KEY, { name: `bench-sync-floor-${randomUUID().slice(0, 8)}`, role: 'SYNC', source: SOURCE })).data.createApiKey.key as string;

    /** The estate's statements of a first load, call by call: each call's begin with its source's lock. */
    const recordedLoad = async (): Promise<Call[]> => {
      const catalog = app.gateway.catalog;
      const original = catalog.get;
      const calls: Call[] = [];
      catalog.get = (name: QueryName, params?: Record<string, unknown>) => {
        const text = original.call(catalog, name, params);
        if (name === 'estate/lockSource') calls.push([]);
        if (name.startsWith('estate/')) calls.at(-1)?.push({ name, text, params: params ?? {} });
        return text;
      };
      try {
        await benchSync(bench, batches, 'first load');
      } finally {
        catalog.get = original;
      }
      if (calls.length !== batches.length) throw new Error(`recorded ${calls.length} calls' statements for ${batches.length} sync calls`);
      return calls;
    };
    const clearSource = async () => {
      const session = driver.session({ database });
      try {
        for (const label of ['Entity', 'Retired', 'ChangeSet']) {
          await session.run(`MATCH (n:${label} {source: $source}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, { source: SOURCE });
        }
        await session.run('MATCH (lock:SourceLock {name: $source}) DELETE lock', { source: SOURCE });
      } finally {
        await session.close();
      }
    };
    const replay = async (calls: Call[], keep: (statement: Statement) => boolean) => {
      const session = driver.session({ database });
      const started = performance.now();
      try {
        for (const call of calls) {
          const statements = call.filter(keep);
          await session.executeWrite((tx) => Promise.all(statements.map((statement) => tx.run(statement.text, toNeo4j(statement.params) as Record<string, unknown>))));
        }
      } finally {
        await session.close();
      }
      return items / ((performance.now() - started) / 1000);
    };

    await benchRawWrites(bench, estate);
    const calls = await recordedLoad();
    await clearSource();
    const measure: Record<Variant, () => Promise<number>> = {
      'raw baseline': async () => (await benchRawWrites(bench, estate)).itemsPerSecond,
      'API first load': async () => (await benchSync(bench, batches, 'first load')).itemsPerSecond,
      'replay: every statement': () => replay(calls, () => true),
      'replay: creates and change set': () => replay(calls, (statement) => WRITES_AND_AUDIT.has(statement.name)),
      'replay: creates only': () => replay(calls, (statement) => CREATES.has(statement.name)),
    };
    const figures = new Map<Variant, Array<{ rate: number; nodeCpu: number; neo4jCpu: number }>>(VARIANTS.map((variant) => [variant, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = VARIANTS.map((_, index) => VARIANTS[(index + round) % VARIANTS.length]);
      for (const variant of order) {
        const before = cpuSeconds(app.embedded?.pid);
        const rate = await measure[variant]();
        const after = cpuSeconds(app.embedded?.pid);
        figures.get(variant)!.push({ rate, nodeCpu: after.node - before.node, neo4jCpu: (after.neo4j ?? NaN) - (before.neo4j ?? NaN) });
        if (variant !== 'raw baseline') await clearSource();
        process.stderr.write(`round ${round + 1}, ${variant}: ${int(rate)} items/s\n`);
      }
    }

    const raw = figures.get('raw baseline')!;
    const creates = figures.get('replay: creates only')!;
    const perThousand = (seconds: number) => `${((1000 * 1000 * seconds) / items).toFixed(0)}`;
    const rows = VARIANTS.map((variant) => {
      const runs = figures.get(variant)!;
      const againstRaw = runs.map((run, index) => run.rate / raw[index].rate);
      const againstCreates = runs.map((run, index) => run.rate / creates[index].rate);
      const cpu = variant === 'raw baseline' ? ['', ''] : [perThousand(median(runs.map((run) => run.nodeCpu))), Number.isNaN(runs[0].neo4jCpu) ? 'n/a' : perThousand(median(runs.map((run) => run.neo4jCpu)))];
      return [variant, int(median(runs.map((run) => run.rate))), spread(runs.map((run) => run.rate), int), `${median(againstRaw).toFixed(2)}× (${spread(againstRaw, (value) => value.toFixed(2))})`, `${median(againstCreates).toFixed(2)}× (${spread(againstCreates, (value) => value.toFixed(2))})`, ...cpu];
    });
    const [component] = (await driver.executeQuery('CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition', {}, { database })).records;
    const markdown = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine(machine(`${component.get('version')} ${component.get('edition')}`))}; ${size}: ${int(estate.assetCount)} records and ${int(estate.relationships.length)} relationships in ${batches.length} call${batches.length === 1 ? '' : 's'}; ${rounds} rounds after a warm-up round; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end. Medians over the rounds, the range beside them; each ratio is taken within its round. The raw baseline's items/s are those of its sample (the first ${int(RAW_SAMPLE)} records at most, and the relationships among them) and its CPU is not shown (its two passes and their deletion run inside its time); the others write the whole estate. CPU: milliseconds per 1,000 items, this process (the client, the API and the driver) and the Neo4j JVM.\n\n${table(
      ['variant', 'items/s', 'range', 'vs the raw baseline (bar: 0.9×)', 'vs the replayed creates', 'Node CPU', 'Neo4j CPU'],
      rows,
    )}\n`;
    process.stdout.write(markdown);
    if (bench.failures.length > 0) {
      process.stderr.write(`${bench.failures.length} check(s) failed\n`);
      return 1;
    }
    if (write) writeFigures(path.join(__dirname, 'README.md'), 'sync-floor', markdown);
    return 0;
  } finally {
    await stop();
  }
}

runBench(main);
