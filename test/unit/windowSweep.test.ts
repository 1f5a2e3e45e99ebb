import type { EntityRow } from '../../src/estate/model';
import { compareRadii } from '../../src/lineage/radius';
import { DatedEdge, sweepWindow } from '../../src/lineage/window';

const edge = (type: DatedEdge['type'], fromId: string, toId: string, validFrom: number, validTo: number | null = null): DatedEdge => ({ type, fromId, toId, validFrom, validTo });
const hops = (route: { hops: Array<{ type: string; fromId: string; toId: string }> }) => route.hops.map((hop) => `${hop.fromId}-${hop.type}->${hop.toId}`).join(' ');

test('a model retrained on other data mid-window depended on the root until then, by the path that held', () => {
  // labels <-DERIVED_FROM- train <-TRAINED_ON- model -INFORMS-> decision; at 50 the model is retrained on clean data.
  const edges = [
    edge('DERIVED_FROM', 'train', 'labels', 0),
    edge('TRAINED_ON', 'model', 'train', 0, 50),
    edge('TRAINED_ON', 'model', 'clean', 50),
    edge('INFORMS', 'model', 'decision', 0),
  ];
  const swept = sweepWindow('labels', edges, { from: 10, to: 100 }, 6);
  expect([...swept.keys()].sort()).toEqual(['decision', 'model', 'train']);
  expect(swept.get('train')).toEqual([{ from: 10, to: null, distance: 1, routes: [expect.objectContaining({ from: 10, to: null })] }]);
  const [model] = swept.get('model')!;
  expect(model).toMatchObject({ from: 10, to: 50, distance: 2 });
  expect(hops(model.routes[0])).toBe('train-DERIVED_FROM->labels model-TRAINED_ON->train');
  expect(swept.get('decision')).toEqual([expect.objectContaining({ from: 10, to: 50, distance: 3 })]);
});

test('stretches break and resume, paths change with their instants, and the window end is included', () => {
  const edges = [
    edge('DERIVED_FROM', 'a', 'root', 0, 20),
    edge('DERIVED_FROM', 'a', 'root', 30),
    edge('DERIVED_FROM', 'b', 'root', 0),
    edge('DERIVED_FROM', 'c', 'a', 0, 40),
    edge('DERIVED_FROM', 'c', 'b', 35),
    edge('DERIVED_FROM', 'late', 'root', 100),
  ];
  const swept = sweepWindow('root', edges, { from: 0, to: 100 }, 6);
  expect(swept.get('a')!.map(({ from, to }) => [from, to])).toEqual([[0, 20], [30, null]]);
  // c rests on a until a's relationship ends at 20; from 30 on a again, also on b from 35 (a's path
  // kept while it is still a shortest one), then only on b when c's relationship to a ends at 40.
  expect(swept.get('c')!.map((stretch) => [stretch.from, stretch.to, stretch.routes.map((route) => [route.from, route.to, hops(route)])])).toEqual([
    [0, 20, [[0, 20, 'a-DERIVED_FROM->root c-DERIVED_FROM->a']]],
    [30, null, [[30, 40, 'a-DERIVED_FROM->root c-DERIVED_FROM->a'], [40, null, 'b-DERIVED_FROM->root c-DERIVED_FROM->b']]],
  ]);
  // 'late' holds only from the window's last instant: it counts.
  expect(swept.get('late')).toEqual([expect.objectContaining({ from: 100, to: null, distance: 1 })]);
});

test('a path switches at the instant its relationship ends; a WAS then live copy of one hop is the same path', () => {
  const edges = [
    edge('DERIVED_FROM', 'a', 'root', 0, 25),
    edge('DERIVED_FROM', 'a', 'root', 25),
    edge('DERIVED_FROM', 'b', 'root', 0),
    edge('DERIVED_FROM', 'c', 'a', 0, 60),
    edge('DERIVED_FROM', 'c', 'b', 10),
  ];
  const [c] = sweepWindow('root', edges, { from: 0, to: 100 }, 6).get('c')!;
  expect(c.routes.map((route) => [route.from, route.to, hops(route)])).toEqual([
    [0, 60, 'a-DERIVED_FROM->root c-DERIVED_FROM->a'],
    [60, null, 'b-DERIVED_FROM->root c-DERIVED_FROM->b'],
  ]);
  expect(c).toMatchObject({ from: 0, to: null, distance: 2 });
});

test('the walk is impact\'s: flows against their direction, INFORMS last, within maxDepth, cycles end', () => {
  const edges = [
    edge('DERIVED_FROM', 'x', 'root', 0),
    edge('DERIVED_FROM', 'root', 'x', 0),
    edge('TRAINED_ON', 'm', 'x', 0),
    edge('INFORMS', 'm', 'd', 0),
    // Nothing walks on from a decision, nor up a flow relationship the root rests on.
    edge('INFORMS', 'other', 'd', 0),
    edge('DERIVED_FROM', 'root', 'upstream', 0),
  ];
  const swept = sweepWindow('root', edges, { from: 0, to: 10 }, 3);
  expect(Object.fromEntries([...swept].map(([id, [first]]) => [id, first.distance]))).toEqual({ x: 1, m: 2, d: 3 });
  expect([...sweepWindow('root', edges, { from: 0, to: 10 }, 2).keys()].sort()).toEqual(['m', 'x']);
});

test('compareRadii: entered and moved in the later order, left in the earlier', () => {
  const record = (id: string) => ({ id, name: id }) as EntityRow;
  const before = [{ entity: record('a'), distance: 1 }, { entity: record('b'), distance: 2 }, { entity: record('gone'), distance: 2 }];
  const after = [{ entity: record('a'), distance: 1 }, { entity: record('new'), distance: 1 }, { entity: record('b'), distance: 3 }];
  expect(compareRadii(before, after)).toEqual({
    entered: [{ entity: record('new'), distanceBefore: null, distanceAfter: 1 }],
    left: [{ entity: record('gone'), distanceBefore: 2, distanceAfter: null }],
    moved: [{ entity: record('b'), distanceBefore: 2, distanceAfter: 3 }],
  });
});
