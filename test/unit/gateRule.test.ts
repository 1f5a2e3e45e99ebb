import { ConfigError, loadConfig } from '../../src/config';
import type { InputProblem } from '../../src/errors';
import { checkApprovalFields, gateCrossed, passes } from '../../src/gates/gateRule';

test('the gate a move crosses: into APPROVED, into DEPLOYED or MONITORED from before DEPLOYED; never back, nor to RETIRED', () => {
  expect(gateCrossed('VALIDATION', 'APPROVED')).toBe('APPROVED');
  expect(gateCrossed(null, 'APPROVED')).toBe('APPROVED');
  expect(gateCrossed('APPROVED', 'DEPLOYED')).toBe('DEPLOYED');
  expect(gateCrossed('TRAINING', 'MONITORED')).toBe('DEPLOYED');
  expect(gateCrossed('RETIRED', 'DEPLOYED')).toBe('DEPLOYED');
  expect(gateCrossed('DEPLOYED', 'MONITORED')).toBeNull();
  expect(gateCrossed('MONITORED', 'DEPLOYED')).toBeNull();
  expect(gateCrossed('DEPLOYED', 'RETIRED')).toBeNull();
  expect(gateCrossed('DEPLOYED', 'VALIDATION')).toBeNull();
  expect(gateCrossed('APPROVED', null)).toBeNull();
});

test('the latest approval of the gate decides, by decidedAt then id; CONDITIONAL passes, REJECTED does not', () => {
  const approval = (id: string, stage: 'APPROVED' | 'DEPLOYED', outcome: 'APPROVED' | 'REJECTED' | 'CONDITIONAL', decidedAt: string) => ({ id, stage, outcome, decidedAt });
  expect(passes([], 'APPROVED')).toBe(false);
  expect(passes([approval('a', 'APPROVED', 'APPROVED', '2026-01-01')], 'DEPLOYED')).toBe(false);
  expect(passes([approval('a', 'DEPLOYED', 'CONDITIONAL', '2026-01-01')], 'DEPLOYED')).toBe(true);
  expect(passes([approval('a', 'DEPLOYED', 'APPROVED', '2026-01-01'), approval('b', 'DEPLOYED', 'REJECTED', '2026-02-01')], 'DEPLOYED')).toBe(false);
  expect(passes([approval('b', 'DEPLOYED', 'REJECTED', '2026-01-01'), approval('a', 'DEPLOYED', 'APPROVED', '2026-02-01')], 'DEPLOYED')).toBe(true);
  expect(passes([approval('a', 'DEPLOYED', 'REJECTED', '2026-01-01'), approval('b', 'DEPLOYED', 'APPROVED', '2026-01-01')], 'DEPLOYED')).toBe(true);
});

test('an approval states a gate, an outcome and when; a CONDITIONAL one its conditions and their due date', () => {
  const problems = (approval: Record<string, unknown>) => {
    const found: InputProblem[] = [];
    checkApprovalFields(approval, 'a', found);
    return found.map((problem) => problem.path);
  };
  expect(problems({ stage: 'DEPLOYED', outcome: 'APPROVED', decidedAt: '2026-01-01' })).toEqual([]);
  expect(problems({})).toEqual(['a.stage', 'a.outcome', 'a.decidedAt']);
  expect(problems({ stage: 'TRAINING', outcome: 'APPROVED', decidedAt: '2026-01-01' })).toEqual(['a.stage']);
  expect(problems({ stage: 'APPROVED', outcome: 'CONDITIONAL', decidedAt: '2026-01-01', conditions: [] })).toEqual(['a.conditions', 'a.conditionsDueAt']);
});

test('GATE_ENFORCEMENT: refuse by default, record or off when set, anything else refused at start', () => {
  expect(loadConfig({}).gates.enforcement).toBe('refuse');
  expect(loadConfig({ GATE_ENFORCEMENT: 'record' }).gates.enforcement).toBe('record');
  expect(loadConfig({ GATE_ENFORCEMENT: 'off' }).gates.enforcement).toBe('off');
  expect(() => loadConfig({ GATE_ENFORCEMENT: 'warn' })).toThrow(ConfigError);
  expect(() => loadConfig({ GATE_ENFORCEMENT: 'warn' })).toThrow(/GATE_ENFORCEMENT must be refuse, record or off, got "warn"/);
});
