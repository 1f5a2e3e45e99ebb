/** Coverage: generated controls claim requirements of every loaded framework, then each framework's whole map. */
import { performance } from 'node:perf_hooks';
import { SOURCE } from '../estate';
import { mulberry32 } from '../generate';
import { Bench, Json } from './harness';
import { CONTROLS, COVERAGE, FRAMEWORKS, REQUIREMENTS, SATISFY } from './operations';
import { ms, table } from '../report';

export async function benchCoverage(bench: Bench) {
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
