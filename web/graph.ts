/**
 * The drawing: Cytoscape renders, ELK (in a Web Worker, so the page stays responsive however large
 * the answer) computes the layered layout, cytoscape-svg and Cytoscape's own PNG export save it.
 */
import cytoscape, { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import cytoscapeSvg from 'cytoscape-svg';
import ELK, { type ElkNode } from 'elkjs/lib/elk-api';
import type { Drawing, EntityType } from './model';

cytoscape.use(cytoscapeSvg);

export const TYPE_LOOK: Record<EntityType, { shape: string; colour: string }> = {
  AIModel: { shape: 'round-rectangle', colour: '#2563eb' },
  Dataset: { shape: 'barrel', colour: '#059669' },
  Vendor: { shape: 'hexagon', colour: '#6b7280' },
  Agent: { shape: 'cut-rectangle', colour: '#7c3aed' },
  Decision: { shape: 'octagon', colour: '#c2410c' },
  Owner: { shape: 'ellipse', colour: '#0891b2' },
  Risk: { shape: 'triangle', colour: '#be123c' },
  Incident: { shape: 'star', colour: '#b91c1c' },
  Control: { shape: 'round-tag', colour: '#15803d' },
  Evidence: { shape: 'rectangle', colour: '#a16207' },
  Tool: { shape: 'diamond', colour: '#ca8a04' },
  AISystem: { shape: 'round-pentagon', colour: '#4338ca' },
  SignalRule: { shape: 'vee', colour: '#0f766e' },
  VendorAssessment: { shape: 'round-hexagon', colour: '#4b5563' },
  GateApproval: { shape: 'round-diamond', colour: '#0d9488' },
  Playbook: { shape: 'round-octagon', colour: '#991b1b' },
  Policy: { shape: 'tag', colour: '#166534' },
  DiscoveredAsset: { shape: 'concave-hexagon', colour: '#9333ea' },
  DiscoverySource: { shape: 'rhomboid', colour: '#475569' },
};

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      width: 'data(width)',
      height: 'data(height)',
      'text-wrap': 'wrap',
      'text-max-width': '180px',
      'text-valign': 'center',
      'font-size': 11,
      'background-color': '#ffffff',
      'border-width': 2,
      'min-zoomed-font-size': 6,
    },
  },
  ...Object.entries(TYPE_LOOK).map(([type, look]) => ({
    selector: `node[type = "${type}"]`,
    style: { shape: look.shape, 'border-color': look.colour, 'background-color': look.colour, 'background-opacity': 0.1 },
  })) as StylesheetJson,
  { selector: 'node.cluster', style: { 'border-style': 'dashed', 'background-color': '#f3f4f6', 'background-opacity': 1, 'font-style': 'italic' } },
  { selector: 'node.root', style: { 'border-width': 5, 'font-weight': 'bold' } },
  { selector: 'node.tainted', style: { 'border-color': '#ea580c', 'border-style': 'double', 'border-width': 6 } },
  { selector: 'node.compromised', style: { 'border-color': '#dc2626', 'background-color': '#fee2e2', 'background-opacity': 1, 'border-width': 6, 'border-style': 'solid' } },
  { selector: 'node.reached-decision', style: { 'background-color': '#fef3c7', 'background-opacity': 1 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9ca3af',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 8,
      color: '#4b5563',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'min-zoomed-font-size': 7,
      'arrow-scale': 0.8,
    },
  },
  { selector: 'edge.straight', style: { 'curve-style': 'straight' } },
  // The arrow points the way the relationship is stored; the layout runs along the data flow.
  { selector: 'edge[?storedBackwards]', style: { 'source-arrow-shape': 'triangle', 'source-arrow-color': '#9ca3af' } },
  { selector: 'edge[!storedBackwards]', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#9ca3af' } },
  { selector: '.faded', style: { opacity: 0.2 } },
  { selector: 'edge.on-path', style: { width: 4, 'line-color': '#1d4ed8', 'source-arrow-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8', 'z-index': 10 } },
  { selector: 'node.on-path', style: { 'overlay-color': '#1d4ed8', 'overlay-opacity': 0.15 } },
  { selector: 'node:selected', style: { 'overlay-color': '#111827', 'overlay-opacity': 0.2 } },
];

/**
 * ELK's layered algorithm. Past a couple of hundred records its costliest refinements are turned
 * off: they took 15 s for 400 records and 50 s for 1,000 on this machine, against about 1 s
 * without. Cytoscape draws its own edges, so ELK's routes only need to be cheap (POLYLINE).
 */
const LARGE = 200;

function layoutOptions(size: number): Record<string, string> {
  const common = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.spacing.nodeNode': '18',
    'elk.layered.spacing.nodeNodeBetweenLayers': '60',
    'elk.edgeRouting': 'POLYLINE',
  };
  return size < LARGE
    ? common
    : { ...common, 'elk.layered.thoroughness': '1', 'elk.layered.layering.strategy': 'LONGEST_PATH', 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' };
}

const FADE_LIMIT = 600;

const size = (label: string) => ({ width: Math.min(190, 30 + label.length * 6.2), height: label.includes('\n') ? 48 : 34 });

/** A small layered graph with the large-drawing settings: five layers of 24, each record fed by two of the layer before. */
function warmUpGraph(): ElkNode {
  const width = 24;
  const id = (layer: number, place: number) => `w${layer}-${place % width}`;
  const places = Array.from({ length: width }, (_, place) => place);
  const layers = [0, 1, 2, 3, 4];
  return {
    id: 'warm-up',
    layoutOptions: layoutOptions(LARGE),
    children: layers.flatMap((layer) => places.map((place) => ({ id: id(layer, place), width: 120, height: 34 }))),
    edges: layers.slice(1).flatMap((layer) =>
      places.flatMap((place) => [place, place + 7].map((from) => ({ id: `${id(layer - 1, from)}>${id(layer, place)}`, sources: [id(layer - 1, from)], targets: [id(layer, place)] }))),
    ),
  };
}

export class GraphView {
  readonly cy: Core;
  private readonly elk = new ELK({ workerUrl: '/explore/assets/elk-worker.js' });
  private ticket = 0;
  private faded = false;

  constructor(private readonly container: HTMLElement) {
    // ELK is compiled Java: its first layout in a fresh worker spends seconds in the JIT. A small
    // layered layout while the page waits for the API compiles it on the other core.
    void this.elk.layout(warmUpGraph());
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.05,
      maxZoom: 3,
      // Big drawings stay smooth to pan and zoom: a bitmap of the view moves, labels come back after.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
    });
  }

  /** Replaces the drawing; resolves once laid out and on screen (a newer call makes this one a no-op). */
  /** `labels` replace records' names on the drawing; `reached` are the decisions an impact reached. */
  async draw(drawing: Drawing, labels: Map<string, string> = new Map(), reached: Set<string> = new Set()): Promise<void> {
    const ticket = ++this.ticket;
    this.container.dataset.state = 'layout';
    const nodes = drawing.nodes.map((node) => {
      const label = labels.get(node.id) ?? node.label;
      return { ...node, label, ...size(label) };
    });
    // Marks the bench reads (performance.getEntriesByName): layout in the worker, then rendering.
    const layoutStart = performance.now();
    const laidOut: ElkNode = await this.elk.layout({
      id: 'root',
      layoutOptions: layoutOptions(nodes.length),
      children: nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
      edges: drawing.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
    });
    if (ticket !== this.ticket) return;
    performance.measure('explorer:layout', { start: layoutStart });
    const renderStart = performance.now();
    const position = new Map((laidOut.children ?? []).map((child) => [child.id, { x: (child.x ?? 0) + (child.width ?? 0) / 2, y: (child.y ?? 0) + (child.height ?? 0) / 2 }]));
    const elements: ElementDefinition[] = [
      ...nodes.map((node) => ({
        group: 'nodes' as const,
        data: { id: node.id, label: node.label, type: node.type, width: node.width, height: node.height },
        position: position.get(node.id),
        classes: [node.members ? 'cluster' : '', node.root ? 'root' : '', node.tainted ? 'tainted' : '', node.compromised ? 'compromised' : '', reached.has(node.id) ? 'reached-decision' : '']
          .filter(Boolean)
          .join(' '),
      })),
      // Straight edges past a few hundred: Bézier control points for every edge cost seconds at a thousand.
      ...drawing.edges.map((edge) => ({ group: 'edges' as const, data: { ...edge }, classes: drawing.edges.length > 300 ? 'straight' : '' })),
    ];
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    // Fitted to ELK's own extent: Cytoscape's fit() would measure every label first, seconds for a thousand.
    const padding = 30;
    const extent = { width: Math.max(1, laidOut.width ?? 1), height: Math.max(1, laidOut.height ?? 1) };
    const zoom = Math.min(1.5, Math.max(this.cy.minZoom(), Math.min((this.cy.width() - 2 * padding) / extent.width, (this.cy.height() - 2 * padding) / extent.height)));
    this.cy.viewport({ zoom, pan: { x: (this.cy.width() - extent.width * zoom) / 2, y: (this.cy.height() - extent.height * zoom) / 2 } });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    if (ticket !== this.ticket) return;
    performance.measure('explorer:render', { start: renderStart });
    this.container.dataset.state = 'ready';
    this.container.dataset.nodes = String(this.cy.nodes().length);
    this.container.dataset.edges = String(this.cy.edges().length);
  }

  onSelect(handler: (id: string) => void): void {
    this.cy.on('tap', 'node', (event) => handler(event.target.id()));
  }

  select(id: string): void {
    this.cy.$(':selected').unselect();
    const node = this.cy.getElementById(id);
    if (node.nonempty()) {
      node.select();
      if (!node.renderedBoundingBox().w || !this.inView(id)) this.cy.center(node);
    }
  }

  private inView(id: string): boolean {
    const box = this.cy.getElementById(id).renderedBoundingBox();
    return box.x1 >= 0 && box.y1 >= 0 && box.x2 <= this.cy.width() && box.y2 <= this.cy.height();
  }

  /**
   * Lights up a path's records and relationships; no argument clears it. The rest is faded only in
   * drawings of a few hundred elements: restyling thousands made a click take a second.
   */
  highlight(path?: { nodes: Set<string>; edges: Set<string> }): void {
    this.cy.batch(() => {
      this.cy.$('.on-path').removeClass('on-path');
      if (this.faded) this.cy.elements().removeClass('faded');
      this.faded = false;
      if (!path) return;
      const lit = this.cy.elements().filter((element) => (element.isNode() ? path.nodes : path.edges).has(element.id()));
      lit.addClass('on-path');
      if (this.cy.elements().length <= FADE_LIMIT) {
        this.cy.elements().not(lit).addClass('faded');
        this.faded = true;
      }
    });
  }

  png(): Blob {
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
  }

  svg(): Blob {
    return new Blob([this.cy.svg({ full: true, bg: '#ffffff' })], { type: 'image/svg+xml' });
  }
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
