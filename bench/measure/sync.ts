/**
 * Sync: the raw Cypher baseline, then the estate's first load through `syncInventory` over HTTP
 * and the same payloads again (an idempotent re-sync), with where the first load's time goes.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { QueryName } from '../../src/generated/queries';
import type { Estate, SyncBatch } from '../estate';
import { Bench, cpuSeconds, QueryClock } from './harness';
import { SYNC } from './operations';
import { int, ms, ratio, summarize, table } from '../report';

export async function benchSync(bench: Bench, batches: SyncBatch[], pass: 'first load' | 're-sync (unchanged)', clock?: QueryClock) {
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
    itemsPerSecond: (records + relationships) / (total / 1000),
  };
}

/** Enough records for a steady rate, few enough to keep the large run short. */
export const RAW_SAMPLE = 20_000;

/**
 * The ceiling the API's sync is measured against: the API's own create statements (the same Cypher
 * files) run straight through neo4j-driver on rows already resolved, with no look-ups, checks,
 * change detection or audit, on a sample of the estate's records and the relationships among them,
 * written under another source and deleted again. Two passes, the first to warm Neo4j's JIT (the
 * API's first load then also meets a warm server, as one that has been up a while is); the second is
 * the figure.
 */
export async function benchRawWrites(bench: Bench, estate: Estate) {
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
      itemsPerSecond: (measured.records + measured.relationships) / total,
    };
  } finally {
    await session.close();
  }
}

/** The two passes' clocks side by side, one row per query, by the first load's time. */
function timeSplit(first: QueryClock, again: QueryClock): string {
  const passes = [first, again].map((clock) => {
    const rows = clock.rows();
    return { byName: new Map(rows.map(([name, calls, total]) => [name, { calls, total }])), sum: rows.reduce((sum, row) => sum + row[2], 0) };
  });
  const names = [...new Set([...first.rows(), ...again.rows()].map(([name]) => name))];
  const cells = (pass: (typeof passes)[number], name: string) => {
    const entry = pass.byName.get(name);
    return entry ? [entry.calls, ms(entry.total / 1000), `${((100 * entry.total) / pass.sum).toFixed(0)}%`] : ['', '', ''];
  };
  return table(
    ['query', 'first load: runs', 'time (s)', 'share', 're-sync: runs', 'time (s)', 'share'],
    names.map((name) => [name, ...cells(passes[0], name), ...cells(passes[1], name)]),
  );
}

/** The raw baseline, the first load and the re-sync, as one section; returns the two rates the targets read. */
export async function benchLoad(bench: Bench, estate: Estate, batches: SyncBatch[]) {
  const { config } = bench;
  const clock = new QueryClock(bench.app.gateway.catalog);
  const againClock = new QueryClock(bench.app.gateway.catalog);
  const raw = await benchRawWrites(bench, estate);
  const first = await benchSync(bench, batches, 'first load', clock);
  const again = await benchSync(bench, batches, 're-sync (unchanged)', againClock);
  bench.section('Sync: loading the estate through `syncInventory`',
    `Calls of at most MAX_SYNC_BATCH = ${int(config.limits.maxSyncBatch)} items over HTTP with a SYNC API key, one after another, records before relationships. Records/s and relationships/s split each call's time by its share of items. CPU columns: seconds of CPU the API process and the Neo4j JVM used during the pass (a pass that uses less CPU than its wall time, times the cores, is waiting). The baseline runs first: the API's own create statements through neo4j-driver, one transaction per ${int(config.limits.maxSyncBatch)} rows, on the first ${int(RAW_SAMPLE)} records and the relationships among them (written under another source, then deleted; the second of two passes, the first warming Neo4j up for it and for the API), so it is about the most the database takes on this machine with this schema. The first load reaches ${ratio(first.recordsPerSecond, raw.recordsPerSecond)} the baseline's records/s.\n\n${table(
      ['pass', 'calls', 'records', 'relationships', 'total (s)', 'records/s', 'relationships/s', 'items/s', 'call p50 (ms)', 'call p95', 'call p99', 'API CPU (s)', 'Neo4j CPU (s)'],
      [raw.row, first.row, again.row],
    )}\n\nWhere each pass's time goes, by Cypher file (time from sending the query to sending the next, or to the end of the call; includes the commit for the last one). A call sends its writes together, records, relationships and the audit's change set in that order, so in the first load the change set's row holds the whole write phase and the commit:\n\n${timeSplit(clock, againClock)}`);
  return { raw, first, again };
}
