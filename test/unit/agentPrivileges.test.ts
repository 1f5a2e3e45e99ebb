import { effectivePrivileges, grantScopes, invokedAgents, privilegeFindings, type AgentGraph, type GrantEdge } from '../../src/agents/privileges';
import type { EntityRow } from '../../src/estate/model';

const record = (type: EntityRow['type'], id: string, fields: Record<string, unknown> = {}): EntityRow => ({
  id,
  key: `${type}|t|${id}`,
  type,
  source: 't',
  externalId: id,
  name: id,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

function graph(agents: Record<string, { invokes?: string[]; grants?: GrantEdge[] }>): AgentGraph {
  return new Map(Object.entries(agents).map(([id, { invokes = [], grants = [] }]) => [id, { agent: record('Agent', id), invokes, grants }]));
}

const pay = record('Tool', 'pay', { scopes: ['read', 'refund'], sensitivity: 'HIGH' });
const crm = record('Dataset', 'crm', { containsPersonalData: true });

test('a grant without scopes gives the tool\'s scopes, `*` when it lists none, read for a retrieval; an approval without scopes approves all', () => {
  expect(grantScopes({ type: 'CAN_USE', scopes: null, target: pay })).toEqual(['read', 'refund']);
  expect(grantScopes({ type: 'CAN_USE', scopes: null, target: record('Tool', 'bare') })).toEqual(['*']);
  expect(grantScopes({ type: 'CAN_USE', scopes: ['refund', 'refund'], target: pay })).toEqual(['refund']);
  expect(grantScopes({ type: 'RETRIEVES_FROM', scopes: null, target: crm })).toEqual(['read']);
  expect(grantScopes({ type: 'APPROVED_USE', scopes: null, target: crm })).toEqual(['*']);
});

test('a cycle of invocations ends, each agent reached once by a shortest chain', () => {
  const g = graph({ a: { invokes: ['b'] }, b: { invokes: ['c', 'a'] }, c: { invokes: ['a', 'b'], grants: [{ type: 'CAN_USE', scopes: ['refund'], target: pay }] } });
  expect(invokedAgents(g, 'a')).toEqual(['b', 'c']);
  expect(effectivePrivileges(g, 'a')).toEqual([{ target: pay, scopes: ['refund'], grant: 'CAN_USE', chain: ['a', 'b', 'c'], direct: false }]);
  expect(effectivePrivileges(g, 'c')[0]).toMatchObject({ chain: ['c'], direct: true });
});

test('approved scopes cover a grant; the cut is the grant when one agent holds it, the shared invocation when two do', () => {
  const approved: GrantEdge = { type: 'APPROVED_USE', scopes: ['read'], target: pay };
  const one = graph({ a: { invokes: ['b'], grants: [approved] }, b: { grants: [{ type: 'CAN_USE', scopes: ['read', 'refund'], target: pay }, { type: 'RETRIEVES_FROM', scopes: null, target: crm }] } });
  const findings = privilegeFindings(one, 'a');
  expect(findings.map((f) => [f.kind, f.target.id, f.scopes, f.cut, f.collateral])).toEqual([
    ['EXCEEDS_APPROVAL', 'crm', ['read'], [{ type: 'RETRIEVES_FROM', fromId: 'b', toId: 'crm' }], 0],
    ['EXCEEDS_APPROVAL', 'pay', ['refund'], [{ type: 'CAN_USE', fromId: 'b', toId: 'pay' }], 0],
    ['PERSONAL_DATA_THROUGH_INVOCATION', 'crm', ['read'], [{ type: 'RETRIEVES_FROM', fromId: 'b', toId: 'crm' }], 0],
    ['SENSITIVE_TOOL_THROUGH_INVOCATION', 'pay', ['read', 'refund'], [{ type: 'CAN_USE', fromId: 'b', toId: 'pay' }], 0],
  ]);

  const two = graph({
    a: { invokes: ['b'] },
    b: { invokes: ['c', 'd'], grants: [{ type: 'RETRIEVES_FROM', scopes: null, target: record('Dataset', 'docs') }] },
    c: { grants: [{ type: 'CAN_USE', scopes: ['refund'], target: pay }] },
    d: { grants: [{ type: 'CAN_USE', scopes: ['refund'], target: pay }] },
  });
  const sensitive = privilegeFindings(two, 'a').find((f) => f.kind === 'SENSITIVE_TOOL_THROUGH_INVOCATION')!;
  expect(sensitive.path).toEqual(['a', 'b', 'c', 'pay']);
  expect(sensitive.cut).toEqual([{ type: 'CAN_INVOKE', fromId: 'a', toId: 'b' }]);
  expect(sensitive.collateral).toBe(1);
  // From b, no single edge removes both routes: both grants are the cut.
  const fromB = privilegeFindings(two, 'b').find((f) => f.kind === 'SENSITIVE_TOOL_THROUGH_INVOCATION')!;
  expect(fromB.cut).toEqual([
    { type: 'CAN_USE', fromId: 'c', toId: 'pay' },
    { type: 'CAN_USE', fromId: 'd', toId: 'pay' },
  ]);
});

test('a target held directly is no finding of reach through another agent, and an unscoped approval approves everything', () => {
  const g = graph({
    a: { invokes: ['b'], grants: [{ type: 'RETRIEVES_FROM', scopes: null, target: crm }, { type: 'APPROVED_USE', scopes: null, target: crm }] },
    b: { grants: [{ type: 'RETRIEVES_FROM', scopes: ['read', 'write'], target: crm }] },
  });
  expect(privilegeFindings(g, 'a')).toEqual([]);
});
