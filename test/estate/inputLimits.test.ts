import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

/**
 * Client values that Neo4j would refuse or mangle are refused first, with BAD_USER_INPUT naming
 * where they are, in a dry run exactly as in a real call, and nothing is written.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const MEGABYTE = 'x'.repeat(1024 * 1024);
const manyKeys = Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`p${index}`, index]));

const HOSTILE_PROPERTIES: Array<[string, Record<string, unknown>, string]> = [
  ['an empty property name', { '': 'x' }, 'relationships[0].properties[""]'],
  ['a NUL in a property name', { 'a\u0000b': 'x' }, 'relationships[0].properties["a?b"]'],
  ['a mixed-type list', { mixed: [1, 'a'] }, 'relationships[0].properties.mixed'],
  ['a nested map', { nested: { deep: true } }, 'relationships[0].properties.nested'],
  ['a 1 MB value', { big: MEGABYTE }, 'relationships[0].properties.big'],
  ['5,000 properties', manyKeys, 'relationships[0].properties'],
  ['an integer past 2^53', { huge: 2 ** 60 }, 'relationships[0].properties.huge'],
  ['a 1 MB list item', { items: [MEGABYTE] }, 'relationships[0].properties.items[0]'],
];

async function twoRecords(source: string) {
  await api.data(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'm', name: 'Model' }], datasets: [{ externalId: 'd', name: 'Data' }] } } });
}

const relationship = (properties: Record<string, unknown>) => ({ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'm' }, to: { type: 'Dataset', externalId: 'd' }, properties });

describe.each(HOSTILE_PROPERTIES)('relationship properties with %s', (_what, properties, path) => {
  test('are refused by a sync, naming the item', async () => {
    const source = unique('hostile');
    await twoRecords(source);
    const result = await api.execute(SYNC, { input: { source, relationships: [relationship(properties)] } });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((result.errors?.[0].extensions?.problems as Array<{ path: string }>).map((problem) => problem.path)).toContain(path);
    const { entityByKey } = await api.data(`query($source: String!) { entityByKey(type: AIModel, source: $source, externalId: "m") { relationships { type } } }`, { source });
    expect(entityByKey.relationships).toEqual([]);
  });

  test('make a dry run say ok: false with the same problem', async () => {
    const source = unique('hostile');
    await twoRecords(source);
    const { syncInventory } = await api.data(SYNC, { input: { source, dryRun: true, relationships: [relationship(properties)] } });
    expect(syncInventory.ok).toBe(false);
    expect(syncInventory.errors.map((problem: { path: string }) => problem.path)).toContain(path);
  });

  test('are refused by link', async () => {
    const source = unique('hostile');
    await twoRecords(source);
    const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id;
    const result = await api.execute('mutation($from: ID!, $to: ID!, $properties: JSONObject) { link(type: TRAINED_ON, fromId: $from, toId: $to, properties: $properties) { created } }', {
      from: await id('AIModel', 'm'),
      to: await id('Dataset', 'd'),
      properties,
    });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

test('records with oversized list items or unsafe integers are refused, naming the field', async () => {
  const source = unique('hostile');
  const result = await api.execute(SYNC, {
    input: { source, assets: { aiModels: [{ externalId: 'm', name: 'Model', tags: ['ok', MEGABYTE] }], datasets: [{ externalId: 'd', name: 'Data', recordCount: 2 ** 31 - 1 }] } },
  });
  expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect((result.errors?.[0].extensions?.problems as Array<{ path: string }>).map((problem) => problem.path)).toEqual(['assets.aiModels[0].tags[1]']);
});

test('a relationship property that is a safe integer reads back exactly', async () => {
  const source = unique('exact');
  await twoRecords(source);
  await api.data(SYNC, { input: { source, relationships: [relationship({ rows: Number.MAX_SAFE_INTEGER, weights: [0.5, 2] })] } });
  const { entityByKey } = await api.data(`query($source: String!) { entityByKey(type: AIModel, source: $source, externalId: "m") { relationships { properties } } }`, { source });
  expect(entityByKey.relationships[0].properties).toEqual({ rows: Number.MAX_SAFE_INTEGER, weights: [0.5, 2] });
});

test('sources that are blank or carry control characters are refused everywhere', async () => {
  for (const source of ['   ', 'a\u0000b', 'line\nbreak', 'x'.repeat(600)]) {
    const sync = await api.execute(SYNC, { input: { source, assets: { owners: [{ externalId: 'o', name: 'O' }] } } });
    expect(sync.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const create = await api.execute('mutation($source: String) { createOwner(input: { externalId: "o", name: "O" }, source: $source) { id } }', { source });
    expect(create.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});

describe('compromise handling', () => {
  const MARK = 'mutation($id: ID!, $reason: String!, $incident: CompromiseIncidentInput) { markCompromised(id: $id, reason: $reason, incident: $incident) { incident { id } } }';

  async function model() {
    const source = unique('compromise');
    await twoRecords(source);
    return (await api.data(KEY_LOOKUP, { type: 'AIModel', source, externalId: 'm' })).entityByKey as { id: string; version: number };
  }

  test.each([
    ['a 1 MB incident name', { reason: 'found', incident: { name: MEGABYTE } }, 'incident.name'],
    ['an incident name with a line break', { reason: 'found', incident: { name: 'a\nb' } }, 'incident.name'],
    ['a 1 MB reason', { reason: MEGABYTE }, 'reason'],
    ['a blank reason', { reason: '  ' }, 'reason'],
    ['a NUL in the reason', { reason: 'a\u0000b' }, 'reason'],
  ])('markCompromised refuses %s and writes nothing', async (_what, variables, path) => {
    const { id, version } = await model();
    const result = await api.execute(MARK, { id, ...variables });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((result.errors?.[0].extensions?.problems as Array<{ path: string }>).map((problem) => problem.path)).toEqual([path]);
    const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { version status } } }', { id });
    expect(node).toEqual({ version, status: null });
  });

  test('clearCompromised keeps the reason it is given on the audit event, as markCompromised does', async () => {
    const { id } = await model();
    await api.data(MARK, { id, reason: 'Label flips found' });
    await api.data('mutation($id: ID!) { clearCompromised(id: $id, reason: "Retrained on clean data") { id } }', { id });
    const { history } = await api.data('query($id: ID!) { history(id: $id) { action reason changes { field after } } }', { id });
    const statusChanges = history.filter((event: { changes: Array<{ field: string }> }) => event.changes.some((change) => change.field === 'status'));
    expect(statusChanges.map((event: { reason: string }) => event.reason)).toEqual(['Retrained on clean data', 'Label flips found']);
  });
});
