import { FieldNode, FragmentDefinitionNode, getNamedType, GraphQLResolveInfo, isLeafType, isObjectType, Kind, OperationDefinitionNode, parse } from 'graphql';
import { COMPUTED_FIELDS } from '../../src/estate/projection';
import { ENTITY_TYPES } from '../../src/estate/model';
import { lineageShape, reachShape } from '../../src/lineage/reachShape';
import { buildSchema } from '../../src/server';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

const schema = buildSchema();

/** What graphql-js hands the `impact`, `dependencies` or `lineage` resolver for this document. */
function infoOf(document: string, variableValues: Record<string, unknown> = {}) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const fieldNodes = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  return { schema, fieldNodes, fragments, variableValues } as unknown as GraphQLResolveInfo;
}

const shipped = (document: string) => {
  const shape = reachShape(infoOf(document));
  return { all: shape.record.all, fields: [...shape.record.names].sort(), paths: shape.paths };
};
const sorted = (...names: string[]) => [...names].sort();

describe('the record properties a traversal ships', () => {
  test.each([
    ['names, types, paths and decisions', `{ impact(id: "x") { count items { entity { __typename id name } distance path { text nodes { name } steps { type from { id } to { id } } } } decisions { decision { name } impactLevel humanInTheLoop } } }`,
      { all: false, fields: sorted('id', 'type', 'name', 'impactLevel', 'humanInTheLoop'), paths: true }],
    ['relationship fields, answered by id', `{ impact(id: "x") { items { entity { name owners { name } ... on AIModel { trainedOn { name } } } } } }`,
      { all: false, fields: sorted('id', 'type', 'name'), paths: false }],
    ['a plain property', `{ impact(id: "x") { items { entity { name description } } } }`, { all: false, fields: sorted('id', 'type', 'name', 'description'), paths: false }],
    ['a property in an inline fragment', `{ impact(id: "x") { items { entity { ... on AIModel { lifecycleStage } } } } }`, { all: false, fields: sorted('id', 'type', 'lifecycleStage'), paths: false }],
    ['a property in a named fragment, under an alias', `query { dependencies(id: "x") { items { entity { ...Model } } } } fragment Model on AIModel { tier: riskTier }`,
      { all: false, fields: sorted('id', 'type', 'riskTier'), paths: false }],
    ['a list field, read as [] when never set', `{ impact(id: "x") { items { entity { tags } } } }`, { all: false, fields: sorted('id', 'type', 'tags'), paths: false }],
    ['a path text alone: the names along it', `{ impact(id: "x") { decisions { path { text } } } }`, { all: false, fields: sorted('id', 'type', 'name'), paths: true }],
  ])('is only what is selected for %s', (_label, document, expected) => {
    expect(shipped(document)).toEqual(expected);
  });

  test.each([
    ['a computed field that reads other properties', `{ impact(id: "x") { items { entity { ... on Evidence { expired } } } } }`],
    ['a computed field under a path node', `{ impact(id: "x") { items { path { nodes { ... on Evidence { expired } } } } } }`],
  ])('is every property for %s', (_label, document) => {
    expect(shipped(document).all).toBe(true);
  });

  test('owners and vendors are read only when selected, with their own fields', () => {
    const none = reachShape(infoOf(`{ impact(id: "x") { count groups { type count } } }`));
    expect({ owners: none.owners, vendors: none.vendors, windows: none.windows, paths: none.paths }).toEqual({ owners: null, vendors: null, windows: [], paths: false });
    const both = reachShape(infoOf(`{ impact(id: "x") { owners { name email } vendors { ... on Vendor { name riskRating } } } }`));
    expect([[...both.owners!.names].sort(), [...both.vendors!.names].sort()]).toEqual([sorted('id', 'type', 'name', 'email'), sorted('id', 'type', 'name', 'riskRating')]);
  });

  test('each list is a window of the answer, with its arguments and variables', () => {
    const shape = reachShape(infoOf(`query($after: String) { impact(id: "x") { items(first: 50) { distance } later: items(first: 10, after: $after) { distance } decisions { distance } groups { items(first: 2) { distance } } } }`, { after: 'cjQ5' }));
    expect(shape.windows).toEqual([
      { type: null, first: 50, after: null },
      { type: null, first: 10, after: 'cjQ5' },
      { type: 'Decision', first: null, after: null },
      ...ENTITY_TYPES.map((type) => ({ type, first: 2, after: null })),
    ]);
    expect(reachShape(infoOf(`{ impact(id: "x") { groups { items { distance } } } }`)).windows).toEqual([{ type: null, first: null, after: null }]);
  });

  test('lineage ships edges, and their properties, only when selected', () => {
    const nodes = lineageShape(infoOf(`{ lineage(id: "x") { nodes { entity { id name ... on Asset { status } } distance direction } } }`));
    expect({ fields: [...nodes.record.names].sort(), all: nodes.record.all, edges: nodes.edges }).toEqual({ fields: sorted('id', 'type', 'name', 'status'), all: false, edges: false });
    expect(lineageShape(infoOf(`{ lineage(id: "x") { edges { type fromId toId } } }`))).toMatchObject({ edges: true, edgeProperties: false });
    expect(lineageShape(infoOf(`{ lineage(id: "x") { edges { properties } } }`))).toMatchObject({ edges: true, edgeProperties: true });
  });

  test('every record field is placed: a stored property of its name, computed, or answered from the id', () => {
    const misplaced: string[] = [];
    for (const typeName of ENTITY_TYPES) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${typeName}.${field.name}`;
        const leaf = isLeafType(getNamedType(field.type));
        if (!leaf) {
          // A field leading to other records reads them by the record's id, in a resolver of its own.
          if (!field.resolve) misplaced.push(`${coordinate}: leads to records but has no resolver`);
          continue;
        }
        if (!field.resolve || COMPUTED_FIELDS.has(coordinate)) continue;
        // A leaf with a resolver must answer the stored property of its name, or be listed as computed.
        const stored = ['probe'];
        const answer = field.resolve({ id: 'x', type: typeName, [field.name]: stored }, {}, {}, {} as GraphQLResolveInfo);
        if (answer !== stored) misplaced.push(`${coordinate}: has a resolver that does not return its stored property (list it in COMPUTED_FIELDS)`);
      }
    }
    expect(misplaced).toEqual([]);
  });
});

describe('traversals answer the same whichever projection they ship', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.close());

  test('summary fields and full properties both come back right', async () => {
    const source = unique('projection');
    await api.data(SYNC, {
      input: {
        source,
        assets: {
          datasets: [{ externalId: 'raw', name: 'raw', description: 'raw events' }],
          aiModels: [{ externalId: 'model', name: 'model', lifecycleStage: 'DEPLOYED', riskTier: 'HIGH' }],
          decisions: [{ externalId: 'loan', name: 'loan', impactLevel: 'CRITICAL', humanInTheLoop: false }],
        },
        relationships: [
          { type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'model' }, to: { type: 'Dataset', externalId: 'raw' } },
          { type: 'INFORMS', from: { type: 'AIModel', externalId: 'model' }, to: { type: 'Decision', externalId: 'loan' } },
        ],
      },
    });
    const id = (await api.data(KEY_LOOKUP, { type: 'Dataset', source, externalId: 'raw' })).entityByKey.id as string;

    const summary = await api.data(`query($id: ID!) { impact(id: $id) { items { entity { __typename name source } distance path { text } } decisions { decision { name } impactLevel humanInTheLoop } } }`, { id });
    expect(summary.impact.items).toEqual([
      { entity: { __typename: 'AIModel', name: 'model', source }, distance: 1, path: { text: 'raw <-TRAINED_ON- model' } },
      { entity: { __typename: 'Decision', name: 'loan', source }, distance: 2, path: { text: 'raw <-TRAINED_ON- model -INFORMS-> loan' } },
    ]);
    expect(summary.impact.decisions).toEqual([{ decision: { name: 'loan' }, impactLevel: 'CRITICAL', humanInTheLoop: false }]);

    const full = await api.data(`query($id: ID!) { impact(id: $id) { items { entity { name ...Model createdAt } } } } fragment Model on AIModel { lifecycleStage riskTier }`, { id });
    expect(full.impact.items[0].entity).toEqual({ name: 'model', lifecycleStage: 'DEPLOYED', riskTier: 'HIGH', createdAt: expect.stringMatching(/^\d{4}-/) });

    const lineage = await api.data(`query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM) { nodes { entity { name ... on Dataset { description } } } } }`, { id });
    expect(lineage.lineage.nodes.map((node: { entity: { name: string } }) => node.entity.name)).toEqual(['raw', 'model', 'loan']);
    expect(lineage.lineage.nodes[0].entity.description).toBe('raw events');
  });
});
