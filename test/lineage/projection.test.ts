import { buildSchema, FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { CypherCatalog } from '../../src/db/cypherCatalog';
import { recordProjection, SUMMARY_PROPERTIES } from '../../src/estate/projection';
import { loadTypeDefs } from '../../src/schema';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';

const schema = buildSchema(loadTypeDefs());

/** What graphql-js hands the `impact` or `lineage` resolver for this document. */
function projectionOf(document: string) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const fieldNodes = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  return recordProjection({ schema, fieldNodes, fragments } as unknown as GraphQLResolveInfo);
}

describe('the projection a traversal ships', () => {
  test.each([
    ['names, types, paths and decisions', `{ impact(id: "x") { count items { entity { __typename id name type } distance path { text nodes { name } steps { type from { id } to { id } } } } decisions { decision { name } impactLevel humanInTheLoop } } }`],
    ['relationship fields, answered by id', `{ impact(id: "x") { items { entity { name owners { name } ... on AIModel { trainedOn { name } } } } } }`],
    ['lineage nodes and edges', `{ lineage(id: "x") { nodes { entity { id name status } distance direction } edges { type fromId toId } } }`],
  ])('is the summary for %s', (_label, document) => {
    expect(projectionOf(document)).toBe('SUMMARY');
  });

  test.each([
    ['a plain property', `{ impact(id: "x") { items { entity { name description } } } }`],
    ['a property in an inline fragment', `{ impact(id: "x") { items { entity { ... on AIModel { lifecycleStage } } } } }`],
    ['a property in a named fragment', `query { dependencies(id: "x") { items { entity { ...Model } } } } fragment Model on AIModel { riskTier }`],
    ['a computed field that reads other properties', `{ impact(id: "x") { items { entity { ... on Evidence { expired } } } } }`],
    ['a property under a path node', `{ lineage(id: "x") { nodes { entity { name } } root { createdAt } } }`],
  ])('is every property for %s', (_label, document) => {
    expect(projectionOf(document)).toBe('ALL');
  });
});

test('every Cypher summary projects exactly the summary properties', () => {
  const catalog = CypherCatalog.load();
  const summaries = catalog.namesUnder('lineage').flatMap((name) =>
    [...catalog.get(name, { maxDepth: 6 }).matchAll(/WHEN \$summary THEN \w+ \{([^}]*)\}/g)].map((match) => ({ name, properties: match[1].split(',').map((part) => part.trim().replace(/^\./, '')) })),
  );
  expect(summaries.map((summary) => summary.name)).toEqual(expect.arrayContaining(['lineage/findReachable', 'lineage/findLineage']));
  for (const summary of summaries) expect([summary.name, [...summary.properties].sort()]).toEqual([summary.name, [...SUMMARY_PROPERTIES].sort()]);
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
