/**
 * The baselines of the impact and lineage section: for each selection, the Cypher one would write
 * by hand to return exactly its columns (`MINIMAL`), and the comparison of an operation against it
 * and against the Cypher the API itself sends.
 */
import { capturedQueries, Bench, dbHitsOf, Json, profile, runRaw } from './harness';
import { int, ms, ratio, summarize, Summary, table } from '../report';
import { LINEAGE_TYPES } from '../../src/estate/model';

/** The flow types named in the pattern, as the API's walks name them (Neo4j then reads those alone). */
const FLOW = LINEAGE_TYPES.filter((type) => type !== 'INFORMS').join('|');

/** Impact's walk (the rules of cypher/lineage/findReachable.cypher) from the root given by id. */
const impactWalk = (depth: number) => `MATCH (root:Entity {id: $id})
MATCH p = ANY SHORTEST (root)
  (()<-[flow:${FLOW}]-()){0,${depth}}
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

export const MINIMAL = {
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
    MATCH p = ANY SHORTEST (root) (()<-[:INFORMS]-()){0,1} (()-[flow:${FLOW}]->()){0,${depth}} (reached:Entity)
    WHERE $upstream AND reached <> root AND length(p) <= ${depth}
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    RETURN [reached, distance]
  } AS upstream,
  COLLECT {
    MATCH p = ANY SHORTEST (root) (()<-[flow:${FLOW}]-()){0,${depth}} (()-[:INFORMS]->()){0,1} (reached:Entity)
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
         MATCH (a)-[r:${FLOW}|INFORMS]->(b:Entity)
         WHERE b IN members
         RETURN DISTINCT [type(r), a.id, b.id]
       } AS edges`,
};

export interface Comparison {
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
export async function compare(bench: Bench, label: string, query: string, variables: Json, reached: number, minimal: string): Promise<Comparison> {
  const [{ cypher, params }] = await capturedQueries(bench, query, variables, 'lineage/');
  const minimalParams = { id: variables.id, flowTypes: params.flowTypes, upstream: params.upstream ?? null, downstream: params.downstream ?? null };
  const minimalServer: number[] = [];
  const server: number[] = [];
  let minimalRows = 0;
  const [minimalTiming, raw, inProcess, http] = await bench.timeEach([
    async () => {
      const run = await runRaw(bench, minimal, minimalParams);
      minimalServer.push(run.serverMs);
      minimalRows = run.rows;
    },
    async () => server.push((await runRaw(bench, cypher, params)).serverMs),
    () => bench.execute(query, variables),
    () => bench.http(query, variables),
  ]);
  const dbHits = { api: dbHitsOf(await profile(bench, cypher, params)), minimal: dbHitsOf(await profile(bench, minimal, minimalParams)) };
  return { label, reached, minimal: minimalTiming, minimalServer: summarize(minimalServer.slice(-bench.plan.iterations)), minimalRows, raw, rawServer: summarize(server.slice(-bench.plan.iterations)), inProcess, http, dbHits };
}

export const twoRatios = (api: Summary, base: Summary) => `${ratio(api.p50, base.p50)} / ${ratio(api.p95, base.p95)}`;

export function comparisonTable(rows: Comparison[]): string {
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
