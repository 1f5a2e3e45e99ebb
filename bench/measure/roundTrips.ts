/** Round trips: a nested list query must cost the same number of Neo4j queries at any page size. */
import { SOURCE } from '../estate';
import { Bench } from './harness';
import { NESTED } from './operations';
import { ms, table } from '../report';

export async function benchRoundTrips(bench: Bench) {
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
