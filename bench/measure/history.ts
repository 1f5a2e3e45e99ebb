/**
 * History (issue 13): a second copy of the estate, under its own source, goes through ten dated
 * rounds of churn (bench/churn.ts) until its history is at least half its live size, while the
 * first copy stays as loaded. The two copies are disjoint graphs of the same shape in one database,
 * so a query on one and the same query on the other take turns call by call and meet the same load:
 * current-time impact and lineage with history against without, before the churn (the noise floor)
 * and after it; asOf an instant in the middle of the churn against now; and the same syncs on both.
 */
import { performance } from 'node:perf_hooks';
import neo4j from 'neo4j-driver';
import { Churn, CHURN_RATES, ChurnRound, relKey } from '../churn';
import { batchesOf, Estate, IMPACT_DEPTH, Ref, refKey, RelationshipInput, Root, SOURCE, SyncBatch, toBatches, TYPE_ORDER, TypedItem } from '../estate';
import { ImpactGraph } from '../impactGraph';
import { Bench, capturedQueries, cpuSeconds, dbHitsOf, Json, profile, QueryClock } from './harness';
import { CREATE_KEY, IMPACT, IMPACT_AS_OF, IMPACT_NAMES, IMPACT_NAMES_AS_OF, IMPACT_PAGE, IMPACT_PATHS, LINEAGE, LINEAGE_AS_OF, SYNC } from './operations';
import { int, ms, ratio, Summary, table } from '../report';

export const HISTORY_SOURCE = 'bench-history';
const ROUNDS = 10;
/** Enough calls per series for a steady p50 at two series a query, few enough to keep the phase in minutes. */
const MAX_CALLS = 80;
/** Deltas synced on each copy for the sync comparison: one call each at medium, too few to be steady. */
const DELTAS = 3;

type Roots = Record<'hot' | 'typical' | 'deepest', Root>;
/** A record's id in each copy, by refKey. */
type Ids = Map<string, string>;

interface Case { label: string; query: string; variables: (id: string) => Json; root: Root; read: (data: Json) => number }

const depth = IMPACT_DEPTH;
const impactCount = (data: Json) => data.impact.count ?? data.impact.items.length;
const lineageCount = (data: Json) => data.lineage.nodes.length - 1;

function cases(roots: Roots): Case[] {
  const impact = (label: string, query: string, root: Root): Case => ({ label, query, variables: (id) => ({ id, depth }), root, read: impactCount });
  const lineage = (direction: 'UPSTREAM' | 'BOTH', root: Root): Case => ({ label: `lineage ${direction.toLowerCase()}, ${root.label}`, query: LINEAGE, variables: (id) => ({ id, direction, depth }), root, read: lineageCount });
  return [
    impact(`impact, ${roots.typical.label}: the screen`, IMPACT, roots.typical),
    impact(`impact, ${roots.hot.label}: \`items { entity { id name } distance }\``, IMPACT_NAMES, roots.hot),
    impact(`impact, ${roots.hot.label}: with \`path { text }\``, IMPACT_PATHS, roots.hot),
    impact(`impact, ${roots.hot.label}: first page`, IMPACT_PAGE, roots.hot),
    impact(`impact, ${roots.hot.label}: the screen`, IMPACT, roots.hot),
    lineage('UPSTREAM', roots.deepest),
    lineage('BOTH', roots.hot),
  ];
}

interface Paired { label: string; plain: Summary; history: Summary; reached: number; dbHits: { plain: number; history: number } }

/** PROFILE db hits of every Cypher query the operation sends: what it reads, whatever the machine's load. */
async function dbHits(bench: Bench, query: string, variables: Json): Promise<number> {
  let total = 0;
  for (const { cypher, params } of await capturedQueries(bench, query, variables, 'lineage/')) total += dbHitsOf(await profile(bench, cypher, params));
  return total;
}

/** Each case on the copy without history and on the one with, in turns; both must reach what `expected` says. */
async function pairs(bench: Bench, list: Case[], ids: { plain: Ids; history: Ids }, expected: (c: Case) => number | undefined): Promise<Paired[]> {
  const out: Paired[] = [];
  for (const c of list) {
    const plain = c.variables(ids.plain.get(refKey(c.root.ref))!);
    const history = c.variables(ids.history.get(refKey(c.root.ref))!);
    const reached = [c.read(await bench.http(c.query, plain)), c.read(await bench.http(c.query, history))];
    const want = expected(c);
    bench.check(reached[0] === reached[1] && (want === undefined || reached[0] === want), `${c.label}: reached ${reached.join(' and ')} on the copies without and with history${want === undefined ? '' : `, the generator predicts ${want}`}`);
    const [a, b] = await bench.timeEach([() => bench.http(c.query, plain), () => bench.http(c.query, history)], Math.min(bench.plan.iterations, MAX_CALLS));
    out.push({ label: c.label, plain: a, history: b, reached: reached[1], dbHits: { plain: await dbHits(bench, c.query, plain), history: await dbHits(bench, c.query, history) } });
  }
  return out;
}

/** Live and historical records and relationships of a source: a measuring probe, not a query the API needs. */
async function countHistory(bench: Bench, source: string) {
  const { records } = await bench.driver.executeQuery(`
CALL () { MATCH (n:Entity {source: $source}) RETURN count(n) AS records }
CALL () { MATCH (:Entity {source: $source})-[r]->() WHERE type(r) <> 'WAS' RETURN count(r) AS relationships }
CALL () { MATCH (n:Retired {source: $source}) RETURN count(n) AS retired }
CALL () { MATCH (n:Entity|Retired {source: $source})-[r:WAS]->() RETURN count(r) AS was }
CALL () { MATCH (v:EntityVersion {source: $source}) RETURN count(v) AS versions }
RETURN records, relationships, retired, was, versions`, { source }, { database: bench.config.neo4j.database });
  const get = (name: string) => neo4j.integer.toNumber(records[0].get(name));
  const live = get('records') + get('relationships');
  const history = get('versions') + get('was') + get('retired');
  return { records: get('records'), relationships: get('relationships'), versions: get('versions'), was: get('was'), retired: get('retired'), live, history, share: history / live };
}

async function idsOf(bench: Bench, source: string): Promise<Ids> {
  const { records } = await bench.driver.executeQuery('MATCH (n:Entity {source: $source}) RETURN n.type AS type, n.externalId AS externalId, n.id AS id', { source }, { database: bench.config.neo4j.database });
  return new Map(records.map((row) => [refKey({ type: row.get('type'), externalId: row.get('externalId') }), row.get('id') as string]));
}

/** One sync call over HTTP; its report must be ok. */
async function sync(bench: Bench, batch: SyncBatch, key: string, what: string) {
  const start = performance.now();
  const { syncInventory: report } = await bench.http(SYNC, { input: batch }, key);
  const elapsed = performance.now() - start;
  bench.check(report.ok === true, `${what}: sync report not ok: ${JSON.stringify(report.errors).slice(0, 500)}`);
  const items = Object.values(batch.assets).reduce((sum, list) => sum + (list?.length ?? 0), 0) + batch.relationships.length;
  return { ms: elapsed, items, report };
}

/** Runs each field `name(...)` for `rows` in requests of as many aliases as the API takes. */
async function aliased(bench: Bench, key: string, name: string, args: (index: number) => string, select: string, count: number, check: (result: Json) => boolean) {
  const size = bench.config.limits.maxRootFields;
  for (let start = 0; start < count; start += size) {
    const fields = Array.from({ length: Math.min(size, count - start) }, (_, i) => `f${i}: ${name}(${args(start + i)}) { ${select} }`);
    const data = await bench.http(`mutation BenchHistoryRemoval { ${fields.join(' ')} }`, {}, key);
    for (const result of Object.values(data)) bench.check(check(result as Json), `${name}: ${JSON.stringify(result)}`);
  }
}

/** A round: its removals through the editing mutations, then its sync dated at one instant. */
async function applyRound(bench: Bench, round: ChurnRound, ids: Ids, key: string) {
  const id = (ref: Ref) => JSON.stringify(ids.get(refKey(ref)));
  const started = performance.now();
  await aliased(bench, key, 'unlink', (i) => `type: ${round.unlink[i].type}, fromId: ${id(round.unlink[i].from)}, toId: ${id(round.unlink[i].to)}`, 'removed', round.unlink.length, (r) => r.removed === true);
  await aliased(bench, key, 'deleteEntity', (i) => `id: ${id(round.remove[i])}, cascade: true`, 'id', round.remove.length, (r) => typeof r.id === 'string');
  const removalMs = performance.now() - started;
  const at = new Date().toISOString();
  let syncMs = 0;
  let items = 0;
  const counts = { created: 0, updated: 0, relCreated: 0, relUpdated: 0 };
  for (const batch of batchesOf(round.records, round.relationships, bench.config.limits.maxSyncBatch, HISTORY_SOURCE, at)) {
    const call = await sync(bench, batch, key, `churn round ${round.round}`);
    syncMs += call.ms;
    items += call.items;
    counts.created += call.report.assets.created;
    counts.updated += call.report.assets.updated;
    counts.relCreated += call.report.relationships.created;
    counts.relUpdated += call.report.relationships.updated;
  }
  const c = round.counts;
  bench.check(counts.created + counts.updated === round.records.length && counts.relCreated === c.moved + c.restored && counts.relUpdated === c.relationshipsChanged,
    `churn round ${round.round}: sync reported ${JSON.stringify(counts)} for ${JSON.stringify(c)}`);
  // Revived records come back with the ids they had: the map stays true.
  return { at, removalMs, syncMs, items, removals: round.unlink.length + round.remove.length };
}

/** The same syncs on both copies, call by call in turns (A B B A by pairs), so that both meet the same load. */
async function syncBoth(bench: Bench, plain: SyncBatch[], history: SyncBatch[], keys: { plain: string; history: string }, what: string, clocks?: { plain: QueryClock; history: QueryClock }) {
  const totals = { plain: { ms: 0, items: 0 }, history: { ms: 0, items: 0 } };
  let changed = 0;
  for (let i = 0; i < Math.max(plain.length, history.length); i += 1) {
    const order = i % 2 === 0 ? (['plain', 'history'] as const) : (['history', 'plain'] as const);
    for (const copy of order) {
      const batch = (copy === 'plain' ? plain : history)[i];
      if (!batch) continue;
      clocks?.[copy].begin();
      const call = await sync(bench, batch, keys[copy], `${what} (${copy})`);
      if (clocks) {
        clocks[copy].close();
        clocks[copy].active = false;
      }
      totals[copy].ms += call.ms;
      totals[copy].items += call.items;
      const { assets, relationships } = call.report;
      changed += assets.created + assets.updated + relationships.created + relationships.updated;
    }
  }
  const rate = (t: { ms: number; items: number }) => t.items / (t.ms / 1000);
  return { plain: rate(totals.plain), history: rate(totals.history), items: totals.history.items, changed };
}

export interface HistoryFigures {
  share: number;
  /** Current-time HTTP p50 with history ÷ without, the same run, after the churn; worst case and each. */
  after: Paired[];
  before: Paired[];
  asOf: Paired[] | undefined;
  delta: { plain: number; history: number };
  resync: { plain: number; history: number };
}

export async function benchHistory(bench: Bench, estate: Estate, roots: Roots, plainKey: string): Promise<HistoryFigures> {
  const maxBatch = bench.config.limits.maxSyncBatch;
  const key = (await bench.execute(CREATE_KEY, { name: 'bench-history', role: 'SYNC', source: HISTORY_SOURCE })).data.createApiKey.key as string;
  const cpu0 = cpuSeconds(bench.app.embedded?.pid);
  const loadStart = performance.now();
  for (const batch of toBatches(estate, maxBatch, HISTORY_SOURCE)) await sync(bench, batch, key, 'second copy, first load');
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const ids = { plain: await idsOf(bench, SOURCE), history: await idsOf(bench, HISTORY_SOURCE) };
  const list = cases(roots);
  const generated = (c: Case) => (c.query === LINEAGE && c.variables('').direction === 'BOTH' ? undefined : c.root.radius);
  const before = await pairs(bench, list, ids, generated);

  const churn = new Churn(estate, [roots.hot.ref, roots.typical.ref, roots.deepest.ref, estate.foundation.ref]);
  const rounds: string[][] = [];
  let middle: { at: string; hot: number; deepest: number } | undefined;
  let counted = await countHistory(bench, HISTORY_SOURCE);
  for (let r = 1; r <= ROUNDS; r += 1) {
    const round = churn.next(r, r === ROUNDS);
    const applied = await applyRound(bench, round, ids.history, key);
    counted = await countHistory(bench, HISTORY_SOURCE);
    const c = round.counts;
    process.stderr.write(`history: round ${r} of ${ROUNDS}, ${int(applied.removals)} removals in ${ms(applied.removalMs / 1000)} s, ${int(applied.items)} items synced in ${ms(applied.syncMs / 1000)} s; history ${counted.share.toFixed(2)}× the live graph\n`);
    rounds.push([String(r), applied.at.slice(11, 23), int(c.changed), int(c.revived), int(c.deleted), int(c.moved), int(c.movedBack + c.restored), int(c.relationshipsChanged),
      `${ms(applied.removalMs / 1000)} (${int(applied.removals)})`, `${ms(applied.syncMs / 1000)} (${int(applied.items)})`, int(applied.items / (applied.syncMs / 1000)),
      int(counted.versions), int(counted.was), int(counted.retired), `${counted.share.toFixed(2)}×`]);
    if (r === ROUNDS / 2) {
      const graph = new ImpactGraph(churn.liveRelationships());
      middle = { at: new Date().toISOString(), hot: graph.radius(roots.hot.ref, depth), deepest: graph.upstreamRadius(roots.deepest.ref, depth) };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const churnCpu = cpuSeconds(bench.app.embedded?.pid);
  bench.check(counted.share >= 0.5, `history is ${counted.share.toFixed(2)}× the live graph after ${ROUNDS} rounds, short of 0.5×`);
  const plainCounted = await countHistory(bench, SOURCE);
  const after = await pairs(bench, list, ids, generated);

  let asOf: Paired[] | undefined;
  if (middle) {
    const instant = middle.at;
    const asOfCases: Array<Case & { expected: number | undefined }> = [
      { label: `impact, ${roots.hot.label}: names`, query: IMPACT_NAMES_AS_OF, variables: (id) => ({ id, depth }), root: roots.hot, read: impactCount, expected: middle.hot },
      { label: `impact, ${roots.hot.label}: the screen`, query: IMPACT_AS_OF, variables: (id) => ({ id, depth }), root: roots.hot, read: impactCount, expected: middle.hot },
      { label: `impact, ${roots.typical.label}: the screen`, query: IMPACT_AS_OF, variables: (id) => ({ id, depth }), root: roots.typical, read: impactCount, expected: undefined },
      { label: `lineage upstream, ${roots.deepest.label}`, query: LINEAGE_AS_OF, variables: (id) => ({ id, direction: 'UPSTREAM', depth }), root: roots.deepest, read: lineageCount, expected: middle.deepest },
      { label: `lineage both, ${roots.hot.label}`, query: LINEAGE_AS_OF, variables: (id) => ({ id, direction: 'BOTH', depth }), root: roots.hot, read: lineageCount, expected: undefined },
    ];
    asOf = [];
    for (const c of asOfCases) {
      const id = ids.history.get(refKey(c.root.ref))!;
      const now = { ...c.variables(id), asOf: null };
      const then = { ...c.variables(id), asOf: instant };
      const reached = c.read(await bench.http(c.query, then));
      bench.check(c.expected === undefined || reached === c.expected, `${c.label} as of ${instant}: reached ${reached}, the churn's model of that instant predicts ${c.expected}`);
      const [current, past] = await bench.timeEach([() => bench.http(c.query, now), () => bench.http(c.query, then)], Math.min(bench.plan.iterations, MAX_CALLS));
      asOf.push({ label: c.label, plain: current, history: past, reached, dbHits: { plain: await dbHits(bench, c.query, now), history: await dbHits(bench, c.query, then) } });
    }
  }

  // The same deltas on both copies (the same records and relationships changed), then a whole re-sync of each as it stands.
  const probes = Array.from({ length: DELTAS }, (_, i) => new Churn(estate, [], CHURN_RATES, 7 + i).next(100 + i, true));
  const deltaBatches = (source: string) => probes.flatMap((probe) => batchesOf(probe.records, probe.relationships, maxBatch, source));
  const clocks = { plain: new QueryClock(bench.app.gateway.catalog), history: new QueryClock(bench.app.gateway.catalog) };
  const delta = await syncBoth(bench, deltaBatches(SOURCE), deltaBatches(HISTORY_SOURCE), { plain: plainKey, history: key }, 'delta', clocks);
  const overlay = <T>(items: T[], changed: T[], keyOf: (item: T) => string) => {
    const byKey = new Map(changed.map((item) => [keyOf(item), item]));
    return items.map((item) => byKey.get(keyOf(item)) ?? item);
  };
  const recordKey = ({ type, item }: TypedItem) => refKey({ type, externalId: item.externalId });
  const asStands = (records: TypedItem[], relationships: RelationshipInput[], source: string) =>
    batchesOf(probes.reduce((list, probe) => overlay(list, probe.records, recordKey), records), probes.reduce((list, probe) => overlay(list, probe.relationships, relKey), relationships), maxBatch, source);
  const plainRecords = TYPE_ORDER.flatMap((type) => estate.assets[type].map((item) => ({ type, item })));
  const resync = await syncBoth(bench, asStands(plainRecords, estate.relationships, SOURCE), asStands(churn.currentRecords(), churn.liveRelationships(), HISTORY_SOURCE), { plain: plainKey, history: key }, 're-sync');
  bench.check(resync.changed === 0, `re-sync of both copies as they stand reported ${resync.changed} changes`);

  const byQuery = new Map<string, { plain: number; history: number }>();
  for (const copy of ['plain', 'history'] as const) {
    for (const [name, , total] of clocks[copy].rows()) {
      const row = byQuery.get(name) ?? { plain: 0, history: 0 };
      row[copy] = total;
      byQuery.set(name, row);
    }
  }
  const deltaQueries = [...byQuery].sort((a, b) => b[1].history - a[1].history);
  report(bench, { deltaQueries, loadSeconds, items: estate.assetCount + estate.relationships.length, cpu0, churnCpu, rounds, counted, plainCounted, before, after, asOf, middle, delta, resync });
  return { share: counted.share, before, after, asOf, delta, resync };
}

const p50 = (p: Paired) => p.history.p50 / p.plain.p50;
/** The worst p50 ratio of a list of pairs (with history, or asOf, ÷ the other). */
export const worst = (list: Paired[]) => list.reduce((max, p) => Math.max(max, p50(p)), 0);

function report(bench: Bench, f: Json): void {
  const counted = f.counted as Awaited<ReturnType<typeof countHistory>>;
  const plain = f.plainCounted as Awaited<ReturnType<typeof countHistory>>;
  const before = new Map((f.before as Paired[]).map((p) => [p.label, p]));
  const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  const pair = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)}`;
  const twice = (a: Summary, b: Summary) => `${ratio(b.p50, a.p50)} / ${ratio(b.p95, a.p95)}`;
  const neo4jCpu = f.churnCpu.neo4j !== undefined && f.cpu0.neo4j !== undefined ? `${ms(f.churnCpu.neo4j - f.cpu0.neo4j)} s of Neo4j CPU and ` : '';
  const current = table(
    ['query', 'records reached', 'calls per series', 'before churn: without / with history, p50 / p95 (ms)', 'ratio p50 / p95', 'after churn: without / with history, p50 / p95', 'ratio p50 / p95', 'with history, after ÷ before (p50)', 'db hits without / with history, before → after'],
    (f.after as Paired[]).map((a) => {
      const b = before.get(a.label)!;
      return [a.label, int(a.reached), `${a.plain.n} / ${b.plain.n}`, `${pair(b.plain)} · ${pair(b.history)}`, twice(b.plain, b.history), `${pair(a.plain)} · ${pair(a.history)}`, twice(a.plain, a.history), ratio(a.history.p50, b.history.p50),
        `${int(b.dbHits.plain)} / ${int(b.dbHits.history)} → ${int(a.dbHits.plain)} / ${int(a.dbHits.history)} (${ratio(a.dbHits.history, a.dbHits.plain)})`];
    }),
  );
  const asOf = f.asOf
    ? `Then asOf ${f.middle.at}, an instant between rounds ${ROUNDS / 2} and ${ROUNDS / 2 + 1}, against now, on the copy with history, at the same roots (the same operation with \`asOf\` null and set, in turns; counts as of that instant checked against the churn's model of the graph then):\n\n${table(
        ['query', 'records reached as of', 'calls per series', 'now p50 / p95 (ms)', 'asOf p50 / p95', 'asOf ÷ now p50 / p95', 'db hits now / asOf'],
        (f.asOf as Paired[]).map((p) => [p.label, int(p.reached), String(p.plain.n), pair(p.plain), pair(p.history), twice(p.plain, p.history), `${int(p.dbHits.plain)} / ${int(p.dbHits.history)} (${ratio(p.dbHits.history, p.dbHits.plain)})`]),
      )}`
    : '`asOf` traversals: not measured, the churn had no instant between its rounds.';
  bench.section('History: ten dated rounds of churn, and what they cost (issue 13)',
    `A second copy of the estate is loaded under the source \`${HISTORY_SOURCE}\` (${int(f.items)} items in ${ms(f.loadSeconds)} s, on a database already holding the first), and measured against the first copy, which gets no history: the same queries at the same roots of each take turns call by call (up to ${Math.min(bench.plan.iterations, MAX_CALLS)} calls per series, HTTP), once before the churn (two graphs without history: the noise floor) and once after. Each round: ${pct(CHURN_RATES.records)} of the records sent with a changed field, ${pct(CHURN_RATES.relationships)} of the relationships with a changed property, ${pct(CHURN_RATES.moved)} moved to another record of the same type (unlinked, the new one synced) and the round before's moved back, ${pct(CHURN_RATES.deleted)} of the records deleted (\`deleteEntity\` with cascade) and the round before's sent again with their relationships (revived under their ids). Removals go through \`unlink\` and \`deleteEntity\`, ${bench.config.limits.maxRootFields} aliased to a request: a REPLACE removes only what a whole source omits in one call, and the estate's source (${int(f.items)} items) does not fit in one (MAX_SYNC_BATCH). The sync of a round is dated (\`at\`: one instant for all its calls, after its removals). The last round only brings back, so the live graph ends as it began, with changed fields, and the roots reach what the generator predicts. The churn used ${neo4jCpu}${ms(f.churnCpu.node - f.cpu0.node)} s of the API process's CPU (the load of the copy included).\n\n${table(
      ['round', 'at (UTC)', 'records changed', 'revived', 'deleted', 'relationships moved', 'brought back', 'relationship properties changed', 'removals s (mutations)', 'sync s (items)', 'sync items/s', 'versions', 'WAS', 'retired', 'history ÷ live'],
      f.rounds,
    )}\n\nAfter the churn the copy holds ${int(counted.records)} live records and ${int(counted.relationships)} live relationships, and ${int(counted.versions)} versions, ${int(counted.was)} WAS relationships and ${int(counted.retired)} retired records: history ${counted.share.toFixed(2)}× the live graph (the copy without history: ${int(plain.versions + plain.was + plain.retired)} history items for ${int(plain.live)} live).\n\nCurrent-time traversals, without history (the first copy) and with it (the second):\n\n${current}\n\n${asOf}\n\nSyncs on both copies, call by call in turns: the same ${DELTAS} deltas (${int(f.delta.items)} items in all, each ${pct(CHURN_RATES.records)} of the records with a changed field and ${pct(CHURN_RATES.relationships)} of the relationships with a changed property, undated), then a re-sync of each copy as it stands (nothing changes; ${int(f.resync.items)} items):\n\n${table(
      ['sync', 'items per copy', 'without history (items/s)', 'with history (items/s)', 'with ÷ without'],
      [['deltas', int(f.delta.items), int(f.delta.plain), int(f.delta.history), ratio(f.delta.history, f.delta.plain)], ['re-sync (unchanged)', int(f.resync.items), int(f.resync.plain), int(f.resync.history), ratio(f.resync.history, f.resync.plain)]],
    )}\n\nWhere the deltas' time goes, by Cypher file, on each copy (as in the first load's table):\n\n${table(
      ['query', 'without history (s)', 'with history (s)', 'with ÷ without'],
      (f.deltaQueries as Array<[string, { plain: number; history: number }]>).map(([name, t]) => [name, ms(t.plain / 1000), ms(t.history / 1000), ratio(t.history, t.plain)]),
    )}`);
}
