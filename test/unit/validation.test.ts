import { buildSchema, GraphQLInputObjectType } from 'graphql';
import type { InputProblem } from '../../src/errors';
import { checkEntityInput, checkPatch, checkRelationshipProperties } from '../../src/estate/validation';
import type { EntityRow } from '../../src/estate/model';
import { loadTypeDefs } from '../../src/schema';

/** Pure input checks: no database, no server. */
const problemsOf = (check: (problems: InputProblem[]) => unknown) => {
  const problems: InputProblem[] = [];
  const result = check(problems);
  return { result, paths: problems.map((problem) => problem.path) };
};

describe('checkEntityInput', () => {
  test('returns the fields a record sets, names first, trimmed', () => {
    const { result, paths } = problemsOf((p) => checkEntityInput('AIModel', { externalId: ' m ', name: ' Model ', riskTier: 'HIGH', tags: ['a'] }, 'in', p));
    expect(paths).toEqual([]);
    expect(result).toEqual({ name: 'Model', riskTier: 'HIGH', tags: ['a'] });
  });

  test.each([
    ['a blank name', { externalId: 'x', name: '  ' }, ['in.name']],
    ['a line break in an external id', { externalId: 'a\nb', name: 'n' }, ['in.externalId']],
    ['an over-long name', { externalId: 'x', name: 'n'.repeat(513) }, ['in.name']],
    ['control characters in text', { externalId: 'x', name: 'n', description: 'a\u0007b' }, ['in.description']],
    ['text over 20,000 characters', { externalId: 'x', name: 'n', description: 'd'.repeat(20_001) }, ['in.description']],
    ['a list item over 512 characters', { externalId: 'x', name: 'n', tags: ['ok', 't'.repeat(513)] }, ['in.tags[1]']],
    ['more than 1,000 list items', { externalId: 'x', name: 'n', tags: Array.from({ length: 1_001 }, (_, i) => `t${i}`) }, ['in.tags']],
    ['an unsafe integer', { externalId: 'x', name: 'n', recordCount: 2 ** 60 }, ['in.recordCount']],
    ['a negative record count', { externalId: 'x', name: 'n', recordCount: -1 }, ['in.recordCount']],
  ])('refuses %s', (_what, input, expected) => {
    const { result, paths } = problemsOf((p) => checkEntityInput('Dataset', input, 'in', p));
    expect(result).toBeNull();
    expect(paths).toEqual(expected);
  });

  test('risk scores stay in range, and an inherent score follows from likelihood and impact', () => {
    expect(problemsOf((p) => checkEntityInput('Risk', { externalId: 'r', name: 'R', likelihood: 6, impact: 0 }, 'in', p)).paths).toEqual(['in.likelihood', 'in.impact']);
    expect(problemsOf((p) => checkEntityInput('Risk', { externalId: 'r', name: 'R', likelihood: 3, impact: 4 }, 'in', p)).result).toMatchObject({ inherentScore: 12 });
  });
});

describe('checkRelationshipProperties', () => {
  test('accepts scalars, homogeneous lists and nulls (which remove a property)', () => {
    const properties = { transformation: 'dedupe', rows: 42, ratio: 0.5, reviewed: true, steps: ['a', 'b'], gone: null };
    expect(problemsOf((p) => checkRelationshipProperties(properties, 'rel', p))).toEqual({ result: properties, paths: [] });
  });

  test.each([
    ['an empty name', { '': 1 }, ['rel[""]']],
    ['a NUL in a name', { 'a\u0000': 1 }, ['rel["a?"]']],
    ['a name the API manages', { sources: ['x'] }, ['rel.sources']],
    ['a mixed list', { mixed: [1, 'a'] }, ['rel.mixed']],
    ['a list with a null', { holes: ['a', null] }, ['rel.holes']],
    ['a nested map', { nested: { a: 1 } }, ['rel.nested']],
    ['an unsafe integer', { huge: 2 ** 53 }, ['rel.huge']],
    ['an infinite number', { inf: Number.POSITIVE_INFINITY }, ['rel.inf']],
    ['too many properties', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])), ['rel']],
  ])('refuses %s', (_what, properties, expected) => {
    expect(problemsOf((p) => checkRelationshipProperties(properties as Record<string, unknown>, 'rel', p))).toEqual({ result: null, paths: expected });
  });
});

describe('checkPatch', () => {
  const schema = buildSchema(loadTypeDefs());
  const inputType = schema.getType('AIModelInput') as GraphQLInputObjectType;
  const stored = { id: '1', key: 'AIModel|s|m', type: 'AIModel', source: 's', externalId: 'm', name: 'Model', version: 1, createdAt: '', updatedAt: '' } as EntityRow;

  test('coerces fields through the type input, and keeps only the fields the patch names', () => {
    expect(problemsOf((p) => checkPatch(inputType, stored, { description: 'new', fields: { riskTier: 'HIGH' } }, p))).toEqual({ result: { riskTier: 'HIGH', description: 'new' }, paths: [] });
  });

  test.each([
    ['an unknown field', { fields: { version: 3 } }, ['patch.fields.version']],
    ['the external id', { fields: { externalId: 'other' } }, ['patch.fields.externalId']],
    ['an unknown enum value', { fields: { riskTier: 'EXTREME' } }, ['patch.fields.riskTier']],
    ['a control character', { description: 'a\u0001' }, ['patch.fields.description']],
  ])('refuses %s', (_what, patch, expected) => {
    expect(problemsOf((p) => checkPatch(inputType, stored, patch, p))).toEqual({ result: null, paths: expected });
  });
});
