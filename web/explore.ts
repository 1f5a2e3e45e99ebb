/** /explore: search a record, draw its lineage or its impact, inspect and expand records. */
import { graphql } from './api';
import { clusterDetails, impactSummary, ReachedDecision, recordDetails } from './details';
import { byId, el, formatValue, mountKeyForm, refreshPlaygroundLink, replace, say, sayError } from './dom';
import { download, GraphView, TYPE_LOOK } from './graph';
import { DEFAULT_NODE_BUDGET, Direction, Drawing, LINEAGE_TYPES, LineageAnswer, mergeAnswers, PathStep, pathElements, planDrawing, RELATIONSHIP_TYPES, RelationshipType, taintedIds } from './model';
import { IMPACT, LINEAGE, RECORD } from './queries';
import { mountSearch } from './search';

interface ImpactAnswer {
  count: number;
  truncated: boolean;
  decisions: ReachedDecision[];
  items: Array<{ entity: { id: string }; distance: number; path: { text: string; steps: PathStep[] } }>;
}

type Mode = 'lineage' | 'impact';

/** What is drawn, kept in the address bar so that a drawing can be reloaded, linked and shared. */
interface View {
  id: string | null;
  mode: Mode;
  direction: Direction;
  depth: number;
  types: RelationshipType[];
  budget: number;
}

function readView(): View {
  const params = new URLSearchParams(location.search);
  const types = (params.get('types') ?? '').split(',').filter((type): type is RelationshipType => (RELATIONSHIP_TYPES as string[]).includes(type));
  const number = (name: string, fallback: number) => (Number(params.get(name)) > 0 ? Math.floor(Number(params.get(name))) : fallback);
  return {
    id: params.get('id'),
    mode: params.get('mode') === 'impact' ? 'impact' : 'lineage',
    direction: (['UPSTREAM', 'DOWNSTREAM', 'BOTH'] as const).find((direction) => direction === params.get('direction')) ?? 'BOTH',
    depth: number('depth', 4),
    types: types.length > 0 ? types : [...LINEAGE_TYPES],
    budget: number('budget', DEFAULT_NODE_BUDGET),
  };
}

function writeView(view: View): void {
  const params = new URLSearchParams();
  if (view.id) params.set('id', view.id);
  params.set('mode', view.mode);
  if (view.mode === 'lineage') params.set('direction', view.direction);
  params.set('depth', String(view.depth));
  if (view.mode === 'lineage' && view.types.join() !== LINEAGE_TYPES.join()) params.set('types', view.types.join(','));
  if (view.budget !== DEFAULT_NODE_BUDGET) params.set('budget', String(view.budget));
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

const graph = new GraphView(byId('graph'));
let view = readView();
let answer: LineageAnswer | undefined;
let drawing: Drawing | undefined;
let impact: ImpactAnswer | undefined;
let paths = new Map<string, ImpactAnswer['items'][number]>();
// The automation hook the browser tests and the bench read the drawing through.
Object.assign(window, { explorer: { cy: graph.cy } });

const form = byId<HTMLFormElement>('controls');
const direction = byId<HTMLSelectElement>('direction');
const depth = byId<HTMLInputElement>('depth');
const typeChoices = byId('type-choices');

function showControls(): void {
  (form.elements.namedItem('mode') as RadioNodeList).value = view.mode;
  direction.value = view.direction;
  depth.value = String(view.depth);
  direction.disabled = view.mode === 'impact';
  byId<HTMLDetailsElement>('types').classList.toggle('disabled', view.mode === 'impact');
  replace(
    typeChoices,
    ...RELATIONSHIP_TYPES.map((type) =>
      el('label', {}, el('input', { type: 'checkbox', name: 'type', value: type, checked: view.types.includes(type), disabled: view.mode === 'impact' }), ` ${type}`),
    ),
  );
}

function readControls(): void {
  const mode = (form.elements.namedItem('mode') as RadioNodeList).value as Mode;
  const checked = [...typeChoices.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value as RelationshipType);
  view = { ...view, mode, direction: direction.value as Direction, depth: Math.max(1, Number(depth.value) || 4), types: checked.length > 0 ? checked : [...LINEAGE_TYPES] };
}

function renderLegend(): void {
  replace(
    byId('legend'),
    ...Object.entries(TYPE_LOOK).map(([type, look]) => el('li', {}, el('span', { class: `type-dot type-${type}` }), `${type} (${look.shape.replace('-', ' ')})`)),
    el('li', {}, el('span', { class: 'swatch compromised' }), 'compromised'),
    el('li', {}, el('span', { class: 'swatch tainted' }), 'downstream of a compromise'),
    el('li', {}, el('span', { class: 'swatch cluster' }), 'records grouped by type'),
  );
}

/** The List tab is built when it is shown: a thousand rows would otherwise delay every drawing. */
function refreshList(): void {
  if (answer && !byId('list-view').hidden) renderList(answer);
}

function renderList(current: LineageAnswer): void {
  const { compromised, tainted } = taintedIds(current);
  const names = new Map(current.nodes.map((node) => [node.entity.id, node.entity.name]));
  const mark = (id: string) => (compromised.has(id) ? 'compromised' : tainted.has(id) ? 'downstream of a compromise' : '');
  replace(
    byId('list-view'),
    el(
      'table',
      { id: 'record-table' },
      el('caption', {}, `${current.nodes.length} records`),
      el('thead', {}, el('tr', {}, ...['Record', 'Type', 'Source / external id', 'Hops', 'Side', 'Status', 'Marked'].map((title) => el('th', { scope: 'col' }, title)))),
      el(
        'tbody',
        {},
        ...current.nodes.map((node) =>
          el(
            'tr',
            { 'data-id': node.entity.id },
            el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => void select(node.entity.id) }, node.entity.name)),
            el('td', {}, node.entity.__typename),
            el('td', {}, `${node.entity.source}/${node.entity.externalId}`),
            el('td', {}, node.distance),
            el('td', {}, node.direction.toLowerCase()),
            el('td', {}, formatValue(node.entity.status)),
            el('td', {}, mark(node.entity.id)),
          ),
        ),
      ),
    ),
    el(
      'table',
      { id: 'relationship-table' },
      el('caption', {}, `${current.edges.length} relationships, as stored`),
      el('thead', {}, el('tr', {}, ...['From', 'Relationship', 'To'].map((title) => el('th', { scope: 'col' }, title)))),
      el('tbody', {}, ...current.edges.map((edge) => el('tr', {}, el('td', {}, names.get(edge.fromId) ?? edge.fromId), el('td', {}, edge.type), el('td', {}, names.get(edge.toId) ?? edge.toId)))),
    ),
  );
}

async function redraw(): Promise<void> {
  if (!answer) return;
  drawing = planDrawing(answer, view.budget);
  const labels = new Map<string, string>();
  for (const item of impact?.decisions ?? []) {
    labels.set(item.decision.id, `${item.decision.name}\n${formatValue(item.impactLevel)} impact · ${item.humanInTheLoop ? 'person in the loop' : 'no person in the loop'}`);
  }
  const drawn = drawing.nodes.length - drawing.nodes.filter((node) => node.members).length;
  byId('summary').textContent =
    `${answer.nodes.length} records, ${answer.edges.length} relationships` +
    (drawing.hidden > 0 ? `; ${drawn} drawn, ${drawing.hidden} grouped by type past the budget of ${view.budget} (all in the List tab)` : '') +
    (answer.truncated ? `; cut at the node limit of ${answer.nodeLimit}` : '');
  say(`Laying out ${drawing.nodes.length} nodes…`);
  await graph.draw(drawing, labels, new Set((impact?.decisions ?? []).map((item) => item.decision.id)));
  say(`Drew ${graph.cy.nodes().length} nodes and ${graph.cy.edges().length} relationships.`);
}

async function load(): Promise<void> {
  writeView(view);
  showControls();
  if (!view.id) return;
  say('Asking the API…');
  byId('graph').dataset.state = 'loading';
  try {
    if (view.mode === 'impact') {
      const data = await graphql<{ lineage: LineageAnswer; impact: ImpactAnswer }>(IMPACT, { id: view.id, maxDepth: view.depth });
      answer = data.lineage;
      impact = data.impact;
      paths = new Map(impact.items.map((item) => [item.entity.id, item]));
    } else {
      const data = await graphql<{ lineage: LineageAnswer }>(LINEAGE, { id: view.id, direction: view.direction, maxDepth: view.depth, types: view.types });
      answer = data.lineage;
      impact = undefined;
      paths = new Map();
    }
    refreshPlaygroundLink();
    refreshList();
    const root = answer.nodes.find((node) => node.entity.id === answer!.root.id);
    if (root) search.show(root.entity.name);
    const panel = byId('details');
    if (impact) replace(panel, impactSummary(impact.count, impact.truncated, impact.decisions, (id) => void select(id)));
    else replace(panel, el('p', {}, 'Click a record for its details.'));
    await redraw();
  } catch (error) {
    byId('graph').dataset.state = 'error';
    sayError(error);
  }
}

async function select(id: string): Promise<void> {
  graph.select(id);
  const panel = byId('details');
  const cluster = drawing?.nodes.find((node) => node.id === id && node.members);
  if (cluster?.members) {
    replace(panel, clusterDetails(cluster.type, cluster.members, (member) => void select(member), () => void drawAll()));
    return;
  }
  const reached = paths.get(id);
  graph.highlight(reached ? pathElements(reached.path.steps) : undefined);
  try {
    const data = await graphql<{ node: Parameters<typeof recordDetails>[0] | null }>(RECORD, { id });
    refreshPlaygroundLink();
    if (!data.node) return say('That record no longer exists.', 'error');
    const details = recordDetails(data.node, { recentre: () => void recentre(id), expand: () => void expand(id) }, reached ? { distance: reached.distance, text: reached.path.text } : undefined);
    replace(panel, details, impact ? impactSummary(impact.count, impact.truncated, impact.decisions, (other) => void select(other)) : null);
  } catch (error) {
    sayError(error);
  }
}

function recentre(id: string): void {
  view = { ...view, id };
  void load();
}

async function drawAll(): Promise<void> {
  view = { ...view, budget: Math.max(view.budget, answer?.nodes.length ?? 0) };
  writeView(view);
  await redraw();
}

async function expand(id: string): Promise<void> {
  try {
    const data = await graphql<{ lineage: LineageAnswer }>(LINEAGE, { id, direction: 'BOTH', maxDepth: 1, types: view.mode === 'impact' ? LINEAGE_TYPES : view.types });
    const known = new Set(answer!.nodes.map((node) => node.entity.id));
    // Added records keep their hop count from the expanded one, one further out than it.
    const base = answer!.nodes.find((node) => node.entity.id === id);
    const added = data.lineage.nodes.filter((node) => !known.has(node.entity.id)).map((node) => ({ ...node, distance: (base?.distance ?? 0) + node.distance }));
    refreshPlaygroundLink();
    answer = mergeAnswers(answer!, { nodes: added, edges: data.lineage.edges });
    refreshList();
    await redraw();
    graph.select(id);
    say(`Expanded: ${added.length} more records.`);
  } catch (error) {
    sayError(error);
  }
}

const search = mountSearch((record) => {
  readControls();
  view = { ...view, id: record.id };
  void load();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  readControls();
  void load();
});
form.addEventListener('change', (event) => {
  if ((event.target as HTMLInputElement).name !== 'mode') return;
  readControls();
  showControls();
  if (view.id) void load();
});
for (const [tab, panel, other, otherPanel] of [
  ['tab-graph', 'graph-view', 'tab-list', 'list-view'],
  ['tab-list', 'list-view', 'tab-graph', 'graph-view'],
] as const) {
  byId(tab).addEventListener('click', () => {
    byId(tab).setAttribute('aria-selected', 'true');
    byId(other).setAttribute('aria-selected', 'false');
    byId(panel).hidden = false;
    byId(otherPanel).hidden = true;
    if (panel === 'graph-view') graph.cy.resize();
    else refreshList();
  });
}
graph.onSelect((id) => void select(id));
byId('export-png').addEventListener('click', () => download(graph.png(), 'lineage.png'));
byId('export-svg').addEventListener('click', () => download(graph.svg(), 'lineage.svg'));
mountKeyForm(() => void load());
renderLegend();
void load();
