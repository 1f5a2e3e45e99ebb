/**
 * Impact and lineage from the estate's designed roots, each against the minimal Cypher for its
 * selection and against the Cypher the API sends; and the PROFILE of the hot impact.
 */
import { IMPACT_DEPTH, Ref, Root, SOURCE } from '../estate';
import { capturedQueries, Bench, dbHitsOf, Json, profile } from './harness';
import { compare, Comparison, comparisonTable, MINIMAL } from './minimalCypher';
import { IMPACT, IMPACT_NAMES, IMPACT_PAGE, IMPACT_PATHS, KEY, LINEAGE } from './operations';
import { int, table } from '../report';

export async function idOf(bench: Bench, ref: Ref): Promise<string> {
  const data = await bench.http(KEY, { type: ref.type, source: SOURCE, externalId: ref.externalId });
  if (!data.entityByKey) throw new Error(`No ${ref.type} ${ref.externalId} after the load`);
  return data.entityByKey.id;
}

export type Roots = { hot: Root & { id: string }; typical: Root & { id: string }; deepest: Root & { id: string } };

export async function benchLineage(bench: Bench, roots: Roots) {
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
    `Depth ${depth}; up to ${bench.plan.iterations} sequential calls per series (at least ${bench.plan.minSamples}, within about ${bench.plan.budgetMs / 1000} s each) after up to ${bench.plan.warmup} warm-up calls, the four series of a row taking turns call by call, so that each meets the same load. "Minimal Cypher" is written by hand for each selection and returns exactly its columns (\`MINIMAL\` in bench/measure/minimalCypher.ts: for \`items { entity { id name } distance }\` the reached ids, names and shortest distances; paths as their text); "same Cypher" is the query file the API runs, with the parameters it sends for that selection. Both run auto-committed through neo4j-driver, as the API reads, and stop when the driver has the records. "In-process" is Apollo's executeOperation (resolvers, value conversion, paths, serialisation to objects); "HTTP" adds JSON over loopback. Neo4j server time is the driver's resultAvailableAfter + resultConsumedAfter; db hits are PROFILE's.\n\n${comparisonTable([...Object.values(impacts), ...lineages])}`);
  return impacts;
}

export async function profileHotImpact(bench: Bench, hotId: string) {
  const [{ name, cypher, params }] = await capturedQueries(bench, IMPACT, { id: hotId, depth: IMPACT_DEPTH }, 'lineage/');
  const operators = await profile(bench, cypher, params);
  const top = [...operators].sort((a, b) => (b.dbHits ?? 0) - (a.dbHits ?? 0)).slice(0, 6);
  bench.section('PROFILE of the hot impact query',
    `${name}, ${int(dbHitsOf(operators))} db hits in total. Heaviest operators:\n\n${table(['operator', 'db hits', 'rows'], top.map((op) => [op.operatorType.replace(/@.*$/, ''), int(op.dbHits), int(op.rows)]))}`);
}
