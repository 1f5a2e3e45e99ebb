import { badUserInput } from '../errors';
import type { Rating } from '../generated/graphql';
import { ENTITY_TYPES, EntityRow, EntityType, RelationshipType } from '../estate/model';
import type { ReachableRow } from './lineageRepository';

export interface Path {
  nodes: EntityRow[];
  steps: Array<{ type: RelationshipType; from: EntityRow; to: EntityRow }>;
  text: string;
}

/** A reached record with the shortest path that explains it (impact items, compromisedUpstream). */
export interface ReachedItem {
  entity: EntityRow;
  distance: number;
  readonly path: Path;
}

/** Turns a path whose records are known and whose steps name them by id into steps and text. */
export function toPath(nodes: EntityRow[], steps: Array<{ type: RelationshipType; fromId: string; toId: string }>): Path {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  let text = nodes[0]?.name ?? '';
  steps.forEach((step, index) => {
    const forward = step.fromId === nodes[index].id;
    text += forward ? ` -${step.type}-> ` : ` <-${step.type}- `;
    text += nodes[index + 1].name;
  });
  return { nodes, steps: steps.map((step) => ({ type: step.type, from: byId.get(step.fromId)!, to: byId.get(step.toId)! })), text };
}

// ---- Cursors and pages ------------------------------------------------------------------------

/**
 * A cursor is a record's position in the answer's one order (nearest first, then name, then id),
 * so a cursor from any of a report's lists (items, decisions, a group's items) pages any other:
 * each list is that order filtered.
 */
const encodeCursor = (position: number) => Buffer.from(`r${position}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^r(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw badUserInput('`after` is not a cursor this API returned', [{ path: 'after', message: 'not a cursor of this report' }]);
  return Number(match[1]);
}

/** A list's page as the client asked for it, checked: `first` records after position `after`; null for all, or from the start. */
export interface PageArgs {
  first: number | null;
  after: number | null;
}

export function pageArgs(first: number | null | undefined, after: string | null | undefined, maxPageSize: number): PageArgs {
  if (first !== null && first !== undefined && !(Number.isInteger(first) && first >= 0 && first <= maxPageSize)) {
    throw badUserInput(`first must be from 0 to ${maxPageSize}`, [{ path: 'first', message: `got ${first}` }]);
  }
  return { first: first ?? null, after: after === null || after === undefined ? null : decodeCursor(after) };
}

/** The page of `items` (ordered by position) that `args` asks for; the list itself when it asks for all. */
export function pageOf<T extends { position: number }>(items: T[], { first, after }: PageArgs): T[] {
  if (first === null && after === null) return items;
  let start = 0;
  if (after !== null) {
    let end = items.length;
    while (start < end) {
      const middle = (start + end) >>> 1;
      if (items[middle].position <= after) start = middle + 1;
      else end = middle;
    }
  }
  return items.slice(start, first === null ? undefined : start + first);
}

// ---- The answer -------------------------------------------------------------------------------

/**
 * How an answer's paths are shipped (see findReachable.cypher): PARENT, the previous record on each
 * record's shortest path and the step's type, when every reached record is shipped; PATH, each
 * shipped record's own path, when only windows of them are; NONE when no path is selected.
 */
export type PathMode = 'NONE' | 'PARENT' | 'PATH';

/**
 * The reached records shipped, with how each was reached: builds any item's explaining path when
 * it is first read, as most screens read only some.
 */
export class PathBook {
  readonly records = new Map<string, EntityRow>();
  /** PARENT: record id → the previous record's id and the step's type. */
  readonly parents = new Map<string, [string, RelationshipType]>();
  /** PATH: record id → the ids of its path's inner records and each step's type. */
  readonly routes = new Map<string, [string[], RelationshipType[]]>();

  /** `storedForward`: whether a step of this type, walked away from the root, follows its stored direction. */
  constructor(
    readonly root: EntityRow,
    readonly storedForward: (type: RelationshipType) => boolean,
  ) {
    this.records.set(root.id, root);
  }

  pathTo(id: string, distance: number): Path {
    const route = this.routes.get(id);
    if (route) return new Route(this, [this.root.id, ...route[0], id], route[1]);
    const ids = [id];
    const types: RelationshipType[] = [];
    // A parent is one hop nearer: `distance` steps reach the root, or the answer is broken.
    for (let at = id; ids.length <= distance; ) {
      const parent = this.parents.get(at);
      if (!parent) throw new Error(`No path to ${id}: ${at} has no parent in the answer`);
      [at] = parent;
      ids.push(at);
      types.push(parent[1]);
    }
    if (ids[ids.length - 1] !== this.root.id) throw new Error(`No path to ${id}: its parents do not lead to the root in ${distance} steps`);
    return new Route(this, ids.reverse(), types.reverse());
  }
}

/** A path by its records' ids and its steps' types: records, steps and text are made when read, as a screen reads one of them. */
class Route implements Path {
  constructor(
    private readonly book: PathBook,
    private readonly ids: string[],
    private readonly types: RelationshipType[],
  ) {}

  get nodes(): EntityRow[] {
    return this.ids.map((id) => this.book.records.get(id)!);
  }

  get steps(): Path['steps'] {
    const nodes = this.nodes;
    return this.types.map((type, index) =>
      this.book.storedForward(type) ? { type, from: nodes[index], to: nodes[index + 1] } : { type, from: nodes[index + 1], to: nodes[index] },
    );
  }

  get text(): string {
    const { records, storedForward } = this.book;
    let text = records.get(this.ids[0])!.name;
    for (let index = 0; index < this.types.length; index += 1) {
      const type = this.types[index];
      text += storedForward(type) ? ` -${type}-> ` : ` <-${type}- `;
      text += records.get(this.ids[index + 1])!.name;
    }
    return text;
  }
}

/** A record of an impact or dependencies answer, at its position in the answer's order. */
export class RadiusItem implements ReachedItem {
  private built: Path | undefined;

  constructor(
    readonly entity: EntityRow,
    readonly distance: number,
    readonly position: number,
    private readonly book: PathBook,
  ) {}

  get path(): Path {
    return (this.built ??= this.book.pathTo(this.entity.id, this.distance));
  }

  get cursor(): string {
    return encodeCursor(this.position);
  }
}

export class AffectedDecision {
  constructor(private readonly item: RadiusItem) {}

  get decision(): EntityRow {
    return this.item.entity;
  }
  get distance(): number {
    return this.item.distance;
  }
  get position(): number {
    return this.item.position;
  }
  get impactLevel(): Rating | null {
    return (this.item.entity.impactLevel as Rating | null | undefined) ?? null;
  }
  get humanInTheLoop(): boolean | null {
    return (this.item.entity.humanInTheLoop as boolean | null | undefined) ?? null;
  }
  get path(): Path {
    return this.item.path;
  }
  get cursor(): string {
    return this.item.cursor;
  }
}

export interface ReachedGroup {
  type: EntityType;
  /** Records of the type in the whole answer. */
  count: number;
  /** Those shipped, in order: every one, or the windows the selection asked for. */
  items: RadiusItem[];
}

/**
 * An impact or dependencies answer. `items`, `decisions` and each group's `items` hold what was
 * shipped, in order; the GraphQL fields page them with their own arguments (pageOf).
 */
export interface ImpactReport {
  root: EntityRow;
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  maxDepth: number;
  count: number;
  groups: ReachedGroup[];
  items: RadiusItem[];
  decisions: AffectedDecision[];
  vendors: EntityRow[];
  owners: EntityRow[];
  truncated: boolean;
  nodeLimit: number;
  /** The instant it answers for (ISO); null: now. */
  asOf: string | null;
  /** With compareTo: what the comparison field needs to ask the same question at that instant. */
  comparedWith: ComparisonQuestion | null;
}

/** An impact or dependencies question to ask again at compareTo, for a report's comparison. */
export interface ComparisonQuestion {
  root: { id: string | null; key: string | null };
  maxDepth: number;
  asOf: Date | null;
  compareTo: Date;
}

/** The stored properties shipped per record: every one (a map), or `fields` as a list in that order. */
export interface ShippedFields {
  all: boolean;
  fields: string[];
}

/** A record as Cypher ships it: its property map, or the values of `fields` from `offset` on. */
export function readRecord(values: unknown, shipped: ShippedFields, offset = 0): EntityRow {
  if (shipped.all) return (Array.isArray(values) ? values[offset] : values) as EntityRow;
  const list = values as unknown[];
  const record: Record<string, unknown> = {};
  for (let index = 0; index < shipped.fields.length; index += 1) record[shipped.fields[index]] = list[offset + index];
  return record as EntityRow;
}

/** How an answer was shipped: the parameters findReachable.cypher was given that shape its rows. */
export interface ShippedAs {
  /** Every record, each at its position in the answer; otherwise windows, each row led by its position. */
  whole: boolean;
  paths: PathMode;
  record: ShippedFields;
  owners: ShippedFields | null;
  vendors: ShippedFields | null;
}

/** The report from what findReachable.cypher shipped. */
export function readReport(row: ReachableRow, shipped: ShippedAs, direction: ImpactReport['direction'], maxDepth: number, nodeLimit: number): ImpactReport {
  // Downstream, flow relationships are walked against their stored direction and INFORMS along it; upstream the other way round.
  const book = new PathBook(row.root, (type) => (type === 'INFORMS') === (direction === 'DOWNSTREAM'));
  const at = shipped.whole ? 0 : 1;
  const offset = at + (shipped.paths === 'NONE' ? 1 : 3);
  const items = row.rows.map((values, index) => {
    const entity = readRecord(values, shipped.record, offset);
    if (shipped.paths !== 'NONE') {
      book.records.set(entity.id, entity);
      if (shipped.paths === 'PARENT') book.parents.set(entity.id, [values[at + 1] as string, values[at + 2] as RelationshipType]);
      else book.routes.set(entity.id, [values[at + 1] as string[], values[at + 2] as RelationshipType[]]);
    }
    return new RadiusItem(entity, values[at] as number, shipped.whole ? index : (values[0] as number), book);
  });
  for (const values of row.pathRecords) {
    const entity = readRecord(values, shipped.record);
    book.records.set(entity.id, entity);
  }
  const byType = new Map<EntityType, RadiusItem[]>(row.counts.map(([type]) => [type, []]));
  for (const item of items) byType.get(item.entity.type)?.push(item);
  const counts = new Map(row.counts);
  const groups = ENTITY_TYPES.filter((type) => counts.has(type)).map((type) => ({ type, count: counts.get(type)!, items: byType.get(type)! }));
  return {
    root: row.root,
    direction,
    maxDepth,
    count: row.counts.reduce((sum, [, count]) => sum + count, 0),
    groups,
    items,
    decisions: (byType.get('Decision') ?? []).map((item) => new AffectedDecision(item)),
    vendors: shipped.vendors ? row.vendors.map((values) => readRecord(values, shipped.vendors!)) : [],
    owners: shipped.owners ? row.owners.map((values) => readRecord(values, shipped.owners!)) : [],
    truncated: row.truncated,
    nodeLimit,
    asOf: null,
    comparedWith: null,
  };
}

// ---- The past ---------------------------------------------------------------------------------

/** A record reached at one side of a comparison, in that side's order (nearest first, then name). */
export interface RadiusSide {
  entity: EntityRow;
  distance: number;
}

export interface RadiusChange {
  entity: EntityRow;
  distanceBefore: number | null;
  distanceAfter: number | null;
}

export interface RadiusComparison {
  compareTo: string;
  entered: RadiusChange[];
  left: RadiusChange[];
  moved: RadiusChange[];
  truncated: boolean;
}

/** What entered, left and moved between two answers (before: at compareTo), each list in its side's order. */
export function compareRadii(before: RadiusSide[], after: RadiusSide[]): Pick<RadiusComparison, 'entered' | 'left' | 'moved'> {
  const distanceBefore = new Map(before.map((side) => [side.entity.id, side.distance]));
  const distanceAfter = new Map(after.map((side) => [side.entity.id, side.distance]));
  const entered: RadiusChange[] = [];
  const moved: RadiusChange[] = [];
  for (const { entity, distance } of after) {
    const then = distanceBefore.get(entity.id);
    if (then === undefined) entered.push({ entity, distanceBefore: null, distanceAfter: distance });
    else if (then !== distance) moved.push({ entity, distanceBefore: then, distanceAfter: distance });
  }
  const left = before.filter(({ entity }) => !distanceAfter.has(entity.id)).map(({ entity, distance }) => ({ entity, distanceBefore: distance, distanceAfter: null }));
  return { entered, left, moved };
}
