import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';

/**
 * Monitoring signals over GraphQL and POST /api/v1/signals: buckets, kept signals, rules that
 * open or attach to incidents (and mark compromised), the reads, and every refusal.
 */
let api: TestApi;
let base: string;
const ROOT: Principal = { name: 'root', kind: 'apiKey', role: 'ADMIN' };
beforeAll(async () => {
  api = await createTestApi({ ANONYMOUS_ACCESS: 'none' });
  base = `http://127.0.0.1:${api.app.port}`;
}, 300_000);
afterAll(() => api.close());

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
const syncKey = (source: string): Principal => ({ name: `${source}-monitor`, kind: 'apiKey', role: 'SYNC', source });
const compliance: Principal = { name: 'grc', kind: 'apiKey', role: 'COMPLIANCE' };
const viewer: Principal = { name: 'viewer', kind: 'apiKey', role: 'VIEWER' };

const RECORD = `mutation($input: RecordSignalsInput!) { recordSignals(input: $input) {
  source recorded kept buckets
  firings { rule { id name } asset { id name status } incident { id name severity status involves { id } } opened kind count markedCompromised }
} }`;
const RULE = `mutation($input: SignalRuleInput!) { createSignalRule(input: $input, source: "grc") { id name signalKind threshold windowHours riskTier } }`;
const SERIES = `query($id: ID!, $kinds: [SignalKind!], $from: DateTime, $to: DateTime, $asOf: DateTime) { assetSignals(id: $id, kinds: $kinds, from: $from, to: $to, asOf: $asOf) {
  asset { id name }
  buckets { kind windowStart count lastValue minValue maxValue maxSeverity tool { name } }
  signals { kind at severity evidenceUrl count source tool { name } }
} }`;
const BEHIND = `query($id: ID!) { incidentSignals(id: $id) { rule { id } asset { id } kind count threshold windowStart buckets { count } signals { severity evidenceUrl } } }`;

/** An estate of one source: a LIMITED-tier deployed model, an agent, a tool; and a rule of its own kind. */
async function estate(rule: Record<string, unknown> = {}) {
  const source = unique('mon');
  await api.data(
    SYNC,
    {
      input: {
        source,
        assets: {
          aiModels: [{ externalId: 'chat', name: `Chat ${source}`, riskTier: 'LIMITED', lifecycleStage: 'DEPLOYED' }],
          agents: [{ externalId: 'helper', name: `Helper ${source}` }],
          tools: [{ externalId: 'search', name: `Search ${source}` }],
        },
      },
    },
    ROOT,
  );
  const ids = await api.data<{ aiModels: { nodes: Array<{ id: string }> }; agents: { nodes: Array<{ id: string }> }; tools: { nodes: Array<{ id: string }> } }>(
    `query($f: EntityFilter) { aiModels(filter: $f) { nodes { id } } agents(filter: $f) { nodes { id } } tools(filter: $f) { nodes { id } } }`,
    { f: { source } },
    ROOT,
  );
  const { createSignalRule } = await api.data(
    RULE,
    { input: { externalId: unique('rule'), name: `Injection burst ${source}`, signalKind: 'PROMPT_INJECTION_ATTEMPT', riskTier: 'LIMITED', threshold: 5, windowHours: 1, ...rule } },
    compliance,
  );
  return { source, modelId: ids.aiModels.nodes[0].id, agentId: ids.agents.nodes[0].id, toolId: ids.tools.nodes[0].id, rule: createSignalRule as { id: string } };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const injections = (assetId: string, n: number, severity = 'MEDIUM') =>
  Array.from({ length: n }, (_, i) => ({ kind: 'PROMPT_INJECTION_ATTEMPT', asset: { id: assetId }, at: minutesAgo(0), severity, evidenceUrl: `https://monitor.example/e/${i}` }));

async function post(lines: string, key: string | undefined, query = '') {
  const response = await fetch(`${base}/api/v1/signals${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: lines,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
async function createKey(role: string, source?: string): Promise<string> {
  const { createApiKey } = await api.data('mutation($n: String!, $r: Role!, $s: String) { createApiKey(name: $n, role: $r, source: $s) { key } }', { n: unique(role.toLowerCase()), r: role, s: source }, ROOT);
  return createApiKey.key;
}

test('pushed signals cross a rule: it opens one incident with them as evidence, later ones count without firing again', async () => {
  const { source, modelId, rule } = await estate();
  const key = syncKey(source);
  const first = await api.data(RECORD, { input: { signals: injections(modelId, 3) } }, key);
  expect(first.recordSignals).toMatchObject({ source, recorded: 3, kept: 0, buckets: 1, firings: [] });

  const second = await api.data(RECORD, { input: { signals: injections(modelId, 3, 'HIGH') } }, key);
  const mine = second.recordSignals.firings.filter((firing: { rule: { id: string } }) => firing.rule.id === rule.id);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ opened: true, kind: 'PROMPT_INJECTION_ATTEMPT', count: 6, markedCompromised: false, asset: { id: modelId, status: null } });
  expect(mine[0].incident).toMatchObject({ severity: 'HIGH', status: 'OPEN', involves: [{ id: modelId }] });
  expect(second.recordSignals.kept).toBe(3);

  const third = await api.data(RECORD, { input: { signals: injections(modelId, 2) } }, key);
  expect(third.recordSignals.firings.filter((firing: { rule: { id: string } }) => firing.rule.id === rule.id)).toEqual([]);

  const { incidentSignals } = await api.data(BEHIND, { id: mine[0].incident.id }, viewer);
  expect(incidentSignals).toHaveLength(1);
  expect(incidentSignals[0]).toMatchObject({ rule: { id: rule.id }, asset: { id: modelId }, kind: 'PROMPT_INJECTION_ATTEMPT', count: 6, threshold: 5 });
  // The window as it is now (eight signals), and the three HIGH ones kept one by one.
  expect(incidentSignals[0].buckets).toEqual([{ count: 8 }]);
  expect(incidentSignals[0].signals).toHaveLength(3);
  expect(incidentSignals[0].signals.every((signal: { severity: string }) => signal.severity === 'HIGH')).toBe(true);

  // The incident is a record like any other: audited, with the rule's reason.
  const { node } = await api.data(`query($id: ID!) { node(id: $id) { ... on Incident { source follows { id } history { action relationshipType reason actor } } } }`, { id: mine[0].incident.id }, viewer);
  expect(node.source).toBe('signals');
  // It follows the prompt-injection playbook when one exists, which other tests' demo loads may have made.
  const events = node.history.map((event: { action: string; relationshipType: string | null }) => `${event.action} ${event.relationshipType ?? ''}`.trim()).sort();
  expect(events).toEqual(['CREATE', ...(node.follows.length > 0 ? ['LINK FOLLOWS'] : []), 'LINK INVOLVES']);
  for (const event of node.history) {
    expect(event.actor).toBe(`key:${source}-monitor`);
    expect(event.reason).toContain('Injection burst');
  }
});

test('over HTTP as JSON lines with a SYNC key: a rule that marks compromised opens the incident and marks the asset; unknown kinds, future times and bad lines are 400s naming the line', async () => {
  const { source, modelId, rule } = await estate({ signalKind: 'JAILBREAK_ATTEMPT', threshold: 4, markCompromised: true, incidentSeverity: 'CRITICAL' });
  const key = await createKey('SYNC', source);
  const line = (extra: Record<string, unknown> = {}) => JSON.stringify({ kind: 'JAILBREAK_ATTEMPT', asset: { type: 'AIModel', externalId: 'chat' }, at: minutesAgo(1), ...extra });

  const bad = await post([line(), line({ kind: 'TELEPATHY' }), '{not json', line({ at: new Date(Date.now() + 3_600_000).toISOString() })].join('\n'), key);
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('BAD_USER_INPUT');
  expect(bad.body.error.problems.map((problem: { path: string }) => problem.path)).toEqual(['line 3']);
  const badKinds = await post([line(), line({ kind: 'TELEPATHY' }), '', line({ at: new Date(Date.now() + 3_600_000).toISOString() })].join('\n'), key);
  expect(badKinds.status).toBe(400);
  expect(badKinds.body.error.problems.map((problem: { path: string }) => problem.path)).toEqual(['line 2.kind', 'line 4.at']);
  const nothing = await api.data(SERIES, { id: modelId }, viewer);
  expect(nothing.assetSignals.buckets).toEqual([]);

  const sent = await post([line({ count: 3, value: 0.4 }), line({ value: 0.9, severity: 'CRITICAL', evidenceUrl: 'https://monitor.example/j/1' })].join('\n'), key);
  expect(sent.status).toBe(201);
  expect(sent.body).toMatchObject({ source, recorded: 2, kept: 1, buckets: 1 });
  const mine = sent.body.firings.filter((firing: { rule: { id: string } }) => firing.rule.id === rule.id);
  expect(mine).toEqual([expect.objectContaining({ opened: true, count: 4, markedCompromised: true, asset: expect.objectContaining({ id: modelId }) })]);
  const { node } = await api.data(
    `query($id: ID!) { node(id: $id) { ... on AIModel { status incidents { id severity compromiseWindows { since until } } } } }`,
    { id: modelId },
    viewer,
  );
  expect(node.status).toBe('COMPROMISED');
  expect(node.incidents).toEqual([expect.objectContaining({ id: mine[0].incident.id, severity: 'CRITICAL', compromiseWindows: [expect.objectContaining({ until: null })] })]);

  const { assetSignals } = await api.data(SERIES, { id: modelId, kinds: ['JAILBREAK_ATTEMPT'] }, viewer);
  expect(assetSignals.buckets).toEqual([expect.objectContaining({ kind: 'JAILBREAK_ATTEMPT', count: 4, minValue: 0.4, maxValue: 0.9, maxSeverity: 'CRITICAL' })]);
  expect(assetSignals.signals).toEqual([expect.objectContaining({ severity: 'CRITICAL', evidenceUrl: 'https://monitor.example/j/1', source })]);
});

test('roles: only a SYNC key (its own source) or ADMIN pushes; COMPLIANCE writes rules, a SYNC key or VIEWER does not; another source is refused', async () => {
  const { source, modelId } = await estate();
  const other = await estate();
  const batch = { input: { signals: injections(modelId, 1) } };
  expect(code(await api.execute(RECORD, batch, viewer))).toBe('FORBIDDEN');
  expect(code(await api.execute(RECORD, batch, compliance))).toBe('FORBIDDEN');
  expect(code(await api.execute(RECORD, batch, ROOT))).toBe('BAD_USER_INPUT');
  expect((await api.data(RECORD, { input: { ...batch.input, source } }, ROOT)).recordSignals.recorded).toBe(1);
  // A key of another source may neither name this one nor speak about its assets under its own.
  expect(code(await api.execute(RECORD, { input: { ...batch.input, source } }, syncKey(other.source)))).toBe('FORBIDDEN');
  const foreign = await api.execute(RECORD, { input: { signals: [...injections(other.modelId, 2), ...injections(modelId, 1)] } }, syncKey(other.source));
  expect(code(foreign)).toBe('FORBIDDEN');
  expect(foreign.errors?.[0].extensions?.problems).toEqual([expect.objectContaining({ path: 'signals[2].asset' })]);
  const untouched = await api.data(SERIES, { id: other.modelId }, viewer);
  expect(untouched.assetSignals.buckets).toEqual([]);

  const key = await createKey('SYNC', other.source);
  const http = await post(JSON.stringify({ kind: 'DRIFT', asset: modelId, at: minutesAgo(1) }), key);
  expect(http.status).toBe(403);
  expect((await post(JSON.stringify({ kind: 'DRIFT', asset: other.modelId, at: minutesAgo(1) }), undefined)).status).toBe(401);

  const rule = { externalId: unique('rule'), name: 'Drift', signalKind: 'DRIFT', threshold: 2 };
  expect(code(await api.execute(RULE, { input: rule }, syncKey('grc')))).toBe('FORBIDDEN');
  expect(code(await api.execute(RULE, { input: rule }, viewer))).toBe('FORBIDDEN');
  expect(code(await api.execute(RULE, { input: { ...rule, threshold: 0 } }, compliance))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(RULE, { input: { ...rule, signalKind: undefined } }, compliance))).toBe('BAD_USER_INPUT');
  const created = await api.data(RULE, { input: rule }, compliance);
  const patched = await api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { threshold: 9, windowHours: 6 } }) { ... on SignalRule { threshold windowHours version } } }`, { id: created.createSignalRule.id }, compliance);
  expect(patched.updateEntity).toEqual({ threshold: 9, windowHours: 6, version: 2 });
  expect(code(await api.execute(`mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { threshold: null } }) { id } }`, { id: created.createSignalRule.id }, compliance))).toBe('BAD_USER_INPUT');
  await api.data(`mutation($id: ID!) { deleteEntity(id: $id) { id } }`, { id: created.createSignalRule.id }, compliance);
});

test('hostile input: unknown assets and tools, a Tool as the asset, TOOL_USE without a tool, counts and values out of range, future times: coded errors, nothing written', async () => {
  const { source, modelId, toolId, agentId } = await estate();
  const key = syncKey(source);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ kind: 'DRIFT', asset: { id: 'no-such-id' }, at: minutesAgo(1) }, 'signals[0].asset'],
    [{ kind: 'DRIFT', asset: { type: 'AIModel', externalId: 'nope' }, at: minutesAgo(1) }, 'signals[0].asset'],
    [{ kind: 'DRIFT', asset: { id: toolId }, at: minutesAgo(1) }, 'signals[0].asset'],
    [{ kind: 'TOOL_USE', asset: { id: agentId }, at: minutesAgo(1) }, 'signals[0].tool'],
    [{ kind: 'TOOL_USE', asset: { id: agentId }, at: minutesAgo(1), tool: { id: modelId } }, 'signals[0].tool'],
    [{ kind: 'DRIFT', asset: { id: modelId }, at: minutesAgo(1), count: 0 }, 'signals[0].count'],
    [{ kind: 'DRIFT', asset: { id: modelId }, at: minutesAgo(1), evidenceUrl: 'javascript:alert(1)' }, 'signals[0].evidenceUrl'],
    [{ kind: 'DRIFT', asset: { id: modelId }, at: new Date(Date.now() + 60_000).toISOString() }, 'signals[0].at'],
  ];
  for (const [signal, path] of cases) {
    const result = await api.execute(RECORD, { input: { signals: [{ kind: 'DRIFT', asset: { id: modelId }, at: minutesAgo(1) }, signal].reverse() } }, key);
    expect(code(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual([expect.objectContaining({ path })]);
  }
  // GraphQL refuses an unknown kind before the service sees it.
  expect(code(await api.execute(RECORD, { input: { signals: [{ kind: 'TELEPATHY', asset: { id: modelId }, at: minutesAgo(1) }] } }, key))).toBe('BAD_USER_INPUT');
  const { assetSignals } = await api.data(SERIES, { id: modelId }, viewer);
  expect(assetSignals.buckets).toEqual([]);

  const used = await api.data(RECORD, { input: { signals: [{ kind: 'TOOL_USE', asset: { id: agentId }, at: minutesAgo(1), tool: { type: 'Tool', externalId: 'search' } }] } }, key);
  expect(used.recordSignals.recorded).toBe(1);
  const agentSeries = await api.data(SERIES, { id: agentId }, viewer);
  expect(agentSeries.assetSignals.buckets).toEqual([expect.objectContaining({ kind: 'TOOL_USE', count: 1, tool: { name: `Search ${source}` } })]);
  expect(code(await api.execute(SERIES, { id: toolId }, viewer))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(SERIES, { id: modelId, from: minutesAgo(0), to: minutesAgo(10) }, viewer))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(SERIES, { id: modelId, to: new Date(Date.now() + 3_600_000).toISOString() }, viewer))).toBe('BAD_USER_INPUT');
});

test('ten concurrent pushers into one bucket lose nothing, and the rule fires once', async () => {
  const { source, modelId, rule } = await estate({ threshold: 150 });
  const key = syncKey(source);
  const results = await Promise.all(Array.from({ length: 10 }, () => api.data(RECORD, { input: { signals: injections(modelId, 20) } }, key)));
  expect(results.reduce((sum, result) => sum + result.recordSignals.recorded, 0)).toBe(200);
  const firings = results.flatMap((result) => result.recordSignals.firings).filter((firing: { rule: { id: string } }) => firing.rule.id === rule.id);
  expect(firings).toHaveLength(1);
  expect(firings[0].count).toBeGreaterThanOrEqual(150);
  const { assetSignals } = await api.data(SERIES, { id: modelId }, viewer);
  expect(assetSignals.buckets.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(200);

  // Two pushers crossing rules of two kinds on one asset at once: one incident, the other attaches.
  const second = await estate({ signalKind: 'DATA_LEAK_DETECTION', threshold: 3 });
  const third = await api.data(RULE, { input: { externalId: unique('rule'), name: 'Guardrails', signalKind: 'GUARDRAIL_BLOCK', riskTier: 'LIMITED', threshold: 3 } }, compliance);
  const push = (kind: string) => api.data(RECORD, { input: { signals: Array.from({ length: 3 }, () => ({ kind, asset: { id: second.modelId }, at: minutesAgo(0) })) } }, syncKey(second.source));
  const both = await Promise.all([push('DATA_LEAK_DETECTION'), push('GUARDRAIL_BLOCK')]);
  const fired = both.flatMap((result) => result.recordSignals.firings).filter((firing: { rule: { id: string } }) => [second.rule.id, third.createSignalRule.id].includes(firing.rule.id));
  expect(fired).toHaveLength(2);
  expect(new Set(fired.map((firing: { incident: { id: string } }) => firing.incident.id)).size).toBe(1);
  expect(fired.map((firing: { opened: boolean }) => firing.opened).sort()).toEqual([false, true]);
  await api.data(`mutation($id: ID!) { deleteEntity(id: $id) { id } }`, { id: third.createSignalRule.id }, compliance);
});

test('unmonitoredAssets lists HIGH-tier deployed models no signal reached in N days, now and as of an instant', async () => {
  const source = unique('unmon');
  await api.data(
    SYNC,
    {
      input: {
        source,
        assets: {
          aiModels: [
            { externalId: 'quiet', name: `Quiet ${source}`, riskTier: 'HIGH', lifecycleStage: 'DEPLOYED' },
            { externalId: 'watched', name: `Watched ${source}`, riskTier: 'HIGH', lifecycleStage: 'MONITORED' },
            { externalId: 'lab', name: `Lab ${source}`, riskTier: 'HIGH', lifecycleStage: 'TRAINING' },
          ],
        },
      },
    },
    ROOT,
  );
  const synced = new Date().toISOString();
  await api.data(RECORD, { input: { signals: [{ kind: 'DRIFT', asset: { type: 'AIModel', externalId: 'watched' }, at: minutesAgo(0), value: 0.1 }] } }, syncKey(source));
  const QUERY = `query($days: Int, $asOf: DateTime) { unmonitoredAssets(days: $days, asOf: $asOf) { asset { name source } lastSignalAt } }`;
  const mine = (rows: Array<{ asset: { source: string; name: string } }>) => rows.filter((row) => row.asset.source === source).map((row) => row.asset.name);
  expect(mine((await api.data(QUERY, { days: 7 }, viewer)).unmonitoredAssets)).toEqual([`Quiet ${source}`]);
  // As of the sync, before any signal: both were unmonitored.
  expect(mine((await api.data(QUERY, { days: 7, asOf: synced }, viewer)).unmonitoredAssets)).toEqual([`Quiet ${source}`, `Watched ${source}`]);
  expect(code(await api.execute(QUERY, { days: 0 }, viewer))).toBe('BAD_USER_INPUT');
});

test('overPrivilegedAgents(unusedDays:) reports the tools a monitored agent holds and never used in that many days, with the grant as the cut', async () => {
  const source = unique('unused');
  await api.data(
    SYNC,
    {
      input: {
        source,
        assets: {
          agents: [{ externalId: 'watched', name: `Watched ${source}` }, { externalId: 'dark', name: `Dark ${source}` }],
          tools: [{ externalId: 'search', name: `Search ${source}` }, { externalId: 'refund', name: `Refund ${source}`, scopes: ['refund'] }],
        },
        relationships: ['watched', 'dark'].flatMap((agent) =>
          ['search', 'refund'].flatMap((tool) => ['CAN_USE', 'APPROVED_USE'].map((type) => ({ type, from: { type: 'Agent', externalId: agent }, to: { type: 'Tool', externalId: tool } }))),
        ),
      },
    },
    ROOT,
  );
  await api.data(RECORD, { input: { signals: [{ kind: 'TOOL_USE', asset: { type: 'Agent', externalId: 'watched' }, at: minutesAgo(1), count: 7, tool: { type: 'Tool', externalId: 'search' } }] } }, syncKey(source));
  const OVER = `query($days: Int) { overPrivilegedAgents(unusedDays: $days) { agent { name source } findings { kind target { name } scopes cut { type from { name } to { name } } } } }`;
  const mine = (rows: Array<{ agent: { source: string } }>) => rows.filter((row) => row.agent.source === source);
  expect(mine((await api.data(OVER, { days: 30 }, viewer)).overPrivilegedAgents)).toEqual([
    {
      agent: { name: `Watched ${source}`, source },
      findings: [{ kind: 'UNUSED_GRANT', target: { name: `Refund ${source}` }, scopes: ['refund'], cut: [{ type: 'CAN_USE', from: { name: `Watched ${source}` }, to: { name: `Refund ${source}` } }] }],
    },
  ]);
  // Without unusedDays, or for an agent no monitoring reports on, nothing is said about use.
  expect(mine((await api.data(OVER, { days: null }, viewer)).overPrivilegedAgents)).toEqual([]);
  expect(code(await api.execute(OVER, { days: 0 }, viewer))).toBe('BAD_USER_INPUT');
});
