/**
 * `npm run bench:explorer [-- --write]`
 *
 * The explorer at scale: an impact of 1,000 records, drawn in headless Chromium (Debian's, through
 * puppeteer-core, as the browser tests drive it). Loads a synthetic layered estate whose root
 * dataset has exactly 1,000 records downstream, then opens /explore on the root in impact mode,
 * again and again, and measures from navigation to the drawing being laid out and on screen, and
 * from a click on a drawn record to its selection. Once with the default node budget (the farthest
 * records grouped by type) and once with every record drawn on its own. Prints Markdown; --write
 * puts it into bench/README.md. Exits 1 when a drawing disagrees with the API's answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_NODE_BUDGET } from '../web/model';
import { launchBrowser } from '../test/browser/support';
import { runBench, startBenchApp } from './app';
import { mulberry32 } from './generate';
import { int, ms, processCpuSeconds, summarize, table, writeFigures } from './report';

const SOURCE = 'bench-explorer';
const RUNS = 7;
const DEPTH = 6;

/** Layers below one raw dataset: 150 + 250 datasets, 300 models, 150 agents, 150 decisions = 1,000. */
function layeredEstate() {
  const random = mulberry32(20261130);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const ref = (type: string, externalId: string) => ({ type, externalId });
  const layer = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const curated = layer('ds-curated', 150);
  const features = layer('ds-features', 250);
  const models = layer('model', 300);
  const agents = layer('agent', 150);
  const decisions = layer('decision', 150);
  const relationships = [
    ...curated.map((id) => ({ type: 'DERIVED_FROM', from: ref('Dataset', id), to: ref('Dataset', 'ds-root') })),
    ...features.flatMap((id) => [...new Set([pick(curated), ...(random() < 0.3 ? [pick(curated)] : [])])].map((parent) => ({ type: 'DERIVED_FROM', from: ref('Dataset', id), to: ref('Dataset', parent) }))),
    ...models.flatMap((id) => [
      { type: 'TRAINED_ON', from: ref('AIModel', id), to: ref('Dataset', pick(features)) },
      { type: 'EVALUATED_ON', from: ref('AIModel', id), to: ref('Dataset', pick(features)) },
    ]),
    ...agents.map((id) => ({ type: 'USES_MODEL', from: ref('Agent', id), to: ref('AIModel', pick(models)) })),
    ...decisions.flatMap((id) => [
      { type: 'INFORMS', from: ref('AIModel', pick(models)), to: ref('Decision', id) },
      { type: 'INFORMS', from: ref('Agent', pick(agents)), to: ref('Decision', id) },
    ]),
  ];
  const named = (ids: string[], label: string) => ids.map((externalId, i) => ({ externalId, name: `${label} ${i + 1}` }));
  return {
    source: SOURCE,
    assets: {
      datasets: [{ externalId: 'ds-root', name: 'Customer master (raw)' }, ...named(curated, 'Curated dataset'), ...named(features, 'Feature set')],
      aiModels: named(models, 'Model'),
      agents: named(agents, 'Agent'),
      decisions: decisions.map((externalId, i) => ({ externalId, name: `Decision ${i + 1}`, impactLevel: pick(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']), humanInTheLoop: random() < 0.5 })),
    },
    relationships,
  };
}

/**
 * CPU used so far by this process and every process it started (Neo4j, Chromium and its renderers
 * and workers), in ms per process. On a shared machine wall time says how busy the others were; the
 * CPU a page load costs says what it would take on an idle one.
 */
function treeCpuMs(): Map<number, number> {
  const children = (pid: number): number[] => {
    try {
      // Any of its threads may have started a process: each thread lists its own children.
      return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      // The process ended while the tree was walked.
      return [];
    }
  };
  const tree = (pid: number): number[] => [pid, ...children(pid).flatMap(tree)];
  return new Map(tree(process.pid).map((pid) => [pid, (processCpuSeconds(pid) ?? 0) * 1000]));
}

/** CPU used between two readings: a process that ended meanwhile (the last page's renderer) counts for nothing. */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, used] of after) total += used - (before.get(pid) ?? 0);
  return total;
}

async function main(): Promise<number> {
  const write = process.argv.includes('--write');
  const loadBefore = os.loadavg()[0];
  const { app, stop } = await startBenchApp({
    NODE_ENV: process.env.NODE_ENV,
    // The page reads as an anonymous visitor; production refuses those unless told otherwise.
    ANONYMOUS_ACCESS: 'read',
  });
  const browser = await launchBrowser();
  let failed = false;
  try {
    const run = async (query: string, variables: Record<string, unknown>) => {
      const response = await app.server.apollo.executeOperation({ query, variables }, { contextValue: app.server.createContext('BenchExplorer', 'bench') });
      if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(JSON.stringify(response.body));
      return response.body.singleResult.data as Record<string, any>;
    };
    await run('mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok } }', { input: layeredEstate() });
    const root = (await run('{ entityByKey(type: Dataset, source: "bench-explorer", externalId: "ds-root") { id } }', {})).entityByKey.id as string;
    const { impact } = await run('query($id: ID!) { impact(id: $id, maxDepth: 6) { count } }', { id: root });
    process.stderr.write(`bench explorer: impact of ${impact.count} records\n`);
    const origin = `http://127.0.0.1:${app.port}`;
    // The first request builds the pages' bundle on the server; that is start-up, not drawing.
    await fetch(`${origin}/explore/assets/explore.js`);

    const rows: Array<Array<string | number>> = [];
    for (const budget of [DEFAULT_NODE_BUDGET, impact.count + 1]) {
      const ready: number[] = [];
      const api: number[] = [];
      const click: number[] = [];
      const layout: number[] = [];
      const render: number[] = [];
      const cpu: number[] = [];
      let nodes = 0;
      for (let i = 0; i <= RUNS; i += 1) {
        const page = await browser.newPage();
        const cpuBefore = treeCpuMs();
        page.on('console', (message) => void (message.type() === 'error' && process.stderr.write(`page: ${message.text()}\n`)));
        await page.goto(`${origin}/explore?id=${encodeURIComponent(root)}&mode=impact&depth=${DEPTH}&budget=${budget}`);
        await page.waitForSelector('#graph:is([data-state="ready"], [data-state="error"])', { timeout: 120_000 });
        const cpuUsed = cpuBetween(cpuBefore, treeCpuMs());
        if ((await page.$eval('#graph', (graph) => graph.getAttribute('data-state'))) === 'error') throw new Error(`the page failed: ${await page.$eval('#status', (status) => status.textContent)}`);
        const timing = (await page.evaluate(`(() => {
          const calls = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/graphql'));
          const measured = (name) => performance.getEntriesByName(name).at(-1).duration;
          return { ready: performance.now(), api: Math.max(...calls.map((entry) => entry.responseEnd - entry.startTime)), layout: measured('explorer:layout'), render: measured('explorer:render') };
        })()`)) as { ready: number; api: number; layout: number; render: number };
        nodes = Number(await page.$eval('#graph', (graph) => graph.getAttribute('data-nodes')));
        // A real mouse click on a drawn record.
        const target = (await page.evaluate(`(() => {
          const { cy } = window.explorer;
          const node = cy.nodes().filter((each) => !each.id().startsWith('cluster:') && each.id() !== ${JSON.stringify(root)})[0];
          const position = node.renderedPosition();
          const box = document.getElementById('graph').getBoundingClientRect();
          return { id: node.id(), x: box.left + position.x, y: box.top + position.y };
        })()`)) as { id: string; x: number; y: number };
        // Timed inside the page, from the mouse button going down to the frame that shows the selection.
        await page.evaluate(`(() => {
          window.__click = {};
          document.getElementById('graph').addEventListener('mousedown', () => (window.__click.down = performance.now()), { capture: true, once: true });
          window.explorer.cy.one('select', 'node', () => requestAnimationFrame(() => (window.__click.painted = performance.now())));
        })()`);
        await page.mouse.click(target.x, target.y);
        await page.waitForFunction('window.__click.painted !== undefined');
        const clicked = (await page.evaluate('window.__click.painted - window.__click.down')) as number;
        await page.close();
        // The first page of each series warms Chromium's caches and V8; it is not counted.
        if (i === 0) continue;
        ready.push(timing.ready);
        api.push(timing.api);
        click.push(clicked);
        layout.push(timing.layout);
        cpu.push(cpuUsed);
        render.push(timing.render);
      }
      const expected = budget > impact.count ? impact.count + 1 : undefined;
      if (expected !== undefined && nodes !== expected) {
        process.stderr.write(`drawn ${nodes} nodes, the API reached ${expected} records\n`);
        failed = true;
      }
      const [r, a, c, l, d, u] = [summarize(ready), summarize(api), summarize(click), summarize(layout), summarize(render), summarize(cpu)];
      rows.push([
        budget > impact.count ? 'every record drawn ("Draw every record")' : `default budget of ${budget}: the farthest grouped by type`,
        int(nodes),
        `${ms(r.p50)} / ${ms(r.p95)}`,
        `${ms(u.p50)} / ${ms(u.p95)}`,
        `${ms(a.p50)} / ${ms(a.p95)}`,
        `${ms(l.p50)} / ${ms(l.p95)}`,
        `${ms(d.p50)} / ${ms(d.p95)}`,
        `${ms(c.p50)} / ${ms(c.p95)}`,
      ]);
    }
    const markdown = [
      `#### Explorer: an impact of ${int(impact.count)} records in headless Chromium`,
      '',
      `Measured ${new Date().toISOString().slice(0, 10)}; ${os.cpus().length} cores; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (above the core count, other work shared the machine). ${RUNS} page loads per row after one uncounted; Chromium, the API and Neo4j share the cores.`,
      '',
      table(
        ['drawing', 'nodes drawn', 'navigation → laid out and on screen, p50 / p95 (ms)', 'CPU used meanwhile, every process (ms)', 'API answer (the page\'s GraphQL request)', 'ELK layout (Web Worker)', 'Cytoscape render', 'click → record selected, p50 / p95'],
        rows,
      ),
    ].join('\n');
    process.stdout.write(`${markdown}\n`);
    if (write) writeFigures(path.join(__dirname, 'README.md'), 'explorer', markdown);
  } finally {
    await browser.close();
    await stop();
  }
  return failed ? 1 : 0;
}

runBench(main);
