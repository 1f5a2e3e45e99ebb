import type { RequirementRow, ScopedRequirementRow } from '../../src/compliance/model';
import type { EntityRow } from '../../src/estate/model';
import { ANNEX_I_FROM, applyApplicability, checkObligation, ClassifiedSystem, requirementApplicability, systemObligations, upcomingObligations } from '../../src/systems/applicability';
import { checkClassification } from '../../src/systems/classification';
import { proposeClassification } from '../../src/systems/proposal';
import type { InputProblem } from '../../src/errors';

const requirement = (identifier: string, fields: Partial<RequirementRow> = {}): RequirementRow => ({
  key: `eu-ai-act|${identifier}`,
  framework: 'eu-ai-act',
  identifier,
  kind: 'ARTICLE',
  title: identifier,
  summary: null,
  officialText: null,
  order: 0,
  parentKeys: [],
  ...fields,
});
const obligation = (identifier: string, article: string, roles: string[], categories: string[], appliesFrom: string, order = 1) =>
  requirement(identifier, { kind: 'OBLIGATION', parentKeys: [`eu-ai-act|${article}`], roles, categories, appliesFrom, bindsOperator: true, order } as Partial<RequirementRow>);

const DEPLOYER_DUTY = obligation('Article 26(1)', 'Article 26', ['DEPLOYER'], ['HIGH_RISK'], '2026-08-02');
const PROVIDER_DUTY = obligation('Article 10(2)', 'Article 10', ['PROVIDER'], ['HIGH_RISK'], '2026-08-02', 2);
const ANNEX_I_DUTY = obligation('Article 11(2)', 'Article 11', ['PROVIDER'], ['HIGH_RISK'], '2027-08-02', 3);
const CHATBOT_DUTY = obligation('Article 50(1)', 'Article 50', ['PROVIDER'], ['TRANSPARENCY'], '2026-08-02', 4);
const OBLIGATIONS = [DEPLOYER_DUTY, PROVIDER_DUTY, ANNEX_I_DUTY, CHATBOT_DUTY];

const credit: ClassifiedSystem = { id: 's1', name: 'Credit', roles: ['DEPLOYER'], categories: ['HIGH_RISK'], exception: false, annexI: false };
const chat: ClassifiedSystem = { id: 's2', name: 'Chat', roles: ['PROVIDER'], categories: ['MINIMAL', 'TRANSPARENCY'], exception: false, annexI: false };

test('an obligation binds a system when a role and a category meet, and applies from its date', () => {
  expect(checkObligation(DEPLOYER_DUTY, credit, '2026-08-02')).toMatchObject({ binds: true, applies: true, roles: ['DEPLOYER'], categories: ['HIGH_RISK'] });
  expect(checkObligation(DEPLOYER_DUTY, credit, '2026-08-01')).toMatchObject({ binds: true, applies: false });
  expect(checkObligation(DEPLOYER_DUTY, credit, '2026-08-01').reason).toMatch(/not yet on 2026-08-01/);
  expect(checkObligation(PROVIDER_DUTY, credit, '2026-12-01')).toMatchObject({ binds: false, applies: false });
  expect(systemObligations(OBLIGATIONS, chat, '2026-12-01').map((check) => check.requirement.identifier)).toEqual(['Article 50(1)']);
  // What exists only for the Article 6(3) exception binds only a system that documents it.
  const documented = { ...obligation('Article 6(4)', 'Article 6', ['PROVIDER'], ['MINIMAL'], '2026-08-02'), condition: 'Annex III systems whose provider relies on the Article 6(3) exception (not high-risk).' };
  expect(checkObligation(documented, chat, '2026-12-01')).toMatchObject({ binds: false, reason: "Article 6(4) binds a system held not high-risk under Article 6(3); Chat's classification documents no such exception." });
  expect(checkObligation(documented, { ...chat, exception: true }, '2026-12-01')).toMatchObject({ binds: true, applies: true });
});

test('an article applies when one of its obligations applies to a system; otherwise the reason says why not', () => {
  const under = [PROVIDER_DUTY];
  expect(requirementApplicability(requirement('Article 10'), under, [credit, chat], '2026-12-01')).toMatchObject({ applicable: false });
  expect(requirementApplicability(requirement('Article 10'), under, [credit, chat], '2026-12-01').reason).toMatch(/binds the provider of a high risk system; none of the organisation's 2 classified AI systems is one/);
  expect(requirementApplicability(requirement('Article 11'), [ANNEX_I_DUTY], [{ ...credit, roles: ['PROVIDER'] }], '2026-12-01').reason).toBe('Applies to Credit from 2027-08-02: not in force on 2026-12-01.');
  expect(requirementApplicability(requirement('Article 1', { bindsOperator: false } as Partial<RequirementRow>), [], [credit], '2026-12-01')).toMatchObject({ applicable: false, reason: 'Article 1 binds no operator.' });
  // Nothing known about whom it binds: assessed as before.
  expect(requirementApplicability(requirement('Annex IV', { kind: 'ANNEX' }), [], [credit], '2026-12-01').applicable).toBeNull();
});

const row = (identifier: string, fields: Partial<ScopedRequirementRow> = {}): ScopedRequirementRow => ({ requirement: requirement(identifier), notApplicable: null, controls: [], top: null, ...fields });
const claim = (status: 'IMPLEMENTED' | 'PLANNED') => ({ control: { id: 'c', implementationStatus: status } as unknown as EntityRow, coverage: 'FULL' as const, rationale: null, evidence: [{ expired: false } as EntityRow & { expired: boolean }], owners: [] });

test('the map: computed NOT_APPLICABLE for what applies to no system, a person’s declaration first, nothing computed without a classified system', () => {
  const declared = { id: 'd1', requirementKey: 'eu-ai-act|Article 10', rationale: 'Declared.', declaredBy: 'x', declaredAt: '2026-01-01', withdrawnAt: null, withdrawnBy: null };
  const rows = [row('Article 26'), row('Article 10', { notApplicable: declared }), row('Article 50'), row('Annex IV')];
  const applied = applyApplicability(rows, OBLIGATIONS, [credit], '2026-12-01', '2026-12-01T00:00:00.000Z');
  expect(applied.map((entry) => [entry.requirement.identifier, entry.notApplicable?.id ?? null])).toEqual([
    ['Article 26', null],
    ['Article 10', 'd1'],
    ['Article 50', 'computed:eu-ai-act|Article 50'],
    ['Annex IV', null],
  ]);
  expect(applyApplicability(rows, OBLIGATIONS, [], '2026-12-01', 'x')).toBe(rows);
  // A system's own map keeps only what applies to it.
  expect(applyApplicability(rows, OBLIGATIONS, [credit], '2026-12-01', 'x', true).map((entry) => entry.requirement.identifier)).toEqual(['Article 26']);
});

test('upcoming: binding obligations due by the date, open on their own claims or else their article’s', () => {
  const rows = [row('Article 26', { controls: [claim('IMPLEMENTED')] }), row('Article 10'), row('Article 11'), row('Article 50')];
  const provider = { ...credit, roles: ['PROVIDER', 'DEPLOYER'] } as ClassifiedSystem;
  const due = upcomingObligations(rows, OBLIGATIONS, [provider, chat], '2026-08-02', '2026-07-01');
  expect(due.map((item) => [item.requirement.identifier, item.status, item.inForce, item.systemIds])).toEqual([
    ['Article 10(2)', 'GAP', false, ['s1']],
    ['Article 50(1)', 'GAP', false, ['s2']],
  ]);
});

test('a high-risk system through Annex I meets the same obligations a year later (Article 113(c)), a transparency duty on the usual date', () => {
  const machine = { ...credit, id: 's3', name: 'Machine', roles: ['PROVIDER', 'DEPLOYER'], categories: ['HIGH_RISK', 'TRANSPARENCY'], annexI: true } as ClassifiedSystem;
  const dates = (system: ClassifiedSystem) => systemObligations(OBLIGATIONS, system, '2026-12-01').map((check) => [check.requirement.identifier, check.appliesFrom, check.applies]);
  expect(dates(machine)).toEqual(
    dates({ ...machine, annexI: false }).map(([identifier, from, applies]) => (identifier === 'Article 50(1)' ? [identifier, from, applies] : [identifier, ANNEX_I_FROM, false])),
  );
  const rows = [row('Article 26'), row('Article 10'), row('Article 11'), row('Article 50')];
  expect(upcomingObligations(rows, OBLIGATIONS, [machine], '2026-08-02', '2026-07-01').map((item) => item.requirement.identifier)).toEqual(['Article 50(1)']);
  expect(upcomingObligations(rows, OBLIGATIONS, [machine], ANNEX_I_FROM, '2026-07-01').every((item) => item.requirement.identifier === 'Article 50(1)' || item.appliesFrom === ANNEX_I_FROM)).toBe(true);
});

describe('classification checks', () => {
  const base = { category: 'HIGH_RISK' as const, roles: ['PROVIDER' as const], annexIIIPoint: '5(b)', rationale: 'Scores credit.' };
  const check = (input: Record<string, unknown>) => {
    const problems: InputProblem[] = [];
    const fields = checkClassification({ ...base, ...input } as never, 'key:grc', '2026-11-30T00:00:00.000Z', problems);
    return { fields, paths: problems.map((problem) => problem.path) };
  };
  test('a valid one is stored whole, with who and when', () => {
    expect(check({}).fields).toEqual({
      aiActCategory: 'HIGH_RISK',
      article50: false,
      roles: ['PROVIDER'],
      annexIIIPoint: '5(b)',
      annexILegislation: null,
      exception: null,
      exceptionReasoning: null,
      profiling: false,
      classificationRationale: 'Scores credit.',
      classifiedBy: 'key:grc',
      classifiedAt: '2026-11-30T00:00:00.000Z',
    });
    expect(check({ annexIIIPoint: null, annexILegislation: 'Regulation (EU) 2017/745' }).paths).toEqual([]);
    expect(check({ annexIIIPoint: '2' }).paths).toEqual([]);
    expect(check({ category: 'MINIMAL', exception: 'PREPARATORY_TASK', exceptionReasoning: 'Prepares the file.' }).paths).toEqual([]);
  });
  test('what the regulation does not allow is named by its field', () => {
    expect(check({ annexIIIPoint: '4' }).paths).toEqual(['input.annexIIIPoint']);
    expect(check({ annexIIIPoint: '9(a)' }).paths).toEqual(['input.annexIIIPoint']);
    expect(check({ annexIIIPoint: null, annexILegislation: 'Directive 2001/95/EC' }).paths).toEqual(['input.annexILegislation']);
    expect(check({ category: 'MINIMAL', exception: 'PREPARATORY_TASK' }).paths).toEqual(['input.exceptionReasoning']);
    expect(check({ category: 'MINIMAL', exception: 'PREPARATORY_TASK', exceptionReasoning: 'x', profiling: true }).paths).toEqual(['input.exception']);
    expect(check({ category: 'MINIMAL' }).paths).toEqual(['input.annexIIIPoint']);
    expect(check({ roles: [] }).paths).toEqual(['input.roles']);
  });
});

test('a proposal: Annex III from the decisions, roles from the parts’ vendors, fraud detection left out of 5(b)', () => {
  const record = (type: string, name: string, fields: Record<string, unknown> = {}) => ({ id: name, type, name, ...fields }) as unknown as EntityRow;
  const proposal = proposeClassification({
    system: record('AISystem', 'Credit'),
    parts: [
      { part: record('AIModel', 'Scorecard'), vendors: [], basedOn: [] },
      { part: record('AIModel', 'Tuned'), vendors: [], basedOn: [{ name: 'Base', vendors: ['V'] }] },
    ],
    decisions: [{ decision: record('Decision', 'Loan approval', { businessProcess: 'Lending' }), via: 'driven' }],
  });
  expect(proposal).toMatchObject({ category: 'HIGH_RISK', annexIIIPoint: '5(b)', roles: ['DEPLOYER', 'PROVIDER'], article50: false });
  const fraud = proposeClassification({ system: record('AISystem', 'Fraud'), parts: [], decisions: [{ decision: record('Decision', 'Card fraud block', { tags: ['credit', 'fraud'] }), via: 'driven' }] });
  expect(fraud.category).toBe('MINIMAL');
  expect(fraud.reasons.join(' ')).toMatch(/excludes systems used to detect financial fraud/);
});
