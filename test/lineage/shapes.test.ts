import { OperationDefinitionNode, parse } from 'graphql';
import { weighOperation } from '../../src/limits';
import { buildSchema } from '../../src/server';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

/**
 * A traversal ships only what the selection reads (findReachable.cypher): these tests hold every
 * shape of the same question to the same answer, on an estate with diamonds, cycles and names
 * shared by several records (so that ties in the order fall to the id).
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

/** A seeded random estate of about eighty records: every lineage relationship, cycles, repeated names. */
function randomEstate(source: string, seed: number) {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const ref = (type: string, externalId: string) => ({ type, externalId });
  const records = (type: string, prefix: string, count: number, extra: (i: number) => object = () => ({})) =>
    Array.from({ length: count }, (_, i) => ({ ref: ref(type, `${prefix}-${i}`), item: { externalId: `${prefix}-${i}`, name: i % 3 === 0 ? `${prefix} shared` : `${prefix} ${i}`, ...extra(i) } }));
  const vendors = records('Vendor', 'vendor', 3);
  const owners = records('Owner', 'owner', 2);
  const raw = records('Dataset', 'raw', 3);
  const mid = records('Dataset', 'mid', 8);
  const curated = records('Dataset', 'curated', 10);
  const models = records('AIModel', 'model', 12);
  const agents = records('Agent', 'agent', 6);
  const decisions = records('Decision', 'decision', 8, (i) => ({ impactLevel: pick(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']), humanInTheLoop: i % 2 === 0 }));
  const relationships = new Map<string, { type: string; from: object; to: object }>();
  const link = (type: string, from: { ref: object }, to: { ref: object }) => relationships.set(JSON.stringify([type, from.ref, to.ref]), { type, from: from.ref, to: to.ref });
  mid.forEach((dataset) => [pick(raw), pick(raw)].forEach((source) => link('DERIVED_FROM', dataset, source)));
  link('DERIVED_FROM', mid[0], mid[1]);
  link('DERIVED_FROM', mid[1], mid[0]);
  curated.forEach((dataset) => [pick(mid), pick(mid)].forEach((source) => link('DERIVED_FROM', dataset, source)));
  models.forEach((model, i) => {
    link(pick(['TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON']), model, pick(curated));
    if (i > 2) link('BASED_ON', model, models[Math.floor(random() * i)]);
    if (i % 2 === 0) link('PROVIDED_BY', model, pick(vendors));
  });
  agents.forEach((agent, i) => {
    link('USES_MODEL', agent, pick(models));
    link('RETRIEVES_FROM', agent, pick([...mid, ...curated]));
    link('CAN_INVOKE', agent, agents[(i + 1) % agents.length]);
  });
  decisions.forEach((decision) => [pick(models), pick([...models, ...agents])].forEach((informer) => link('INFORMS', informer, decision)));
  [...raw, ...mid, ...curated, ...models, ...agents, ...decisions].forEach((record, i) => {
    if (i % 2 === 0) link('OWNED_BY', record, pick(owners));
  });
  [...raw, ...mid].forEach((dataset, i) => {
    if (i % 4 === 0) link('PROVIDED_BY', dataset, pick(vendors));
  });
  const items = (list: Array<{ item: object }>) => list.map((record) => record.item);
  return {
    source,
    assets: {
      vendors: items(vendors),
      owners: items(owners),
      datasets: items([...raw, ...mid, ...curated]),
      aiModels: items(models),
      agents: items(agents),
      decisions: items(decisions),
    },
    relationships: [...relationships.values()],
  };
}

async function loadRandom(seed: number) {
  const source = unique('shapes');
  await api.data(SYNC, { input: randomEstate(source, seed) });
  return async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
}

type Field = 'impact' | 'dependencies';
interface Item {
  entity: { __typename?: string; id: string; name?: string };
  distance: number;
  cursor?: string;
  path?: { text: string; nodes: Array<{ id: string }>; steps: Array<{ from: { id: string }; to: { id: string } }> };
}

const ITEM = 'entity { __typename id name } distance cursor path { text nodes { id } steps { type from { id } to { id } } }';
const whole = (field: Field) => `query($id: ID!) { answer: ${field}(id: $id) {
  root { id } count truncated groups { type count }
  items { ${ITEM} }
  decisions { decision { id } distance impactLevel humanInTheLoop cursor path { text } }
  owners { id name } vendors { id name }
} }`;

const sequence = (items: Item[]) => items.map((item) => `${item.entity.id}@${item.distance}`);

/** Every path starts at the root, ends at its record, has `distance` steps, and passes each record at its own distance. */
function expectShortestPaths(rootId: string, items: Item[], distances: Map<string, number>) {
  for (const item of items) {
    const { nodes, steps } = item.path!;
    expect({ id: item.entity.id, length: nodes.length, first: nodes[0].id, last: nodes.at(-1)!.id }).toEqual({ id: item.entity.id, length: item.distance + 1, first: rootId, last: item.entity.id });
    nodes.forEach((node, index) => expect([node.id, index === 0 ? 0 : distances.get(node.id)]).toEqual([node.id, index]));
    steps.forEach((step, index) => expect(new Set([step.from.id, step.to.id])).toEqual(new Set([nodes[index].id, nodes[index + 1].id])));
  }
}

async function pageThrough(query: string, id: string, list: (data: any) => Item[], first: number): Promise<Item[]> {
  const all: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Item[] = list((await api.data(query, { id, first, after })).answer);
    all.push(...page);
    if (page.length < first) return all;
    after = page.at(-1)!.cursor!;
  }
}

describe.each([
  ['impact', 'Dataset', 'raw-0'],
  ['impact', 'Dataset', 'mid-2'],
  ['dependencies', 'Decision', 'decision-1'],
  ['dependencies', 'Agent', 'agent-3'],
] as const)('%s of %s %s: every selection gets the same records and distances', (field, type, externalId) => {
  let id: string;
  let answer: any;
  beforeAll(async () => {
    const idOf = await loadRandom(20261130);
    id = await idOf(type, externalId);
    const result = await api.execute(whole(field), { id });
    expect(result.errors).toBeUndefined();
    expect(result.context.db.queryCount).toBe(1);
    answer = (result.data as any).answer;
  });

  test('the whole answer is consistent: ordered, counted, grouped, every path a shortest path', () => {
    const items: Item[] = answer.items;
    expect(items.length).toBeGreaterThan(5);
    expect({ count: answer.count, truncated: answer.truncated }).toEqual({ count: items.length, truncated: false });
    expect(items.map((item) => item.distance)).toEqual([...items.map((item) => item.distance)].sort((a, b) => a - b));
    const distances = new Map(items.map((item) => [item.entity.id, item.distance]));
    expectShortestPaths(answer.root.id, items, distances);
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.entity.__typename!, (counts.get(item.entity.__typename!) ?? 0) + 1);
    expect(new Map(answer.groups.map((group: { type: string; count: number }) => [group.type, group.count]))).toEqual(counts);
    expect(answer.decisions.map((decision: any) => decision.decision.id)).toEqual(items.filter((item) => item.entity.__typename === 'Decision').map((item) => item.entity.id));
  });

  test('without paths, without owners and vendors, and with only ids', async () => {
    const bare = (await api.data(`query($id: ID!) { answer: ${field}(id: $id) { count items { entity { id } distance } } }`, { id })).answer;
    expect(sequence(bare.items)).toEqual(sequence(answer.items));
    expect(bare.count).toBe(answer.count);
    const names = (await api.data(`query($id: ID!) { answer: ${field}(id: $id) { items { entity { __typename id name } distance } decisions { decision { id } distance } } }`, { id })).answer;
    expect(names.items).toEqual(answer.items.map((item: Item) => ({ entity: item.entity, distance: item.distance })));
    expect(names.decisions).toEqual(answer.decisions.map((decision: any) => ({ decision: decision.decision, distance: decision.distance })));
    const owners = (await api.data(`query($id: ID!) { answer: ${field}(id: $id) { owners { id name } vendors { id name } } }`, { id })).answer;
    expect(owners).toEqual({ owners: answer.owners, vendors: answer.vendors });
  });

  test('paged: items, decisions and groups page through the same records, with shortest paths', async () => {
    const distances = new Map<string, number>(answer.items.map((item: Item) => [item.entity.id, item.distance]));
    const items = await pageThrough(
      `query($id: ID!, $first: Int, $after: String) { answer: ${field}(id: $id) { count groups { type count } items(first: $first, after: $after) { ${ITEM} } } }`,
      id, (data) => data.items, 4,
    );
    expect(sequence(items)).toEqual(sequence(answer.items));
    expect(items.map((item) => item.cursor)).toEqual(answer.items.map((item: Item) => item.cursor));
    expectShortestPaths(answer.root.id, items, distances);

    const decisions = await pageThrough(
      `query($id: ID!, $first: Int, $after: String) { answer: ${field}(id: $id) { decisions(first: $first, after: $after) { decision { id } distance impactLevel humanInTheLoop cursor path { text } } } }`,
      id, (data) => data.decisions.map((decision: any) => ({ ...decision, entity: decision.decision })), 2,
    );
    // Paths may differ where several are shortest; each is checked above, the rest must be equal.
    const withoutPath = ({ entity: _entity, path: _path, ...decision }: any) => decision;
    expect(decisions.map(withoutPath)).toEqual(answer.decisions.map(withoutPath));

    // A cursor is a place in the answer's one order: one from `items` pages each group too.
    const middle = answer.items[Math.floor(answer.items.length / 2)];
    const groups = (await api.data(
      `query($id: ID!, $after: String) { answer: ${field}(id: $id) { groups { type count items(first: 2, after: $after) { entity { id } distance } } } }`,
      { id, after: middle.cursor },
    )).answer.groups;
    const later = answer.items.slice(answer.items.indexOf(middle) + 1);
    for (const group of groups) {
      expect([group.type, sequence(group.items)]).toEqual([group.type, sequence(later.filter((item: Item) => item.entity.__typename === group.type).slice(0, 2))]);
    }
  });
});

test('a page past the node limit, and counts that stay the whole answer', async () => {
  const limited = await createTestApi({ TRAVERSAL_NODE_LIMIT: '5' });
  try {
    const source = unique('shapes');
    await limited.data(SYNC, { input: randomEstate(source, 7) });
    const id = (await limited.data(KEY_LOOKUP, { type: 'Dataset', source, externalId: 'raw-1' })).entityByKey.id;
    const query = `query($id: ID!, $after: String) { impact(id: $id) { count truncated groups { type count } items(first: 3, after: $after) { entity { id } distance cursor } } }`;
    const first = (await limited.data(query, { id })).impact;
    const second = (await limited.data(query, { id, after: first.items[2].cursor })).impact;
    const third = (await limited.data(query, { id, after: second.items.at(-1).cursor })).impact;
    const all = (await limited.data(`query($id: ID!) { impact(id: $id) { items { entity { id } distance } } }`, { id })).impact.items;
    expect({ count: first.count, truncated: first.truncated, grouped: first.groups.reduce((sum: number, group: any) => sum + group.count, 0) }).toEqual({ count: 5, truncated: true, grouped: 5 });
    expect([first.items.length, second.items.length, third.items.length]).toEqual([3, 2, 0]);
    expect(sequence([...first.items, ...second.items])).toEqual(sequence(all));
  } finally {
    await limited.close();
  }
});

test('a page size or cursor the API cannot honour is BAD_USER_INPUT', async () => {
  const idOf = await loadRandom(3);
  const id = await idOf('Dataset', 'raw-0');
  for (const selection of [
    'items(first: -1) { distance }',
    'items(first: 100000) { distance }',
    'items(after: "not a cursor") { distance }',
    `decisions(after: "${Buffer.from('x1').toString('base64url')}") { distance }`,
    'groups { items(first: 501) { distance } }',
  ]) {
    const result = await api.execute(`query($id: ID!) { impact(id: $id) { count ${selection} } }`, { id });
    expect({ selection, code: result.errors?.[0].extensions?.code }).toEqual({ selection, code: 'BAD_USER_INPUT' });
  }
});

test('a page costs less than the whole list it is part of', () => {
  const schema = buildSchema();
  const cost = (query: string) => {
    const document = parse(query);
    return weighOperation(schema, document, document.definitions[0] as OperationDefinitionNode, {}).cost;
  };
  // What the list adds to the report's own cost (the walk, the counts).
  const list = (selection: string) => cost(`{ impact(id: "x") { count groups { type count } ${selection} } }`) - cost('{ impact(id: "x") { count groups { type count } } }');
  expect(list('items(first: 50) { entity { id name } distance path { text } }') * 5).toBeLessThan(list('items { entity { id name } distance path { text } }'));
  expect(list('decisions(first: 50) { decision { id name } distance path { text } }') * 5).toBeLessThan(list('decisions { decision { id name } distance path { text } }'));
  expect(list('groups { items(first: 10) { distance } }')).toBeLessThan(list('groups { items { distance } }'));
});
