/**
 * `npm run bench [-- --size small|medium|large] [--smoke] [--write] [--against <checkout>] [--history-only | --no-history]`
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
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { prepareBenchApp, runBench } from './app';
import { IMPACT_DEPTH, SOURCE, toBatches } from './estate';
import { generateEstate, SIZES, SizeName } from './generate';
import { PLANS } from './plans';
import { benchCoverage } from './measure/coverage';
import { Bench, Plan } from './measure/harness';
import { benchLineage, idOf, profileHotImpact } from './measure/lineage';
import { benchHistory, worst } from './measure/history';
import { benchLists } from './measure/lists';
import { Comparison, twoRatios } from './measure/minimalCypher';
import { CREATE_KEY } from './measure/operations';
import { benchRoundTrips } from './measure/roundTrips';
import { benchLoad } from './measure/sync';
import { benchThroughput, startTarget, Target } from './measure/throughput';
import { int, machine, machineLine, ms, ratio, table, writeFigures } from './report';


export function parseArgs(argv: string[]): { plan: Plan; write: boolean; against: string | undefined; historyOnly: boolean; withHistory: boolean } {
  let size: SizeName = 'small';
  let write = false;
  let historyOnly = false;
  let withHistory = true;
  let against: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--smoke') size = 'smoke';
    else if (arg === '--write') write = true;
    else if (arg === '--history-only') historyOnly = true;
    else if (arg === '--no-history') withHistory = false;
    else if (arg === '--against' || arg.startsWith('--against=')) {
      against = path.resolve(arg.includes('=') ? arg.split('=')[1] : argv[++i]);
      if (!fs.existsSync(path.join(against, 'src/app.ts'))) throw new Error(`--against needs a checkout of this project (src/app.ts), got "${against}"`);
    } else if (arg === '--size' || arg.startsWith('--size=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      if (!(value in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}, got "${value}"`);
      size = value as SizeName;
    } else {
      throw new Error(`Unknown argument "${arg}". Use --size small|medium|large, --smoke, --write, --against <checkout>, --history-only, --no-history.`);
    }
  }
  if (historyOnly && !withHistory) throw new Error('--history-only and --no-history exclude each other.');
  return { plan: PLANS[size], write, against, historyOnly, withHistory };
}

async function main(): Promise<number> {
  const { plan, write, against, historyOnly, withHistory } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const external = process.env.NEO4J_URI;
  const prepared = await prepareBenchApp({
    EMBEDDED_NEO4J_HEAP: process.env.EMBEDDED_NEO4J_HEAP ?? plan.heap,
    EMBEDDED_NEO4J_PAGECACHE: process.env.EMBEDDED_NEO4J_PAGECACHE ?? plan.pageCache,
    MAX_SYNC_BATCH: process.env.MAX_SYNC_BATCH,
  });
  const { config } = prepared;

  const estate = generateEstate(SIZES[plan.size]);
  const batches = toBatches(estate, config.limits.maxSyncBatch);
  process.stderr.write(`bench ${plan.size}: ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships in ${batches.length} sync calls; starting ${external ? `against ${external}` : 'an embedded Neo4j'}\n`);

  const { app, connection, driver, stop } = await prepared.start();
  const bench = new Bench(app, config, driver, plan);
  const targets: Target[] = [];
  try {
    const versionRows = await driver.executeQuery('CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition', {}, { database: connection.database });
    const neo4jVersion = `${versionRows.records[0].get('version')} ${versionRows.records[0].get('edition')}`;
    const host = machine(neo4jVersion);
    const key = async (role: string, source?: string) => (await bench.execute(CREATE_KEY, { name: `bench-${role.toLowerCase()}-${randomUUID().slice(0, 8)}`, role, source })).data.createApiKey.key as string;
    bench.keys = { sync: await key('SYNC', SOURCE), compliance: await key('COMPLIANCE'), viewer: await key('VIEWER') };

    const { raw, first, again } = await benchLoad(bench, estate, batches);

    const roots = {
      hot: { ...estate.hot, id: await idOf(bench, estate.hot.ref) },
      typical: { ...estate.typical, id: await idOf(bench, estate.typical.ref) },
      deepest: { ...estate.deepest, id: await idOf(bench, estate.deepest.ref) },
      foundation: { ...estate.foundation, id: await idOf(bench, estate.foundation.ref) },
    };
    const history = async () => {
      const figures = await benchHistory(bench, estate, roots, bench.keys.sync);
      const asOf = figures.asOf ? worst(figures.asOf) : undefined;
      return [
        ['history ≥ 0.5× the live graph after ten rounds of churn (versions + WAS + retired ÷ live records + relationships)', `${figures.share.toFixed(2)}×`, figures.share >= 0.5 ? 'yes' : 'no'],
        ['current-time impact and lineage with history ≤ 1.1× without, same run (HTTP p50, the worst of seven queries; before the churn, two copies without history)', `${worst(figures.after).toFixed(2)}× (before: ${worst(figures.before).toFixed(2)}×)`, worst(figures.after) <= 1.1 ? 'yes' : 'no'],
        ['`asOf` impact and lineage ≤ 2× now at the same root (HTTP p50, the worst of five queries)', asOf === undefined ? 'not measured (no asOf in the API under test)' : `${asOf.toFixed(2)}×`, asOf === undefined ? 'n/a' : asOf <= 2 ? 'yes' : 'no'],
        ['sync with history ≥ 0.9× without, the same deltas on both copies, in turns (items/s)', `${int(figures.delta.history)} against ${int(figures.delta.plain)} (${ratio(figures.delta.history, figures.delta.plain)}); re-sync ${ratio(figures.resync.history, figures.resync.plain)}`, figures.delta.history >= 0.9 * figures.delta.plain ? 'yes' : 'no'],
      ];
    };
    if (historyOnly) {
      const goals = table(['target', 'measured', 'met'], await history());
      const minutes = ((performance.now() - started) / 60_000).toFixed(1);
      const header = `#### ${plan.size}, history phase alone (\`--history-only\`): ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships per copy\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine(host)}. Whole run (the first load included): ${minutes} min; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end.\n\n${goals}\n`;
      process.stdout.write(`${header}\n`);
      if (bench.failures.length > 0) return 1;
      if (write) writeFigures(path.join(__dirname, 'README.md'), `history-${plan.size}`, [header, ...bench.sections.filter((s) => s.startsWith('### History')).map((s) => s.replace(/^### /, '##### '))].join('\n'));
      return 0;
    }
    const impacts = await benchLineage(bench, roots);
    await benchRoundTrips(bench);
    const lists = await benchLists(bench);
    await benchCoverage(bench);
    targets.push(await startTarget('this checkout', path.join(__dirname, '..'), connection));
    if (against) targets.push(await startTarget(`--against ${path.basename(against)}`, against, connection));
    const throughput = await benchThroughput(bench, targets, roots);
    await Promise.all(targets.map((target) => target.stop()));
    await profileHotImpact(bench, roots.hot.id);
    // Last: it loads a second copy of the estate, which the sections above must not see. At large
    // that copy and its ten rounds of churn take longer than the rest of the run together.
    const historyGoals = withHistory ? await history() : [['history (issue 13)', 'not measured in this run (--no-history)', 'n/a']];

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
      [`sync first load ≥ 0.9× the raw Cypher baseline (items/s)`, `${int(first.itemsPerSecond)} against ${int(raw.itemsPerSecond)} (${ratio(first.itemsPerSecond, raw.itemsPerSecond)})`, first.itemsPerSecond >= 0.9 * raw.itemsPerSecond ? 'yes' : 'no'],
      [`re-sync, unchanged, ≥ 15,000 items/s`, int(again.itemsPerSecond), again.itemsPerSecond >= 15_000 ? 'yes' : 'no'],
      ...historyGoals,
      // Db hits, not time: they do not move with the machine's load, and they are what a page reads.
      [`\`entities(first: 50)\` page ${lists.page} costs what page 1 does (db hits, without totalCount)`, `${int(lists.far.dbHits)} against ${int(lists.first.dbHits)} (HTTP p50 ${ratio(lists.far.http.p50, lists.first.http.p50)})`, lists.far.dbHits <= 1.1 * lists.first.dbHits ? 'yes' : 'no'],
    ]);
    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    const header = `#### ${plan.size}: ${int(estate.assetCount)} records, ${int(estate.relationships.length)} relationships (${estate.domains} domains, seed ${estate.seed})\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine(host)}. Neo4j ${app.embedded ? `embedded, heap ${config.neo4j.embedded.heap}, page cache ${config.neo4j.embedded.pageCache}` : 'external'}. Whole run: ${minutes} min; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (above the core count means other work shared the machine).${against ? ` The API of ${against} ran beside this one on the same Neo4j.` : ''}\n\nRoots: hot dataset reaches ${int(estate.hot.radius)} records, typical raw dataset ${int(estate.typical.radius)}, ${roots.foundation.label} ${int(estate.foundation.radius)}, deepest decision has ${int(estate.deepest.radius)} upstream (all at depth ${IMPACT_DEPTH}, checked against the API).\n\n${goals}\n`;
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
    await Promise.all(targets.map((target) => target.stop()));
    await stop();
  }
}

runBench(main);
