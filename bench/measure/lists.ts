/**
 * Lists: a page of `entities(first: 50)` near the start and far into the estate, against the
 * leanest Cypher that returns the same page.
 */
import neo4j from 'neo4j-driver';
import { Bench, capturedQueries, dbHitsOf, Json, profile } from './harness';
import { LIST, LIST_TOTAL } from './operations';
import { int, ms, ratio, Summary, table } from '../report';

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

/** Runs the raw page (and the count) auto-committed, as the API reads. */
async function runRawList(bench: Bench, type: string | null, cursor: { afterName: string; afterId: string }, withTotal: boolean) {
  const session = bench.driver.session({ database: bench.config.neo4j.database, defaultAccessMode: neo4j.session.READ });
  try {
    const page = await session.run(rawListPage(type !== null), { type, ...cursor, limit: neo4j.int(LIST_PAGE_SIZE + 1) });
    const total = withTotal ? (await session.run(rawListCount(type))).records[0].get('totalCount') as number : undefined;
    return { ids: page.records.slice(0, LIST_PAGE_SIZE).map((record) => record.get('id') as string), total };
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
export async function benchLists(bench: Bench) {
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
    `Page 1 and page ${FAR_PAGE} (or the last page of a smaller estate), reached with the API's own cursors; with and without \`totalCount\`; up to ${Math.min(100, bench.plan.iterations)} sequential calls per series over HTTP. "Raw Cypher" is the leanest query that returns the same page (the same index and cursor, only id and name) plus, for the total, a count-store read, auto-committed through neo4j-driver as the API reads. Db hits are PROFILE's for every query the API sends for the operation and for the raw queries. Page ${FAR_PAGE} against page 1, HTTP p50: ${farOverFirst.join('; ')}.\n\n${table(
      ['list', 'page', 'totalCount', 'Neo4j queries (API)', 'db hits API / raw', 'raw Cypher p50 / p95 / p99 (ms)', 'API over HTTP p50 / p95 / p99', 'ratio HTTP p50 / p95'], rows)}`);
  return farPage!;
}
