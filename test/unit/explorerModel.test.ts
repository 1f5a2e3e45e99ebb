import { clusterId, flowOf, LineageAnswer, LineageEdge, mergeAnswers, pathElements, planDrawing, taintedIds } from '../../web/model';
import type { EntityType } from '../../web/model';

const record = (id: string, type: EntityType = 'Dataset', status: string | null = 'ACTIVE') => ({ id, __typename: type, name: id, source: 's', externalId: id, status });
const node = (id: string, distance: number, type: EntityType = 'Dataset', status: string | null = 'ACTIVE') => ({ entity: record(id, type, status), distance, direction: 'DOWNSTREAM' as const });
const edge = (fromId: string, type: LineageEdge['type'], toId: string): LineageEdge => ({ fromId, type, toId });

/** raw ← clean ← model → decision, plus an owner of the model. */
function answer(rawStatus = 'ACTIVE', compromisedUpstream: Array<{ source: { id: string } }> = []): LineageAnswer {
  return {
    root: { id: 'raw', compromisedUpstream },
    nodes: [node('raw', 0, 'Dataset', rawStatus), node('clean', 1), node('model', 2, 'AIModel'), node('decision', 3, 'Decision'), node('owner', 3, 'Owner', null)],
    edges: [edge('clean', 'DERIVED_FROM', 'raw'), edge('model', 'TRAINED_ON', 'clean'), edge('model', 'INFORMS', 'decision'), edge('model', 'OWNED_BY', 'owner')],
    truncated: false,
    nodeLimit: 5000,
  };
}

test('the layout runs along the data flow: against stored dependencies, along INFORMS', () => {
  expect(flowOf(edge('model', 'TRAINED_ON', 'data'))).toEqual({ source: 'data', target: 'model', storedBackwards: true });
  expect(flowOf(edge('model', 'INFORMS', 'decision'))).toEqual({ source: 'model', target: 'decision', storedBackwards: false });
});

test('a compromised record taints what is downstream along lineage relationships, not governance ones', () => {
  const { compromised, tainted } = taintedIds(answer('COMPROMISED'));
  expect([...compromised]).toEqual(['raw']);
  expect([...tainted].sort()).toEqual(['clean', 'decision', 'model', 'raw']);
});

test('nothing is tainted without a compromise; a root resting on one taints its downstream', () => {
  expect(taintedIds(answer()).tainted.size).toBe(0);
  expect([...taintedIds(answer('ACTIVE', [{ source: { id: 'elsewhere' } }])).tainted].sort()).toEqual(['clean', 'decision', 'model', 'raw']);
});

test('within the budget every record is drawn with every relationship', () => {
  const drawing = planDrawing(answer('COMPROMISED'), 10);
  expect(drawing.hidden).toBe(0);
  expect(drawing.nodes.map((drawn) => drawn.id)).toEqual(['raw', 'clean', 'model', 'decision', 'owner']);
  expect(drawing.nodes.find((drawn) => drawn.root)?.id).toBe('raw');
  expect(drawing.edges).toHaveLength(4);
  expect(drawing.nodes.filter((drawn) => drawn.tainted).map((drawn) => drawn.id)).toEqual(['raw', 'clean', 'model', 'decision']);
});

test('past the budget the farthest records are grouped by type, counted, and their edges merged', () => {
  const wide: LineageAnswer = {
    ...answer(),
    nodes: [node('raw', 0), ...Array.from({ length: 6 }, (_, i) => node(`d${i}`, 1)), ...Array.from({ length: 4 }, (_, i) => node(`m${i}`, 2, 'AIModel'))],
    edges: [...Array.from({ length: 6 }, (_, i) => edge(`d${i}`, 'DERIVED_FROM', 'raw')), ...Array.from({ length: 4 }, (_, i) => edge(`m${i}`, 'TRAINED_ON', `d${i}`))],
  };
  const drawing = planDrawing(wide, 4);
  expect(drawing.hidden).toBe(7);
  expect(drawing.nodes.filter((drawn) => !drawn.members).map((drawn) => drawn.id)).toEqual(['raw', 'd0', 'd1', 'd2']);
  const clusters = drawing.nodes.filter((drawn) => drawn.members);
  expect(clusters.map((cluster) => [cluster.id, cluster.members!.length])).toEqual([[clusterId('Dataset'), 3], [clusterId('AIModel'), 4]]);
  // Every drawn record stands for itself or sits in exactly one cluster.
  expect(drawing.nodes.reduce((sum, drawn) => sum + (drawn.members?.length ?? 1), 0)).toBe(wide.nodes.length);
  const merged = drawing.edges.find((drawn) => drawn.source === clusterId('Dataset') && drawn.target === clusterId('AIModel'));
  expect(merged).toMatchObject({ count: 1, label: 'TRAINED_ON' });
  expect(drawing.edges.find((drawn) => drawn.source === 'raw' && drawn.target === clusterId('Dataset'))).toMatchObject({ count: 3, label: 'DERIVED_FROM ×3' });
});

test('an expansion adds only new records and relationships', () => {
  const base = answer();
  const merged = mergeAnswers(base, { nodes: [node('clean', 1), node('extra', 1)], edges: [edge('clean', 'DERIVED_FROM', 'raw'), edge('extra', 'DERIVED_FROM', 'clean')] });
  expect(merged.nodes.map((each) => each.entity.id)).toEqual(['raw', 'clean', 'model', 'decision', 'owner', 'extra']);
  expect(merged.edges).toHaveLength(base.edges.length + 1);
});

test('a path lights up the drawn relationships it runs along', () => {
  const lit = pathElements([{ type: 'DERIVED_FROM', from: { id: 'clean' }, to: { id: 'raw' } }, { type: 'TRAINED_ON', from: { id: 'model' }, to: { id: 'clean' } }]);
  const drawnIds = new Set(planDrawing(answer()).edges.map((drawn) => drawn.id));
  expect([...lit.edges].every((id) => drawnIds.has(id))).toBe(true);
  expect([...lit.nodes].sort()).toEqual(['clean', 'model', 'raw']);
});
