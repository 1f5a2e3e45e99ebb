import DataLoader from 'dataloader';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, notFound } from '../errors';
import { checkAsOf, checkWindow } from '../history/asOf';
import { HISTORY_PROPERTIES, recordAt } from '../history/historyRepository';
import { EntityRow, entityKey, LINEAGE_TYPES, RelationshipType, relationshipOwnProperties } from '../estate/model';
import { PASSING_OUTCOMES, REQUIRED_GATE } from '../gates/gateRule';
import { RecordFields } from '../estate/projection';
import { lineageRepository as repo, ReachedRow, RootRef, TraversalParams } from './lineageRepository';
import type { EntityKeyInput } from '../generated/graphql';
import {
  compareRadii,
  ComparisonQuestion,
  ImpactReport,
  pageArgs,
  pageOf,
  Path,
  RadiusComparison,
  RadiusSide,
  ReachedItem,
  readRecord,
  readReport,
  ShippedAs,
  ShippedFields,
  toPath,
} from './radius';
import { LineageShape, ReachShape, wholeLineageShape, wholeShape } from './reachShape';
import { DatedRoute, sweepWindow } from './window';

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

/** A compromised source; its path is built when a caller first reads it. */
function reachedItem(row: ReachedRow, asOf: Date | null): ReachedItem {
  let path: Path | undefined;
  return {
    entity: asOf ? recordAt(row.entity, asOf) : row.entity,
    distance: row.distance,
    get path() {
      return (path ??= toPath(asOf ? row.nodes.map((node) => recordAt(node, asOf)) : row.nodes, row.steps));
    },
  };
}

/**
 * A record read at an instant, as the API hands such records on (history's properties off, the
 * instant on, so that what it leads to is read at that instant too); a record read now as it is.
 */
const readAt = (asOf: Date | null) => (asOf ? (record: EntityRow) => recordAt(record, asOf) : (record: EntityRow) => record);

/** The decisions each vendor sits behind, as exposure answers them. */
const concentration = (rows: Array<{ source: EntityRow; decisions: EntityRow[] }>, then: (record: EntityRow) => EntityRow) =>
  rows.map((row) => ({ vendor: then(row.source), decisionCount: row.decisions.length, decisions: row.decisions.map(then) }));

/** A record in its latest state: a retired one as it was last, without history's properties. */
function latest(state: EntityRow): EntityRow {
  const record: Record<string, unknown> = { ...state };
  for (const property of HISTORY_PROPERTIES) delete record[property];
  return record as EntityRow;
}

/** Where a traversal starts: exactly one of a global id or a key. */
export interface RootInput {
  id?: string | null;
  key?: EntityKeyInput | null;
}

function rootRef({ id, key }: RootInput): RootRef {
  if ((id ? 1 : 0) + (key ? 1 : 0) !== 1) throw badUserInput('Give the record either by id or by key', [{ path: 'id', message: 'exactly one of id and key' }]);
  return { id: id ?? null, key: key ? entityKey(key.type, key.source, key.externalId) : null };
}

/** The record an answer starts from, which must have existed at the instant asked. */
function existingRoot<Row extends { root: EntityRow | null }>(row: Row | undefined, ref: RootRef, asOf: Date | null): Row & { root: EntityRow } {
  if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
  if (!row.root) throw codedError('NOT_FOUND', `Record ${ref.id ?? ref.key} did not exist at ${asOf!.toISOString()}`);
  return row as Row & { root: EntityRow };
}

/** A record reached during a window, with when and by which path. */
export interface WindowDependent {
  entity: EntityRow;
  intervals: Array<{ from: string; to: string | null; distance: number; paths: Array<{ from: string; to: string | null; distance: number; readonly path: Path }> }>;
}

const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());

/**
 * Lineage, impact and exposure: each answer is one Cypher traversal, bounded by a depth ceiling
 * and a node limit that is reported when reached. Each may be asked as of a past instant: checked
 * against what the graph remembers (history/asOf.ts), then walked by the `...AsOf` query.
 */
export class LineageService {
  private readonly compromisedLoaders = new Map<string, DataLoader<string, ReachedItem[]>>();

  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
  ) {}

  async compromisedUpstream(id: string, asOfValue?: Date | string | null): Promise<ReachedItem[]> {
    const asOf = await checkAsOf(this.db, asOfValue);
    const key = asOf?.toISOString() ?? 'now';
    let loader = this.compromisedLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.readTx((tx) => repo.compromisedUpstream(tx, [...ids], this.traversal(undefined), asOf));
        const byId = new Map(rows.map((row) => [row.id, row.sources.map((source) => reachedItem(source, asOf))]));
        return ids.map((one) => byId.get(one) ?? []);
      });
      this.compromisedLoaders.set(key, loader);
    }
    return loader.load(id);
  }

  /** `shape`: what the caller's selection reads of the report (see reachShape); all of it when not given. */
  impact(root: RootInput, maxDepth: number | null | undefined, shape: ReachShape = wholeShape(), instants: { asOf?: Date | null; compareTo?: Date | null } = {}): Promise<ImpactReport> {
    return this.reachable(root, 'DOWNSTREAM', maxDepth, shape, instants);
  }

  dependencies(root: RootInput, maxDepth: number | null | undefined, shape: ReachShape = wholeShape(), instants: { asOf?: Date | null; compareTo?: Date | null } = {}): Promise<ImpactReport> {
    return this.reachable(root, 'UPSTREAM', maxDepth, shape, instants);
  }

  /**
   * The selection's lists with their page arguments checked (BAD_USER_INPUT for a bad `first` or
   * `after`): a write that answers with a report checks them before it writes.
   */
  pageWindows(shape: ReachShape) {
    return (shape.windows ?? []).map((window) => ({ type: window.type, ...pageArgs(window.first, window.after, this.config.limits.maxPageSize) }));
  }

  /** The page of one of a report's lists that the field's `first` and `after` ask for. */
  page<T extends { position: number }>(items: T[], first: number | null | undefined, after: string | null | undefined): T[] {
    return pageOf(items, pageArgs(first, after, this.config.limits.maxPageSize));
  }

  /** `shape`: what the caller's selection reads of the subgraph (see lineageShape); all of it when not given. */
  async lineage(
    root: RootInput,
    direction: LineageDirection,
    maxDepth: number | null | undefined,
    relationshipTypes: RelationshipType[] | null | undefined,
    shape: LineageShape = wholeLineageShape(),
    asOfValue?: Date | string | null,
  ) {
    const params = this.traversal(maxDepth, relationshipTypes);
    const limit = this.config.limits.traversalNodeLimit;
    const ref = rootRef(root);
    const asOf = await checkAsOf(this.db, asOfValue);
    const record = shape.record.toParam();
    const shipped = { upstream: direction !== 'DOWNSTREAM', downstream: direction !== 'UPSTREAM', probe: limit + 1, record, edges: shape.edges, edgeProperties: shape.edgeProperties };
    const row = existingRoot(await this.db.readTx((tx) => repo.lineage(tx, ref, shipped, params, asOf)), ref, asOf);
    const at = readAt(asOf);
    const node = (direction: 'UPSTREAM' | 'DOWNSTREAM') => (values: unknown[]) => ({ entity: at(readRecord(values, record, 1)), distance: values[0] as number, direction });
    const reached = [...row.upstream.map(node('UPSTREAM')), ...row.downstream.map(node('DOWNSTREAM'))];
    const truncated = row.upstream.length > limit || row.downstream.length > limit || reached.length > limit;
    const kept = reached.slice(0, limit);
    const rootRecord = at(row.root);
    const keptIds = new Set([rootRecord.id, ...kept.map((item) => item.entity.id)]);
    return {
      root: rootRecord,
      nodes: [{ entity: rootRecord, distance: 0, direction: 'BOTH' as const }, ...kept],
      edges: row.edges
        .filter(([, fromId, toId]) => keptIds.has(fromId) && keptIds.has(toId))
        // Properties are shipped only when selected; an edge read without them is never asked for them.
        .map(([type, fromId, toId, properties]) => ({ type, fromId, toId, properties: properties ? relationshipOwnProperties(properties) : {} })),
      truncated,
      nodeLimit: limit,
    };
  }

  async exposure(maxDepth: number | null | undefined, asOfValue?: Date | string | null) {
    const params = this.traversal(maxDepth);
    const asOf = await checkAsOf(this.db, asOfValue);
    const then = readAt(asOf);
    return this.db.readTx(async (tx) => {
      const vendors = await repo.vendorConcentration(tx, params, asOf);
      const personalData = await repo.decisionsOnPersonalData(tx, params, asOf);
      const ungated = await repo.decisionsOnUngatedModels(tx, params, { requiredGate: REQUIRED_GATE, passingOutcomes: PASSING_OUTCOMES }, asOf);
      const entries = (rows: typeof personalData) =>
        rows.map((row) => ({ decision: then(row.decision), sources: row.sources.map(then) }));
      return {
        vendorConcentration: concentration(vendors, then),
        personalData: entries(personalData),
        ungatedModels: entries(ungated),
      };
    });
  }

  /** Exposure's vendor concentration alone, at an instant already checked (vendorTiers joins it). */
  vendorConcentration(maxDepth: number | null | undefined, asOf: Date | null) {
    return this.db.readTx(async (tx) => concentration(await repo.vendorConcentration(tx, this.traversal(maxDepth), asOf), readAt(asOf)));
  }

  /**
   * What entered, left and moved in a report between its comparedWith.compareTo and its own
   * instant: the question asked again whole at each side, shipping `record` of each record.
   */
  async comparison(report: ImpactReport, record: RecordFields): Promise<RadiusComparison | null> {
    const question = report.comparedWith;
    if (!question) return null;
    const params = this.traversal(question.maxDepth);
    const limit = this.config.limits.traversalNodeLimit;
    const shipped: ShippedAs = { whole: true, paths: 'NONE', record: record.toParam(), owners: null, vendors: null };
    const downstream = report.direction === 'DOWNSTREAM';
    const side = (row: { rows: unknown[][]; truncated: boolean } | undefined, asOf: Date | null): { records: RadiusSide[]; truncated: boolean } => ({
      records: (row?.rows ?? []).map((values) => ({ entity: readAt(asOf)(readRecord(values, shipped.record, 1)), distance: values[0] as number })),
      truncated: row?.truncated ?? false,
    });
    const [before, after] = await this.db.readTx(async (tx) => {
      const ask = (asOf: Date | null) => {
        const params2 = { downstream, limit, windows: [], ...shipped };
        return asOf ? repo.reachableAsOf(tx, question.root, params2, params, asOf) : repo.reachable(tx, question.root, params2, params);
      };
      // The root may not have existed at compareTo: then nothing was reached then.
      return [side(await ask(question.compareTo), question.compareTo), side(await ask(question.asOf), question.asOf)];
    });
    return { compareTo: question.compareTo.toISOString(), ...compareRadii(before.records, after.records), truncated: before.truncated || after.truncated };
  }

  /**
   * Every record that depended on the root at some moment of [from, to]: the union of what the
   * window's relationships reach, fetched once, then swept instant by instant (window.ts).
   */
  async impactDuring(root: RootInput, fromValue: Date | string, toValue: Date | string | null | undefined, maxDepth: number | null | undefined) {
    const params = this.traversal(maxDepth);
    const limit = this.config.limits.traversalNodeLimit;
    const ref = rootRef(root);
    const window = await checkWindow(this.db, fromValue, toValue ?? new Date());
    const row = await this.db.readTx((tx) => repo.windowSubgraph(tx, ref, params, window, limit));
    if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
    const existedUntil = row.root.retiredAt ? Date.parse(String(row.root.retiredAt)) : Number.POSITIVE_INFINITY;
    if (Date.parse(row.root.createdAt) > window.to.getTime() || existedUntil <= window.from.getTime()) {
      throw codedError('NOT_FOUND', `Record ${ref.id ?? ref.key} did not exist from ${window.from.toISOString()} to ${window.to.toISOString()}`);
    }
    const records = new Map<string, EntityRow>([row.root, ...row.records].map((record) => [record.id, latest(record)]));
    const edges = row.relationships.map(([type, fromId, toId, validFrom, validTo]) => ({ type, fromId, toId, validFrom: Date.parse(validFrom), validTo: validTo === null ? null : Date.parse(validTo) }));
    const swept = sweepWindow(row.root.id, edges, { from: window.from.getTime(), to: window.to.getTime() }, params.maxDepth);
    const pathOf = (route: DatedRoute): Path => {
      const ids = [row.root.id];
      for (const hop of route.hops) ids.push(hop.type === 'INFORMS' ? hop.toId : hop.fromId);
      return toPath(ids.map((id) => records.get(id)!), route.hops);
    };
    const dependents: WindowDependent[] = [...swept].map(([id, intervals]) => ({
      entity: records.get(id)!,
      intervals: intervals.map((interval) => ({
        from: iso(interval.from)!,
        to: iso(interval.to),
        distance: interval.distance,
        paths: interval.routes.map((route) => {
          let path: Path | undefined;
          return {
            from: iso(route.from)!,
            to: iso(route.to),
            distance: route.hops.length,
            get path() {
              return (path ??= pathOf(route));
            },
          };
        }),
      })),
    }));
    const least = (dependent: WindowDependent) => Math.min(...dependent.intervals.map((interval) => interval.distance));
    dependents.sort((a, b) => least(a) - least(b) || a.entity.name.localeCompare(b.entity.name) || a.entity.id.localeCompare(b.entity.id));
    return {
      root: records.get(row.root.id)!,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      maxDepth: params.maxDepth,
      count: dependents.length,
      dependents,
      truncated: row.truncated,
      nodeLimit: limit,
    };
  }

  private async reachable(
    root: RootInput,
    direction: 'UPSTREAM' | 'DOWNSTREAM',
    maxDepth: number | null | undefined,
    shape: ReachShape,
    instants: { asOf?: Date | null; compareTo?: Date | null },
  ): Promise<ImpactReport> {
    const params = this.traversal(maxDepth);
    const { traversalNodeLimit: limit } = this.config.limits;
    const ref = rootRef(root);
    const asOf = await checkAsOf(this.db, instants.asOf);
    const compareTo = await checkAsOf(this.db, instants.compareTo, 'compareTo');
    const windows = this.pageWindows(shape);
    // As of an instant the whole answer is shipped and the resolvers page it.
    const whole = asOf !== null || shape.windows === null || windows.some((window) => window.type === null && window.first === null && window.after === null);
    const shipped: ShippedAs = {
      whole,
      paths: !shape.paths ? 'NONE' : whole ? 'PARENT' : 'PATH',
      record: shape.record.toParam(),
      owners: shape.owners?.toParam() ?? null,
      vendors: shape.vendors?.toParam() ?? null,
    };
    const cypherWindows = whole ? [] : windows.map((window) => ({ type: window.type, after: window.after ?? -1, first: window.first ?? limit }));
    const asked = { downstream: direction === 'DOWNSTREAM', limit, windows: cypherWindows, ...shipped };
    const comparedWith: ComparisonQuestion | null = compareTo ? { root: ref, maxDepth: params.maxDepth, asOf, compareTo } : null;
    if (!asOf) {
      const row = await this.db.readTx((tx) => repo.reachable(tx, ref, asked, params));
      if (!row) throw notFound(`Record ${ref.id ?? ref.key}`);
      return { ...readReport(row, shipped, direction, params.maxDepth, limit), comparedWith };
    }
    const row = existingRoot(await this.db.readTx((tx) => repo.reachableAsOf(tx, ref, asked, params, asOf)), ref, asOf);
    // Whole maps are states then (a version's or a retired node's): handed on as records at asOf.
    const offset = shipped.paths === 'NONE' ? 1 : 3;
    if (shipped.record.all) for (const values of row.rows) values[offset] = recordAt(values[offset] as EntityRow, asOf);
    const states = (fields: ShippedFields | null, list: unknown[]) => (fields?.all ? list.map((state) => recordAt(state as EntityRow, asOf)) : list);
    const then = { ...row, root: recordAt(row.root, asOf), owners: states(shipped.owners, row.owners), vendors: states(shipped.vendors, row.vendors) };
    const report = readReport(then, shipped, direction, params.maxDepth, limit);
    // Records of selected fields are built by readReport: they carry the instant too.
    const iso = asOf.toISOString();
    if (!shipped.record.all) for (const item of report.items) item.entity.asOf = iso;
    for (const [fields, list] of [[shipped.owners, report.owners], [shipped.vendors, report.vendors]] as const) if (fields && !fields.all) for (const record of list) record.asOf = iso;
    return { ...report, asOf: iso, comparedWith };
  }

  private traversal(maxDepth: number | null | undefined, relationshipTypes?: RelationshipType[] | null): TraversalParams {
    const { defaultTraversalDepth, maxTraversalDepth } = this.config.limits;
    const depth = maxDepth ?? defaultTraversalDepth;
    if (!Number.isInteger(depth) || depth < 1 || depth > maxTraversalDepth) {
      throw badUserInput(`maxDepth must be from 1 to ${maxTraversalDepth} (the configured ceiling), got ${depth}`, [{ path: 'maxDepth', message: `got ${depth}` }]);
    }
    return { maxDepth: depth, types: relationshipTypes && relationshipTypes.length > 0 ? relationshipTypes : LINEAGE_TYPES };
  }
}
