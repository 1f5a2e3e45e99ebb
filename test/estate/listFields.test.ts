import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

/** A list never set reads as [] wherever a record is reached from, not only where a service filled it in. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

test('records without their lists, reached by id, as a relationship end, a neighbour and a traversal item', async () => {
  const source = unique('lists');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        agents: [{ externalId: 'agent', name: 'Bare agent' }],
        decisions: [{ externalId: 'decision', name: 'Bare decision' }],
        vendors: [{ externalId: 'vendor', name: 'Bare vendor' }],
      },
      relationships: [
        { type: 'INFORMS', from: { type: 'Agent', externalId: 'agent' }, to: { type: 'Decision', externalId: 'decision' } },
        { type: 'PROVIDED_BY', from: { type: 'Agent', externalId: 'agent' }, to: { type: 'Vendor', externalId: 'vendor' } },
      ],
    },
  });
  const { entityByKey: agent } = await api.data(KEY_LOOKUP, { type: 'Agent', source, externalId: 'agent' });
  const lists = 'tags ... on Agent { allowedTools allowedActions } ... on Decision { affectedParties } ... on Vendor { services }';
  const { node } = await api.data(
    `query($id: ID!) { node(id: $id) { ... on Agent { tags allowedTools allowedActions relationships { other { ${lists} } } informs { tags affectedParties } providedBy { tags services } } } }`,
    { id: agent.id },
  );
  expect(node).toMatchObject({ tags: [], allowedTools: [], allowedActions: [] });
  expect(node.relationships.map((rel: { other: unknown }) => rel.other)).toEqual(expect.arrayContaining([{ tags: [], affectedParties: [] }, { tags: [], services: [] }]));
  expect(node.informs).toEqual([{ tags: [], affectedParties: [] }]);
  expect(node.providedBy).toEqual([{ tags: [], services: [] }]);
  const { impact } = await api.data(`query($id: ID!) { impact(id: $id) { root { ${lists} } items { entity { ${lists} } } } }`, { id: agent.id });
  expect(impact.root).toEqual({ tags: [], allowedTools: [], allowedActions: [] });
  expect(impact.items.map((item: { entity: unknown }) => item.entity)).toEqual([{ tags: [], affectedParties: [] }]);
});
