import { AuditLog } from '../../src/estate/audit';
import type { EntityRow } from '../../src/estate/model';
import { privilegeFindings, type AgentGraph } from '../../src/agents/privileges';
import { planFirings } from '../../src/signals/firing';
import { bucketRows, checkSignals, crossings, HOUR_MS, resolveSignals, ruleWindows, type RuleRow } from '../../src/signals/signals';

const row = (id: string, type: string, extra: Record<string, unknown> = {}): EntityRow =>
  ({ id, key: `${type}|src|${id}`, type, source: 'src', externalId: id, name: id, version: 1, createdAt: '', updatedAt: '', ...extra }) as EntityRow;
const NOW = Date.parse('2026-11-30T16:30:00Z');
const at = (minutesBefore: number) => new Date(NOW - minutesBefore * 60_000).toISOString();

test('checkSignals collects every problem with its path, and defaults count, severity and the source of keys', () => {
  const { signals, problems } = checkSignals(
    [
      { kind: 'DRIFT', asset: 'model-1', at: at(5), value: 0.2 },
      { kind: 'TELEPATHY', asset: { type: 'AIModel', externalId: 'm' }, at: at(1) },
      { kind: 'DRIFT', asset: { type: 'Nonsense', externalId: 'm' }, at: 'yesterday' },
      { kind: 'TOOL_USE', asset: { id: 'a' }, at: new Date(NOW + 60_000).toISOString(), count: 0 },
      { kind: 'ANOMALY', asset: { type: 'Agent', externalId: 'a', source: 'other' }, at: at(1), severity: 'HIGH', evidenceUrl: 'ftp://x' },
      'not an object',
    ],
    'src',
    NOW,
    (index) => `line ${index + 1}`,
  );
  expect(signals).toEqual([expect.objectContaining({ kind: 'DRIFT', asset: { id: 'model-1' }, count: 1, severity: 'LOW', value: 0.2 })]);
  expect(problems.map((problem) => problem.path)).toEqual([
    'line 2.kind',
    'line 3.asset.type',
    'line 3.at',
    'line 4.at',
    'line 4.count',
    'line 4.tool',
    'line 5.evidenceUrl',
    'line 6',
  ]);
});

test('resolveSignals refuses unknown records, non-assets and another source, and bucketRows folds a batch by asset, kind, tool and hour in key order', () => {
  const model = row('m', 'AIModel');
  const tool = row('t', 'Tool');
  const foreign = { ...row('f', 'AIModel'), source: 'other' };
  const checked = checkSignals(
    [
      { kind: 'DRIFT', asset: { id: 'm' }, at: at(10), value: 0.3, severity: 'MEDIUM' },
      { kind: 'DRIFT', asset: { id: 'm' }, at: at(5), value: 0.1, count: 4 },
      { kind: 'DRIFT', asset: { id: 'm' }, at: at(45), value: 0.9, severity: 'HIGH' },
      { kind: 'TOOL_USE', asset: { id: 'm' }, at: at(1), tool: { type: 'Tool', externalId: 't' } },
      { kind: 'DRIFT', asset: { id: 'f' }, at: at(1) },
      { kind: 'DRIFT', asset: { id: 't' }, at: at(1) },
      { kind: 'DRIFT', asset: { id: 'gone' }, at: at(1) },
    ],
    'src',
    NOW,
    (index) => `signals[${index}]`,
  );
  const { resolved, problems, forbidden } = resolveSignals(checked.signals, [model, tool, foreign], 'src');
  expect(forbidden.map((problem) => problem.path)).toEqual(['signals[4].asset']);
  expect(problems.map((problem) => problem.path)).toEqual(['signals[5].asset', 'signals[6].asset']);
  const buckets = bucketRows(resolved);
  expect(buckets.map((bucket) => [bucket.kind, bucket.toolId, bucket.windowStart, bucket.count, bucket.minValue, bucket.maxValue, bucket.lastValue, bucket.severityRank])).toEqual([
    ['DRIFT', null, '2026-11-30T15:00:00.000Z', 1, 0.9, 0.9, 0.9, 2],
    ['DRIFT', null, '2026-11-30T16:00:00.000Z', 5, 0.1, 0.3, 0.1, 1],
    ['TOOL_USE', 't', '2026-11-30T16:00:00.000Z', 1, null, null, null, 0],
  ]);
  expect([...buckets.map((bucket) => bucket.key)].sort()).toEqual(buckets.map((bucket) => bucket.key));
});

const rule = (extra: Partial<RuleRow>): RuleRow => ({ ...row('r', 'SignalRule'), name: 'Burst', signalKind: 'PROMPT_INJECTION_ATTEMPT', threshold: 5, ...extra }) as RuleRow;

test('a rule fires on the batch that crosses its threshold in its window of whole hours, for its tier only', () => {
  const high = row('h', 'AIModel', { riskTier: 'HIGH' });
  const low = row('l', 'AIModel', { riskTier: 'MINIMAL' });
  const assets = new Map([
    ['h', high],
    ['l', low],
  ]);
  const batch = checkSignals(
    [
      { kind: 'PROMPT_INJECTION_ATTEMPT', asset: { id: 'h' }, at: at(20), count: 2 },
      { kind: 'PROMPT_INJECTION_ATTEMPT', asset: { id: 'h' }, at: at(10) },
      { kind: 'PROMPT_INJECTION_ATTEMPT', asset: { id: 'l' }, at: at(10), count: 9 },
      // An hour earlier: outside a one-hour window, inside a two-hour one.
      { kind: 'PROMPT_INJECTION_ATTEMPT', asset: { id: 'h' }, at: at(50), count: 4 },
    ],
    'src',
    NOW,
    () => 's',
  );
  const { resolved } = resolveSignals(batch.signals, [high, low], 'src');
  const rules = [rule({ id: 'one', riskTier: 'HIGH' }), rule({ id: 'two', name: 'Two hours', riskTier: 'HIGH', windowHours: 2 }), rule({ id: 'off', enabled: false })];
  const windows = ruleWindows(resolved, rules, assets);
  expect(windows.map((window) => [window.rule.id, window.assetId, window.from, window.to, window.added])).toEqual([
    ['one', 'h', '2026-11-30T16:00:00.000Z', '2026-11-30T16:00:00.000Z', 3],
    ['two', 'h', '2026-11-30T15:00:00.000Z', '2026-11-30T16:00:00.000Z', 7],
  ]);
  // Stored before: 1 in this hour. After the batch: 4 (below 5) and 8 (from 1, crossing 5).
  expect(crossings(windows, [4, 8]).map((crossing) => [crossing.rule.id, crossing.count])).toEqual([['two', 8]]);
  // Already over the threshold before the batch: nothing fires again.
  expect(crossings(windows, [9, 20])).toEqual([]);
  expect(HOUR_MS).toBe(3_600_000);
});

test('planFirings opens one incident per asset with its category and playbook, attaches later crossings, and marks compromised once when the rule says so', () => {
  const asset = row('a', 'Agent', { status: 'ACTIVE' });
  const open = row('inc-open', 'Incident', { status: 'INVESTIGATING' });
  const other = row('b', 'AIModel');
  const crossing = (ruleRow: RuleRow, assetId: string) => ({ rule: ruleRow, assetId, kind: ruleRow.signalKind, from: at(30), to: at(30), at: at(1), added: 6, count: 6 });
  const audit = new AuditLog('key:monitor', new Date(NOW).toISOString(), 'signals', 'why');
  let n = 0;
  const plan = planFirings(
    [crossing(rule({ id: 'r1' }), 'a'), crossing(rule({ id: 'r2', signalKind: 'DATA_LEAK_DETECTION', markCompromised: true }), 'a'), crossing(rule({ id: 'r3', markCompromised: true }), 'b')],
    {
      assets: new Map([
        ['a', asset],
        ['b', other],
      ]),
      openIncidents: new Map([['b', open]]),
      windows: new Map(),
      playbooks: new Map([['PROMPT_INJECTION', 'playbook-pi']]),
    },
    new Date(NOW).toISOString(),
    audit,
    () => `id-${(n += 1)}`,
  );
  expect(plan.createdIncidents).toHaveLength(1);
  const [incident] = plan.createdIncidents;
  expect(incident.properties).toMatchObject({ status: 'OPEN', severity: 'HIGH', category: 'PROMPT_INJECTION' });
  expect(plan.firings.map((firing) => [firing.ruleId, firing.incidentId, firing.opened, firing.markedCompromised])).toEqual([
    ['r1', incident.id, true, false],
    ['r2', incident.id, false, true],
    ['r3', 'inc-open', false, true],
  ]);
  expect(plan.newRelationships.map((rel) => [rel.type, rel.fromId, rel.toId, Object.keys(rel.properties).sort()])).toEqual([
    ['INVOLVES', incident.id, 'a', ['compromisedSince', 'compromisedUntil', 'reason']],
    ['FOLLOWS', incident.id, 'playbook-pi', []],
  ]);
  expect(plan.changedRelationships.map((rel) => [rel.fromId, rel.toId])).toEqual([['inc-open', 'b']]);
  expect(plan.updatedAssets.map((update) => [update.id, update.properties.status])).toEqual([
    ['a', 'COMPROMISED'],
    ['b', 'COMPROMISED'],
  ]);
  expect(plan.triggers.map((trigger) => trigger.incidentId)).toEqual([incident.id, incident.id, 'inc-open']);
});

test('an agent whose tool use is monitored is told of the tools it holds and never used; an unmonitored one is not judged', () => {
  const tool = (id: string) => row(id, 'Tool', { scopes: ['read'] });
  const graph: AgentGraph = new Map([
    ['watched', { agent: row('watched', 'Agent'), invokes: [], grants: [{ type: 'CAN_USE', scopes: null, target: tool('used') }, { type: 'CAN_USE', scopes: null, target: tool('idle') }, { type: 'APPROVED_USE', scopes: null, target: tool('used') }, { type: 'APPROVED_USE', scopes: null, target: tool('idle') }] }],
    ['dark', { agent: row('dark', 'Agent'), invokes: [], grants: [{ type: 'CAN_USE', scopes: null, target: tool('idle') }, { type: 'APPROVED_USE', scopes: null, target: tool('idle') }] }],
  ]);
  const usage = new Map([['watched', new Set(['used'])]]);
  expect(privilegeFindings(graph, 'watched', usage).map((finding) => [finding.kind, finding.target.id, finding.scopes, finding.cut, finding.collateral])).toEqual([
    ['UNUSED_GRANT', 'idle', ['read'], [{ type: 'CAN_USE', fromId: 'watched', toId: 'idle' }], 0],
  ]);
  expect(privilegeFindings(graph, 'dark', usage)).toEqual([]);
  expect(privilegeFindings(graph, 'watched')).toEqual([]);
});
