/**
 * `npm run bench:signals [-- --smoke] [--write]`
 *
 * Monitoring signals (issue 16 B) over HTTP, as monitoring tools send them: POST /api/v1/signals,
 * JSON lines, a SYNC key. An estate of 1,000 models (a fifth HIGH-tier) and 200 agents; one rule
 * per kind in the load at thresholds the load never reaches within an hour, and a probe rule.
 * Ingestion: 10 clients at once, each posting batches of 500 signals (random asset, one of four
 * kinds, a time in the last hour, a tenth of them HIGH and kept one by one) until 200,000 are sent;
 * then every bucket of the estate is summed straight from Neo4j and must hold exactly what was sent
 * (bar: >= 5,000 signals/s, nothing lost). Rules: while the load runs, 20 probe models each get
 * threshold - 1 signals and then the one that crosses the probe rule; the time from sending that
 * signal to the answer that carries the incident it opened (committed with it) is the rule's
 * latency (bar: every one < 1 s). `--disjoint`: each client sends about its own tenth of the assets
 * only (no two batches share a bucket), to tell waiting on shared buckets from writing. Prints
 * Markdown; --write puts it into bench/README.md (figures:signals). Exits 1 when a call fails or a
 * bar is missed.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { postJson } from './httpClient';
import { runBench, startBenchApp } from './app';
import { int, machine, machineLine, ms, summarize, table, writeFigures } from './report';

const CLIENTS = 10;
const BATCH = 500;
const KINDS = ['ANOMALY', 'DRIFT', 'GUARDRAIL_BLOCK', 'POLICY_VIOLATION'];
const PROBE_THRESHOLD = 20;

/** A small deterministic generator, so that every run sends the same signals. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function main(): Promise<number> {
  const smoke = process.argv.includes('--smoke');
  const disjoint = process.argv.includes('--disjoint');
  const [models, agents, total, probes] = smoke ? [100, 20, 5_000, 3] : [1_000, 200, 200_000, 20];
  const { app, driver, stop } = await startBenchApp({ MAX_SYNC_BATCH: '100000' });
  const base = `http://127.0.0.1:${app.port}`;
  const loadBefore = os.loadavg()[0];
  const failures: string[] = [];
  try {
    const run = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await app.server.apollo.executeOperation({ query, variables }, { contextValue: app.server.createContext('bench', 'bench') });
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      if (!result || result.errors) throw new Error(JSON.stringify(result?.errors ?? 'no single result').slice(0, 800));
      return result.data as Record<string, any>;
    };
    const source = `bench-signals-${randomUUID().slice(0, 8)}`;
    await run('mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok } }', {
      input: {
        source,
        assets: {
          aiModels: [
            ...Array.from({ length: models }, (_, i) => ({ externalId: `model-${i}`, name: `Model ${i}`, riskTier: i % 5 === 0 ? 'HIGH' : 'LIMITED', lifecycleStage: 'DEPLOYED' })),
            ...['warm-up', ...Array.from({ length: probes }, (_, i) => String(i))].map((name) => ({ externalId: `probe-${name}`, name: `Probe ${name}`, riskTier: 'HIGH', lifecycleStage: 'DEPLOYED' })),
          ],
          agents: Array.from({ length: agents }, (_, i) => ({ externalId: `agent-${i}`, name: `Agent ${i}` })),
        },
      },
    });
    // Rules on every kind of the load, never crossed by it (a bucket holds about 200,000 / 4,800 signals).
    const rules = [
      ...KINDS.map((kind) => ({ externalId: `rule-${kind}`, name: `${kind} burst`, signalKind: kind, threshold: 1_000_000, windowHours: 24 })),
      { externalId: 'rule-probe', name: 'Injection burst', signalKind: 'PROMPT_INJECTION_ATTEMPT', riskTier: 'HIGH', threshold: PROBE_THRESHOLD, windowHours: 1 },
    ];
    await run('mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok } }', { input: { source: 'bench-governance', assets: { signalRules: rules } } });
    const { createApiKey } = await run('mutation($n: String!, $s: String) { createApiKey(name: $n, role: SYNC, source: $s) { key } }', { n: `${source}-monitor`, s: source });
    const key: string = createApiKey.key;

    const post = async (lines: string[]) => {
      const started = performance.now();
      const response = await postJson(`${base}/api/v1/signals`, lines.join('\n'), { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` });
      const body = response.body as Record<string, any>;
      if (response.status !== 201) throw new Error(`POST /api/v1/signals answered ${response.status}: ${JSON.stringify(body).slice(0, 400)}`);
      return { elapsed: performance.now() - started, body };
    };
    const now = Date.now();
    const r = rng(20261130);
    // With --disjoint, batch i is sent by client i % CLIENTS about the assets of that remainder only.
    const pick = (n: number, client: number) => (disjoint ? Math.floor((r() * n) / CLIENTS) * CLIENTS + client : Math.floor(r() * n));
    const signal = (client: number) => {
      const asset = r() < 0.8 ? { type: 'AIModel', externalId: `model-${pick(models, client)}` } : { type: 'Agent', externalId: `agent-${pick(agents, client)}` };
      return JSON.stringify({ kind: KINDS[Math.floor(r() * KINDS.length)], asset, at: new Date(now - Math.floor(r() * 3_600_000)).toISOString(), value: Math.round(r() * 1000) / 1000, severity: r() < 0.1 ? 'HIGH' : 'LOW' });
    };
    const batches = Array.from({ length: Math.ceil(total / BATCH) }, (_, index) => Array.from({ length: Math.min(BATCH, total - index * BATCH) }, () => signal(index % CLIENTS)));

    // A probe: threshold - 1 signals on its model, then the one that crosses the probe rule.
    const cross = async (externalId: string) => {
      const line = (at: number) => JSON.stringify({ kind: 'PROMPT_INJECTION_ATTEMPT', asset: { type: 'AIModel', externalId }, at: new Date(at).toISOString(), severity: 'HIGH' });
      await post(Array.from({ length: PROBE_THRESHOLD - 1 }, () => line(Date.now() - 1_000)));
      const { elapsed, body } = await post([line(Date.now())]);
      return { elapsed, opened: body.firings.some((firing: { opened: boolean; rule: { name: string } }) => firing.opened && firing.rule.name === 'Injection burst') };
    };

    // Warm-up outside the count: the queries' plans (a firing's too: the first firing of a fresh
    // process plans its statements, and measured 0.9 s under the load), the key's cache, the pool.
    const warmAsset = { type: 'Agent', externalId: 'agent-0' };
    for (let i = 0; i < 3; i += 1) await post([JSON.stringify({ kind: 'UNEXPECTED_ACTION', asset: warmAsset, at: new Date(now).toISOString() })]);
    if (!(await cross('probe-warm-up')).opened) throw new Error('The warm-up probe opened no incident');

    const batchTimes: number[] = [];
    let sent = 0;
    const started = performance.now();
    const client = async (_: unknown, index: number) => {
      for (let next = index; next < batches.length; next += CLIENTS) {
        const lines = batches[next];
        const { elapsed, body } = await post(lines);
        batchTimes.push(elapsed);
        sent += body.recorded as number;
      }
    };
    // The probes cross their rule while the load runs, one after another.
    const latencies: number[] = [];
    let opened = 0;
    const probe = async () => {
      for (let i = 0; i < probes; i += 1) {
        const { elapsed, opened: fired } = await cross(`probe-${i}`);
        latencies.push(elapsed);
        if (fired) opened += 1;
      }
    };
    await Promise.all([...Array.from({ length: CLIENTS }, client), probe()]);
    const seconds = (performance.now() - started) / 1000;
    const rate = total / seconds;

    const session = driver.session();
    let stored = 0;
    try {
      const result = await session.run(
        `MATCH (n:Entity) WHERE n.source = $source AND n.type IN ['AIModel', 'Agent'] AND NOT n.externalId STARTS WITH 'probe-'
         MATCH (b:SignalBucket {assetId: n.id}) WHERE b.kind IN $kinds
         RETURN sum(b.count) AS stored`,
        { source, kinds: KINDS },
      );
      stored = Number(result.records[0].get('stored'));
    } finally {
      await session.close();
    }
    const batchSummary = summarize(batchTimes);
    const latency = summarize(latencies);
    const slowest = Math.max(...latencies);

    if (sent !== total) failures.push(`${int(total)} signals sent, ${int(sent)} acknowledged`);
    if (stored !== total) failures.push(`${int(total)} signals sent, ${int(stored)} in the buckets`);
    if (opened !== probes) failures.push(`${probes} probes crossed the rule, ${opened} opened an incident`);
    if (!smoke && rate < 5_000) failures.push(`ingestion ${int(rate)} signals/s, under the bar of 5,000`);
    if (!smoke && slowest >= 1_000) failures.push(`a rule fired ${ms(slowest)} ms after its signal was sent, over the bar of 1 s`);

    const markdown = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine(machine('5.26'))}; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end. ${int(models)} models and ${int(agents)} agents; ${int(total)} signals of ${KINDS.length} kinds over the last hour, posted as JSON lines in batches of ${BATCH} by ${CLIENTS} clients at once (HTTP, a SYNC key${disjoint ? ', each about its own tenth of the assets' : ''}), with ${probes} probes crossing a rule meanwhile.\n\n${table(
      ['measure', 'value', 'bar'],
      [
        ['ingestion', `${int(rate)} signals/s (${int(total)} in ${seconds.toFixed(1)} s)`, '>= 5,000 signals/s'],
        ['signals in the buckets afterwards', `${int(stored)} of ${int(total)}`, 'all'],
        ['one batch of 500 (p50 / p95 / max ms)', `${ms(batchSummary.p50)} / ${ms(batchSummary.p95)} / ${ms(Math.max(...batchTimes))}`, ''],
        ['rule fired after the crossing signal was sent (p50 / p95 / max ms)', `${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(slowest)}`, 'every one < 1,000 ms'],
        ['incidents opened by the probes', `${opened} of ${probes}`, 'all'],
      ],
    )}\n`;
    process.stdout.write(markdown);
    if (failures.length > 0) {
      process.stderr.write(`${failures.length} check(s) failed:\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n`);
      return 1;
    }
    if (process.argv.includes('--write') && !smoke && !disjoint) writeFigures(path.join(__dirname, 'README.md'), 'signals', markdown);
    return 0;
  } finally {
    await stop();
  }
}

runBench(main);
