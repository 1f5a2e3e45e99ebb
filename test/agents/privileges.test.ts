import type { Principal } from '../../src/auth/access';
import { applyMigrations } from '../../src/db/migrations';
import { silentLogger } from '../../src/logger';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { pause, rel } from '../support/timeline';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
const viewer: Principal = { name: 'viewer', kind: 'apiKey', role: 'VIEWER' };

const PRIVILEGES = `query($id: ID!, $asOf: DateTime) { agentPrivileges(id: $id, asOf: $asOf) {
  agent { name }
  privileges { target { name } scopes grant direct chain { name } }
  invokes { name }
} }`;
const OVER = `query($asOf: DateTime) { overPrivilegedAgents(asOf: $asOf) {
  agent { name source }
  findings { kind target { name } scopes path { name } cut { type from { name } to { name } } collateral }
} }`;
const REACH = `query($target: ID!, $asOf: DateTime) { whoCanReach(target: $target, asOf: $asOf) {
  agent { name } models { name } chain { name } grant scopes
} }`;

/**
 * Planner -> Researcher -> Payer -> Planner (a cycle), Researcher -> Refunder. The planner may use
 * search (approved); the researcher retrieves docs and the CRM (personal data, read and write); the
 * payer and the refunder both hold the payments tool (CRITICAL), so no single grant cut takes it
 * from the planner. The planner runs on a model.
 */
async function estate() {
  const source = unique('agents');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        agents: ['Planner', 'Researcher', 'Payer', 'Refunder'].map((name) => ({ externalId: name.toLowerCase(), name, purpose: `${name} work` })),
        tools: [
          { externalId: 'pay', name: 'Payments', kind: 'PAYMENT_ACTION', scopes: ['read', 'refund', 'charge'], sensitivity: 'CRITICAL' },
          { externalId: 'search', name: 'Search', kind: 'API', scopes: ['query'], sensitivity: 'LOW' },
        ],
        datasets: [
          { externalId: 'crm', name: 'CRM', containsPersonalData: true },
          { externalId: 'docs', name: 'Docs', containsPersonalData: false },
        ],
        aiModels: [{ externalId: 'llm', name: 'Planner LLM' }],
      },
      relationships: [
        rel('CAN_INVOKE', ['Agent', 'planner'], ['Agent', 'researcher']),
        rel('CAN_INVOKE', ['Agent', 'researcher'], ['Agent', 'payer']),
        rel('CAN_INVOKE', ['Agent', 'payer'], ['Agent', 'planner']),
        rel('CAN_INVOKE', ['Agent', 'researcher'], ['Agent', 'refunder']),
        rel('CAN_USE', ['Agent', 'planner'], ['Tool', 'search'], { scopes: ['query'] }),
        rel('APPROVED_USE', ['Agent', 'planner'], ['Tool', 'search'], { scopes: ['query'] }),
        rel('RETRIEVES_FROM', ['Agent', 'researcher'], ['Dataset', 'docs']),
        rel('RETRIEVES_FROM', ['Agent', 'researcher'], ['Dataset', 'crm'], { scopes: ['read', 'write'] }),
        rel('CAN_USE', ['Agent', 'payer'], ['Tool', 'pay'], { scopes: ['refund'] }),
        rel('CAN_USE', ['Agent', 'refunder'], ['Tool', 'pay'], { scopes: ['refund'] }),
        rel('USES_MODEL', ['Agent', 'planner'], ['AIModel', 'llm']),
      ],
    },
  });
  const id = async (type: string, externalId: string): Promise<string> => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id;
  return { source, id };
}

const byTarget = (a: { target: { name: string }; chain: unknown[] }, b: { target: { name: string }; chain: unknown[] }) =>
  a.target.name.localeCompare(b.target.name) || a.chain.length - b.chain.length;

test('agentPrivileges follows invocations through a cycle, each privilege with the chain that grants it', async () => {
  const { id } = await estate();
  const { agentPrivileges } = await api.data(PRIVILEGES, { id: await id('Agent', 'planner') });
  expect(agentPrivileges.agent.name).toBe('Planner');
  expect(agentPrivileges.invokes.map((a: { name: string }) => a.name).sort()).toEqual(['Payer', 'Refunder', 'Researcher']);
  const privileges = agentPrivileges.privileges.map((p: { target: { name: string }; scopes: string[]; grant: string; direct: boolean; chain: { name: string }[] }) => ({
    ...p,
    chain: p.chain.map((a) => a.name),
  }));
  expect(privileges.sort(byTarget)).toEqual([
    { target: { name: 'CRM' }, scopes: ['read', 'write'], grant: 'RETRIEVES_FROM', direct: false, chain: ['Planner', 'Researcher'] },
    { target: { name: 'Docs' }, scopes: ['read'], grant: 'RETRIEVES_FROM', direct: false, chain: ['Planner', 'Researcher'] },
    { target: { name: 'Payments' }, scopes: ['refund'], grant: 'CAN_USE', direct: false, chain: ['Planner', 'Researcher', 'Payer'] },
    { target: { name: 'Payments' }, scopes: ['refund'], grant: 'CAN_USE', direct: false, chain: ['Planner', 'Researcher', 'Refunder'] },
    { target: { name: 'Search' }, scopes: ['query'], grant: 'CAN_USE', direct: true, chain: ['Planner'] },
  ]);
  // The payer is in the cycle: it reaches the planner's search and, through the planner, all the rest.
  const payer = await api.data(PRIVILEGES, { id: await id('Agent', 'payer') });
  expect(payer.agentPrivileges.invokes.map((a: { name: string }) => a.name).sort()).toEqual(['Planner', 'Refunder', 'Researcher']);
  expect(payer.agentPrivileges.privileges.find((p: { target: { name: string } }) => p.target.name === 'Search').chain.map((a: { name: string }) => a.name)).toEqual(['Payer', 'Planner']);
});

test('overPrivilegedAgents explains each finding by a path and the smallest cut that removes it', async () => {
  const { source } = await estate();
  const { overPrivilegedAgents } = await api.data(OVER, {});
  const mine = overPrivilegedAgents.filter((entry: { agent: { source: string } }) => entry.agent.source === source);
  const planner = mine.find((entry: { agent: { name: string } }) => entry.agent.name === 'Planner');
  const summary = planner.findings.map((f: { kind: string; target: { name: string }; scopes: string[]; path: { name: string }[]; cut: { type: string; from: { name: string }; to: { name: string } }[]; collateral: number }) => ({
    kind: f.kind,
    target: f.target.name,
    scopes: f.scopes,
    path: f.path.map((r) => r.name),
    cut: f.cut.map((c) => `${c.from.name} -${c.type}-> ${c.to.name}`),
    collateral: f.collateral,
  }));
  expect(summary).toEqual([
    // Approved: search only. Cutting the researcher's CRM grant costs the planner nothing else.
    { kind: 'EXCEEDS_APPROVAL', target: 'CRM', scopes: ['read', 'write'], path: ['Planner', 'Researcher', 'CRM'], cut: ['Researcher -RETRIEVES_FROM-> CRM'], collateral: 0 },
    { kind: 'EXCEEDS_APPROVAL', target: 'Docs', scopes: ['read'], path: ['Planner', 'Researcher', 'Docs'], cut: ['Researcher -RETRIEVES_FROM-> Docs'], collateral: 0 },
    // Two agents hold the payments grant: one invocation edge is the only single cut (and costs CRM read/write and Docs read).
    { kind: 'EXCEEDS_APPROVAL', target: 'Payments', scopes: ['refund'], path: ['Planner', 'Researcher', 'Payer', 'Payments'], cut: ['Planner -CAN_INVOKE-> Researcher'], collateral: 3 },
    { kind: 'PERSONAL_DATA_THROUGH_INVOCATION', target: 'CRM', scopes: ['read', 'write'], path: ['Planner', 'Researcher', 'CRM'], cut: ['Researcher -RETRIEVES_FROM-> CRM'], collateral: 0 },
    { kind: 'SENSITIVE_TOOL_THROUGH_INVOCATION', target: 'Payments', scopes: ['refund'], path: ['Planner', 'Researcher', 'Payer', 'Payments'], cut: ['Planner -CAN_INVOKE-> Researcher'], collateral: 3 },
  ]);
  // The researcher reaches payments through two agents directly: no single edge does, so both grants are the cut.
  const researcher = mine.find((entry: { agent: { name: string } }) => entry.agent.name === 'Researcher');
  const payments = researcher.findings.find((f: { kind: string }) => f.kind === 'SENSITIVE_TOOL_THROUGH_INVOCATION');
  expect(payments.cut.map((c: { from: { name: string } }) => c.from.name).sort()).toEqual(['Payer', 'Refunder']);
  // The researcher holds the CRM itself: that is no finding of reach through another agent.
  expect(researcher.findings.some((f: { kind: string }) => f.kind === 'PERSONAL_DATA_THROUGH_INVOCATION')).toBe(false);
});

test('whoCanReach lists every agent that reaches a tool, with its chain and the models behind it', async () => {
  const { id } = await estate();
  const { whoCanReach } = await api.data(REACH, { target: await id('Tool', 'pay') });
  const rows = whoCanReach.map((r: { agent: { name: string }; models: { name: string }[]; chain: { name: string }[]; grant: string; scopes: string[] }) => ({
    agent: r.agent.name,
    models: r.models.map((m) => m.name),
    hops: r.chain.length,
    grant: r.grant,
    scopes: r.scopes,
  }));
  expect(rows.sort((a: { hops: number; agent: string }, b: { hops: number; agent: string }) => a.hops - b.hops || a.agent.localeCompare(b.agent))).toEqual([
    { agent: 'Payer', models: [], hops: 1, grant: 'CAN_USE', scopes: ['refund'] },
    { agent: 'Refunder', models: [], hops: 1, grant: 'CAN_USE', scopes: ['refund'] },
    { agent: 'Researcher', models: [], hops: 2, grant: 'CAN_USE', scopes: ['refund'] },
    { agent: 'Planner', models: ['Planner LLM'], hops: 3, grant: 'CAN_USE', scopes: ['refund'] },
  ]);
});

test('as of an instant before a grant was cut, the grant and every reach through it are still there', async () => {
  const { id, source } = await estate();
  await pause();
  const before = new Date().toISOString();
  await pause();
  const researcher = await id('Agent', 'researcher');
  const crm = await id('Dataset', 'crm');
  const planner = await id('Agent', 'planner');
  expect((await api.data('mutation($from: ID!, $to: ID!) { unlink(type: RETRIEVES_FROM, fromId: $from, toId: $to) { removed } }', { from: researcher, to: crm })).unlink.removed).toBe(true);

  const targets = (result: { agentPrivileges: { privileges: { target: { name: string } }[] } }) => [...new Set(result.agentPrivileges.privileges.map((p) => p.target.name))].sort();
  expect(targets(await api.data(PRIVILEGES, { id: planner }))).toEqual(['Docs', 'Payments', 'Search']);
  expect(targets(await api.data(PRIVILEGES, { id: planner, asOf: before }))).toEqual(['CRM', 'Docs', 'Payments', 'Search']);

  expect((await api.data(REACH, { target: crm })).whoCanReach).toEqual([]);
  const then = (await api.data(REACH, { target: crm, asOf: before })).whoCanReach;
  expect(then.map((r: { agent: { name: string } }) => r.agent.name).sort()).toEqual(['Payer', 'Planner', 'Researcher']);

  const findingsOf = async (asOf?: string) => {
    const { overPrivilegedAgents } = await api.data(OVER, { asOf });
    const entry = overPrivilegedAgents.find((e: { agent: { name: string; source: string } }) => e.agent.source === source && e.agent.name === 'Planner');
    return entry.findings.filter((f: { target: { name: string } }) => f.target.name === 'CRM').map((f: { kind: string }) => f.kind);
  };
  expect(await findingsOf()).toEqual([]);
  expect(await findingsOf(before)).toEqual(['EXCEEDS_APPROVAL', 'PERSONAL_DATA_THROUGH_INVOCATION']);
});

test('bad input: an unknown id, a record of the wrong type, an instant in the future; every role reads, a VIEWER grants nothing', async () => {
  const { id } = await estate();
  const planner = await id('Agent', 'planner');
  const pay = await id('Tool', 'pay');
  expect(code(await api.execute(PRIVILEGES, { id: 'no-such-id' }))).toBe('NOT_FOUND');
  expect(code(await api.execute(REACH, { target: 'no-such-id' }))).toBe('NOT_FOUND');
  expect(code(await api.execute(PRIVILEGES, { id: pay }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(REACH, { target: planner }))).toBe('BAD_USER_INPUT');
  const future = new Date(Date.now() + 86_400_000).toISOString();
  expect(code(await api.execute(PRIVILEGES, { id: planner, asOf: future }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(OVER, { asOf: future }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(REACH, { target: pay, asOf: future }))).toBe('BAD_USER_INPUT');
  const { agentPrivileges } = await api.data(PRIVILEGES, { id: planner }, viewer);
  expect(agentPrivileges.agent.name).toBe('Planner');
  expect((await api.execute(REACH, { target: pay }, viewer)).errors).toBeUndefined();
  const grant = await api.execute('mutation($from: ID!, $to: ID!) { link(type: CAN_USE, fromId: $from, toId: $to, properties: { scopes: ["charge"] }) { created } }', { from: planner, to: pay }, viewer);
  expect(code(grant)).toBe('FORBIDDEN');
});

test('migration 011 turns allowedTools and allowedActions strings into Tools granted and approved, once, and leaves a cut grant cut', async () => {
  const source = unique('legacy');
  const tool = unique('crm-lookup');
  const action = unique('send-email');
  await api.data(SYNC, { input: { source, assets: { agents: [{ externalId: 'old', name: 'Legacy agent', allowedTools: [tool], allowedActions: [action] }] } } });
  const agentId = (await api.data(KEY_LOOKUP, { type: 'Agent', source, externalId: 'old' })).entityByKey.id;
  const migrate = () => applyMigrations(api.app.gateway, silentLogger);
  const grants = async () => {
    const { node } = await api.data(
      'query($id: ID!) { node(id: $id) { ... on Agent { canUse { name source externalId kind } approvedUses { name } } } }',
      { id: agentId },
    );
    return node;
  };
  await migrate();
  await migrate();
  const migrated = await grants();
  expect(migrated.canUse.sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name))).toEqual(
    [
      { name: tool, source: 'migration-011-allowlists', externalId: `tool:${tool}`, kind: 'OTHER' },
      { name: action, source: 'migration-011-allowlists', externalId: `action:${action}`, kind: 'ACTION' },
    ].sort((a, b) => a.name.localeCompare(b.name)),
  );
  expect(migrated.approvedUses.map((r: { name: string }) => r.name).sort()).toEqual([tool, action].sort());
  const { agentPrivileges } = await api.data(PRIVILEGES, { id: agentId });
  expect(agentPrivileges.privileges.map((p: { direct: boolean; scopes: string[] }) => [p.direct, p.scopes])).toEqual([
    [true, ['*']],
    [true, ['*']],
  ]);
  // Approved as granted: the migrated agent has no finding.
  const { overPrivilegedAgents } = await api.data(OVER, {});
  expect(overPrivilegedAgents.some((entry: { agent: { source: string } }) => entry.agent.source === source)).toBe(false);

  const toolId = (await api.data(KEY_LOOKUP, { type: 'Tool', source: 'migration-011-allowlists', externalId: `tool:${tool}` })).entityByKey.id;
  await api.data('mutation($from: ID!, $to: ID!) { unlink(type: CAN_USE, fromId: $from, toId: $to) { removed } }', { from: agentId, to: toolId });
  await migrate();
  expect((await grants()).canUse.map((r: { name: string }) => r.name)).toEqual([action]);
  const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on Tool { history { action } } } }', { id: toolId });
  expect(node.history.map((event: { action: string }) => event.action)).toContain('CREATE');
});
