/**
 * `npm run bench:openlineage [-- --smoke] [--write]`
 *
 * OpenLineage ingestion as its clients do it: C concurrent clients, each posting one event per
 * request to POST /api/v1/lineage and waiting for the answer before the next (the HTTP transport
 * is synchronous), all under one SYNC key's source. Each run is a START naming two inputs, then a
 * COMPLETE naming its output with a schema and a column-lineage facet. Measures events per second
 * and the latency of each post, then checks that no event was lost: every post answered 201, and
 * every dataset, DERIVED_FROM relationship and completed run is in Neo4j. Prints Markdown; --write
 * puts it into bench/README.md. Exits 1 when a check fails, never for a slow figure.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { systemPrincipal } from '../src/context';
import { runBench, startBenchApp } from './app';
import { postJson } from './httpClient';
import { int, machine, machineLine, ms, processCpuSeconds, summarize, table, writeFigures } from './report';

interface Pass {
  label: string;
  clients: number;
  runsPerClient: number;
}
const PASSES: Record<'full' | 'smoke', Pass[]> = {
  full: [
    // Neo4j starts fresh for the bench, and its JIT compiler takes about a minute of this load to
    // settle (its C2 thread was the busiest after the Bolt workers, and the rate climbed from
    // 210 to 560 events/s over 30,000 events): a deployed server has long since done that.
    { label: 'warm-up (not a figure)', clients: 10, runsPerClient: 1_500 },
    { label: '1 client', clients: 1, runsPerClient: 300 },
    { label: '10 concurrent clients', clients: 10, runsPerClient: 600 },
  ],
  smoke: [{ label: '10 concurrent clients', clients: 10, runsPerClient: 5 }],
};
const RAW_TABLES = 50;

function events(source: string, client: number, run: number) {
  const runId = randomUUID();
  const base = { producer: 'https://example.com/lineage-graph-bench', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', run: { runId } };
  const job = { namespace: 'bench', name: `client${client}.job${run}` };
  const inputs = [0, 1].map((offset) => ({ namespace: 'postgres://warehouse:5432', name: `raw.public.t${(client * 7 + run + offset * 13) % RAW_TABLES}` }));
  const output = { namespace: 'postgres://warehouse:5432', name: `mart.public.${source}_c${client}_r${run}` };
  const facets = {
    schema: { _producer: 'bench', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: [{ name: 'id', type: 'bigint' }, { name: 'amount', type: 'numeric' }] },
    columnLineage: {
      _producer: 'bench',
      _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
      fields: { id: { inputFields: [{ ...inputs[0], field: 'id' }] }, amount: { inputFields: [{ ...inputs[1], field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] }] } },
    },
  };
  return [
    { ...base, eventType: 'START', eventTime: new Date().toISOString(), job, inputs, outputs: [] },
    { ...base, eventType: 'COMPLETE', eventTime: new Date().toISOString(), job, inputs: [], outputs: [{ ...output, facets }] },
  ];
}

async function main(): Promise<number> {
  const write = process.argv.includes('--write');
  const passes = PASSES[process.argv.includes('--smoke') ? 'smoke' : 'full'];
  const loadBefore = os.loadavg()[0];
  const { app, connection, driver, stop } = await startBenchApp();
  const failures: string[] = [];
  const rows: Array<Array<string | number>> = [];
  try {
    const count = async (cypher: string, params: Record<string, unknown>) => Number((await driver.executeQuery(cypher, params, { database: connection.database })).records[0].get(0));
    const endpoint = `http://127.0.0.1:${app.port}/api/v1/lineage`;
    for (const pass of passes) {
      const source = `bench-ol-${randomUUID().slice(0, 8)}`;
      const { key } = await app.server.createContext('bench', systemPrincipal('bench')).services.apiKeys.create(source, 'SYNC', source);
      const latencies: number[] = [];
      const batchSizes: number[] = [];
      let refused = 0;
      const cpu = () => ({ node: process.cpuUsage(), neo4j: app.embedded ? processCpuSeconds(app.embedded.pid) : undefined });
      const cpuBefore = cpu();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: pass.clients }, async (_, client) => {
          for (let run = 0; run < pass.runsPerClient; run += 1) {
            for (const event of events(source, client, run)) {
              const sent = performance.now();
              const response = await postJson(endpoint, JSON.stringify(event), { 'content-type': 'application/json', authorization: `Bearer ${key}` });
              const body = response.body as { batch?: { events: number } };
              latencies.push(performance.now() - sent);
              if (response.status !== 201) refused += 1;
              else batchSizes.push(body.batch!.events);
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = cpu();
      const nodeCpu = process.cpuUsage(cpuBefore.node);
      // The clients run in this process too: their share is counted as the API's, which overstates it.
      const cpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6 + (cpuAfter.neo4j !== undefined && cpuBefore.neo4j !== undefined ? cpuAfter.neo4j - cpuBefore.neo4j : 0);
      const total = pass.clients * pass.runsPerClient;
      const datasets = await count('MATCH (d:Dataset {source: $source}) RETURN count(d)', { source });
      const edges = await count('MATCH (:Dataset {source: $source})-[r:DERIVED_FROM]->() RETURN count(r)', { source });
      const completed = await count("MATCH (r:OpenLineageRun {source: $source}) WHERE r.state = 'COMPLETE' RETURN count(r)", { source });
      const distinctInputs = new Set(Array.from({ length: pass.clients }, (_, client) => Array.from({ length: pass.runsPerClient }, (__, run) => [0, 1].map((offset) => (client * 7 + run + offset * 13) % RAW_TABLES))).flat(2)).size;
      const lost = [
        refused > 0 ? `${refused} posts not answered 201` : '',
        datasets !== total + distinctInputs ? `${datasets} datasets, expected ${total + distinctInputs}` : '',
        edges !== 2 * total ? `${edges} DERIVED_FROM, expected ${2 * total}` : '',
        completed !== total ? `${completed} completed runs, expected ${total}` : '',
      ].filter(Boolean);
      failures.push(...lost.map((problem) => `${pass.label}: ${problem}`));
      const latency = summarize(latencies);
      const sizes = summarize(batchSizes);
      if (!pass.label.startsWith('warm-up')) {
        const cpuPerEvent = cpuSeconds / (2 * total);
        rows.push([
          pass.label,
          int(2 * total),
          seconds.toFixed(1),
          int((2 * total) / seconds),
          ms(latency.p50),
          ms(latency.p95),
          ms(latency.p99),
          `${sizes.mean.toFixed(1)} / ${sizes.p99}`,
          `${(cpuSeconds / seconds).toFixed(2)}`,
          ms(1000 * cpuPerEvent),
          int(os.cpus().length / cpuPerEvent),
          lost.length === 0 ? 'none' : lost.join('; '),
        ]);
      }
      process.stderr.write(`${pass.label}: ${int((2 * total) / seconds)} events/s; CPU s node ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} neo4j ${((cpuAfter.neo4j ?? 0) - (cpuBefore.neo4j ?? 0)).toFixed(1)}\n`);
    }
    const markdown = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine(machine('5.26'))}; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end. The API, Neo4j and the clients share the machine.\n\n${table(
      ['clients', 'events', 'seconds', 'events/s', 'post p50 (ms)', 'p95', 'p99', 'events per transaction (mean / p99)', 'cores used (API, clients and Neo4j)', 'CPU ms per event', 'events/s if all cores were ours', 'lost'],
      rows,
    )}\n`;
    process.stdout.write(markdown);
    if (failures.length > 0) {
      process.stderr.write(`${failures.length} check(s) failed:\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n`);
      return 1;
    }
    if (write) writeFigures(path.join(__dirname, 'README.md'), 'openlineage', markdown);
    return 0;
  } finally {
    await stop();
  }
}

runBench(main);
