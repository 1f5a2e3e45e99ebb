import DataLoader from 'dataloader';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, notFound } from '../errors';
import type { EstateService } from '../estate/estateService';
import { EntityRow, isAssetType } from '../estate/model';
import type { CoverageScope, RequirementRefInput } from '../generated/graphql';
import { checkAsOf, checkWindow } from '../history/asOf';
import { complianceRepository as repo, CoverageParams, CoverageResult } from './complianceRepository';
import { appliedRiskTier, buildCoverageMap, PostureSummary, summarisePosture } from './coverage';
import { CoverageChange, diffCoverage } from './coverageChanges';
import { assembleThreatChain, checkDepth, readRoute, satisfactionMatch, SatisfactionMatch, ThreatChain } from './crosswalk';
import { ApplicabilityRow, ASSESSABLE_KINDS, CoverageMap, FrameworkRow, MappingRow, RequirementKind, requirementKey, RequirementRow, RISK_TIER_SCOPE, ScopedRequirementRow, StepRow } from './model';

export interface RouteView {
  requirement: RequirementRow;
  direct: boolean;
  hops: number;
  via: RequirementRow[];
  path: StepRow[];
}

export interface ControlMatchView extends SatisfactionMatch {
  control: EntityRow;
}

export interface RequirementMatchView extends SatisfactionMatch {
  requirement: RequirementRow;
}

const someOrNull = <T>(values: T[] | null | undefined): T[] | null => (values && values.length > 0 ? values : null);

/** An instant as a question about the past is asked for it; undefined or null for now. */
export type AsOf = Date | string | null | undefined;

export interface CoverageChangeList {
  framework: FrameworkRow;
  from: string;
  to: string;
  totalCount: number;
  items: CoverageChange[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Which AI Act requirements apply, decided from the organisation's AI systems and their
 * classification (src/systems): the rows of an AI Act map for the organisation (systemId null) or
 * for one system.
 */
export interface AiActApplicability {
  aiActRows(rows: ScopedRequirementRow[], systemId: string | null, asOf: Date | null, at: string): Promise<ScopedRequirementRow[]>;
}

/** coverageChanges answers at most this many requirements a page: more than any catalogue's chapter. */
export const MAX_COVERAGE_CHANGES_PAGE = 500;

/** A page of coverageChanges ends after a requirement; its key is the cursor. */
const encodeChangeCursor = (key: string) => Buffer.from(`q${key}`).toString('base64url');
function decodeChangeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('q') || text.length < 2) throw badUserInput('`after` is not a cursor this API returned', [{ path: 'after', message: 'not a cursor of coverageChanges' }]);
  return text.slice(1);
}

/**
 * Reading the compliance domain: catalogues, crosswalk traversal, satisfaction claims,
 * applicability, the coverage map and the posture summary. Built per request, like EstateService;
 * claims are written by ClaimService, catalogues loaded by CatalogueService.
 */
export class ComplianceService {
  readonly requirementByKey: DataLoader<string, RequirementRow | null>;
  readonly frameworkByKey: DataLoader<string, FrameworkRow | null>;
  private readonly childrenLoader: DataLoader<string, RequirementRow[]>;
  private readonly mappingLoader: DataLoader<string, MappingRow[]>;
  private readonly applicabilityLoader: DataLoader<string, ApplicabilityRow[]>;

  constructor(
    private readonly db: RequestGateway,
    private readonly estate: EstateService,
    private readonly aiAct?: AiActApplicability,
  ) {
    this.requirementByKey = new DataLoader(async (keys) => {
      const rows = await db.readTx((tx) => repo.requirementsByKeys(tx, [...keys]));
      const found = new Map(rows.map((row) => [row.key, row]));
      return keys.map((key) => found.get(key) ?? null);
    });
    this.frameworkByKey = new DataLoader(async (keys) => {
      const rows = await db.readTx((tx) => repo.frameworks(tx, [...keys]));
      const found = new Map(rows.map((row) => [row.key, row]));
      return keys.map((key) => found.get(key) ?? null);
    });
    const byKey = <Row, Field extends string>(field: Field, load: (keys: string[]) => Promise<Array<{ key: string } & Record<Field, Row[]>>>) =>
      new DataLoader<string, Row[]>(async (keys) => {
        const rows = await load([...keys]);
        const found = new Map(rows.map((row) => [row.key, row[field]]));
        return keys.map((key) => found.get(key) ?? []);
      });
    this.childrenLoader = byKey('children', (keys) => db.readTx((tx) => repo.children(tx, keys)));
    this.mappingLoader = byKey('mappings', (keys) => db.readTx((tx) => repo.mappings(tx, keys)));
    this.applicabilityLoader = byKey('declarations', (keys) => db.readTx((tx) => repo.applicability(tx, keys)));
  }

  // ---- Catalogues ------------------------------------------------------------------------------

  frameworks(): Promise<FrameworkRow[]> {
    return this.db.readTx((tx) => repo.frameworks(tx, null));
  }

  requirements(framework: string, kinds: RequirementKind[] | null | undefined, text: string | null | undefined): Promise<RequirementRow[]> {
    return this.db.readTx((tx) => repo.listRequirements(tx, framework, someOrNull(kinds), text ? text.toLowerCase() : null));
  }

  requirement(framework: string, identifier: string): Promise<RequirementRow | null> {
    return this.requirementByKey.load(requirementKey(framework, identifier));
  }

  /** A requirement the caller names: NOT_FOUND when there is none. */
  async existingRequirement(ref: RequirementRefInput): Promise<RequirementRow> {
    if (!ref.framework.trim() || !ref.identifier.trim()) throw badUserInput('A requirement needs a framework and an identifier', [{ path: 'requirement', message: 'empty' }]);
    const row = await this.requirement(ref.framework, ref.identifier);
    if (!row) throw notFound(`Requirement ${requirementKey(ref.framework, ref.identifier)}`);
    return row;
  }

  /**
   * A requirement that stored data points at (a mapping's end, a step of a route, a declaration):
   * catalogue entries are never deleted, so a missing one is an internal error, not the caller's.
   */
  async linkedRequirement(key: string): Promise<RequirementRow> {
    const row = await this.requirementByKey.load(key);
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', `Requirement ${key} is linked to but missing`);
    return row;
  }

  /** A requirement's framework, which exists as long as the requirement does. */
  async linkedFramework(key: string): Promise<FrameworkRow> {
    const row = await this.frameworkByKey.load(key);
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', `Framework ${key} is linked to but missing`);
    return row;
  }

  children(key: string): Promise<RequirementRow[]> {
    return this.childrenLoader.load(key);
  }

  mappings(key: string): Promise<MappingRow[]> {
    return this.mappingLoader.load(key);
  }

  async applicability(key: string): Promise<{ active: ApplicabilityRow | null; history: ApplicabilityRow[] }> {
    const history = await this.applicabilityLoader.load(key);
    return { active: history.find((row) => !row.withdrawnAt) ?? null, history };
  }

  // ---- Crosswalks and satisfaction ---------------------------------------------------------------

  async related(ref: RequirementRefInput, depth: number | null | undefined, frameworks: string[] | null | undefined): Promise<RouteView[]> {
    const start = await this.existingRequirement(ref);
    const hops = checkDepth(depth ?? 2, 1);
    const rows = await this.db.readTx((tx) => repo.related(tx, start.key, hops, someOrNull(frameworks)));
    return Promise.all(
      rows.map(async ({ requirement, steps }) => {
        const { viaKeys, ...route } = readRoute(steps);
        return { requirement, ...route, via: await Promise.all(viaKeys.map((key) => this.linkedRequirement(key))), path: steps };
      }),
    );
  }

  async controlsFor(ref: RequirementRefInput, depth: number | null | undefined, asOfArg?: AsOf): Promise<ControlMatchView[]> {
    const start = await this.existingRequirement(ref);
    const hops = checkDepth(depth ?? 1, 0);
    const asOf = await checkAsOf(this.db, asOfArg);
    const rows = await this.db.readTx((tx) => (asOf ? repo.controlsForAsOf(tx, start.key, hops, asOf) : repo.controlsFor(tx, start.key, hops)));
    return rows.map((row) => ({ control: row.control, ...satisfactionMatch(row) }));
  }

  async requirementsFor(controlId: string, depth: number | null | undefined, frameworks: string[] | null | undefined, asOfArg?: AsOf): Promise<RequirementMatchView[]> {
    const hops = checkDepth(depth ?? 1, 0);
    const asOf = await checkAsOf(this.db, asOfArg);
    if (asOf) {
      // A control retired since still answers for the time it existed.
      const { control: then, matches } = await this.db.readTx((tx) => repo.requirementsForAsOf(tx, controlId, hops, someOrNull(frameworks), asOf));
      if (then?.type !== 'Control') throw notFound(`Control ${controlId} at ${asOf.toISOString()}`);
      return matches.map((row) => ({ requirement: row.requirement, ...satisfactionMatch(row) }));
    }
    const control = await this.estate.byId.load(controlId);
    if (control?.type !== 'Control') throw notFound(`Control ${controlId}`);
    return this.claims(controlId, hops, frameworks);
  }

  /**
   * What Control.requirements shows: the same as requirementsFor, for a control already loaded; at
   * the instant it was read at (`at`, ISO, checked where the question was asked) when it carries one.
   */
  async claims(controlId: string, depth: number, frameworks: string[] | null | undefined, at?: string): Promise<RequirementMatchView[]> {
    const hops = checkDepth(depth, 0);
    const rows = at
      ? (await this.db.readTx((tx) => repo.requirementsForAsOf(tx, controlId, hops, someOrNull(frameworks), new Date(at)))).matches
      : await this.db.readTx((tx) => repo.requirementsFor(tx, controlId, hops, someOrNull(frameworks)));
    return rows.map((row) => ({ requirement: row.requirement, ...satisfactionMatch(row) }));
  }

  // ---- Coverage, threats, posture ----------------------------------------------------------------

  async coverage(frameworkKey: string, scope: CoverageScope | null | undefined, asOfArg?: AsOf): Promise<CoverageMap> {
    const params = coverageParams(frameworkKey, scope);
    const asOf = await checkAsOf(this.db, asOfArg);
    const now = new Date().toISOString();
    // One round trip: the framework, the asset check and every requirement's claims come together.
    const result = await this.db.readTx((tx) => (asOf ? repo.coverageAsOf(tx, { ...params, asOf }) : repo.coverage(tx, { ...params, now })));
    const [framework] = result.frameworks;
    if (!framework) throw notFound(`Framework ${frameworkKey}`);
    if (params.assetId && !assetFound(result)) throw notFound(`Asset ${params.assetId}${asOf ? ` at ${asOf.toISOString()}` : ''}`);
    // The AI Act map counts what applies to the organisation's classified systems (or to the one
    // asked for); an asset's or a risk tier's map keeps its own rules.
    const systemId = scope?.systemId ?? null;
    const rows = this.aiAct && frameworkKey === 'eu-ai-act' && !params.assetId && !params.riskTier ? await this.aiAct.aiActRows(result.rows, systemId, asOf, asOf?.toISOString() ?? now) : result.rows;
    return { ...buildCoverageMap(framework, rows, params.assetId, appliedRiskTier(frameworkKey, result.tier), now, asOf?.toISOString() ?? null), systemId };
  }

  /**
   * The requirements whose status differs between two instants, from the two as-of maps read in one
   * transaction. An asset that existed at only one of them has an empty scope at the other.
   */
  async coverageChanges(
    frameworkKey: string,
    from: Date | string,
    to: Date | string,
    scope: CoverageScope | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<CoverageChangeList> {
    const params = coverageParams(frameworkKey, scope);
    if (scope?.systemId) throw badUserInput('coverageChanges compares the organisation-wide map; ask coverage with asOf for one system', [{ path: 'scope.systemId', message: 'not taken here' }]);
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_COVERAGE_CHANGES_PAGE) {
      throw badUserInput(`first must be from 0 to ${MAX_COVERAGE_CHANGES_PAGE}`, [{ path: 'first', message: `got ${limit}` }]);
    }
    const afterKey = after ? decodeChangeCursor(after) : null;
    const window = await checkWindow(this.db, from, to);
    const [before, later] = await this.db.readTx(async (tx) => [await repo.coverageAsOf(tx, { ...params, asOf: window.from }), await repo.coverageAsOf(tx, { ...params, asOf: window.to })]);
    const [framework] = later.frameworks;
    if (!framework) throw notFound(`Framework ${frameworkKey}`);
    if (params.assetId && !assetFound(before) && !assetFound(later)) throw notFound(`Asset ${params.assetId} at ${window.from.toISOString()} or ${window.to.toISOString()}`);
    const rowsOf = (result: CoverageResult) => (params.assetId && !assetFound(result) ? [] : result.rows);
    // The AI Act's applicability at each end, as its map has it then (a classification made in
    // between shows as a declaration made or withdrawn).
    const applied = (result: CoverageResult, at: Date) =>
      this.aiAct && frameworkKey === 'eu-ai-act' && !params.assetId && !params.riskTier ? this.aiAct.aiActRows(rowsOf(result), null, at, at.toISOString()) : rowsOf(result);
    const changes = diffCoverage(await applied(before, window.from), await applied(later, window.to));
    let start = 0;
    if (afterKey !== null) {
      start = changes.findIndex((change) => change.requirement.key === afterKey) + 1;
      if (start === 0) throw badUserInput('`after` names no requirement of this list', [{ path: 'after', message: 'not a cursor of this list' }]);
    }
    const items = changes.slice(start, start + limit);
    return {
      framework,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      totalCount: changes.length,
      items,
      pageInfo: { hasNextPage: start + items.length < changes.length, endCursor: items.length > 0 ? encodeChangeCursor(items[items.length - 1].requirement.key) : null },
    };
  }

  async threatChain(ref: RequirementRefInput, asOfArg?: AsOf): Promise<ThreatChain> {
    const start = await this.existingRequirement(ref);
    if (!['TECHNIQUE', 'RISK'].includes(start.kind)) {
      throw badUserInput('A threat chain starts from an ATLAS technique or a risk (OWASP LLM, SAIF)', [{ path: 'requirement', message: `${start.key} is a ${start.kind}` }]);
    }
    const asOf = await checkAsOf(this.db, asOfArg);
    const row = await this.db.readTx((tx) => repo.threatChain(tx, start.key, asOf));
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', `Requirement ${start.key} vanished while its threat chain was read`);
    return assembleThreatChain(row);
  }

  async postureSummary(asOfArg?: AsOf): Promise<PostureSummary> {
    const asOf = await checkAsOf(this.db, asOfArg);
    const frameworks = await this.frameworks();
    const now = new Date().toISOString();
    const params = { frameworks: frameworks.map((f) => f.key), kinds: ASSESSABLE_KINDS, assetId: null, riskTier: null, tierAnchors: {} };
    const [posture, coverage] = await Promise.all([
      this.db.readTx((tx) => repo.posture(tx, asOf)),
      this.db.readTx((tx) => (asOf ? repo.coverageAsOf(tx, { ...params, asOf }) : repo.coverage(tx, { ...params, now }))),
    ]);
    // The AI Act's figures count what applies to the classified systems, as its map does.
    const aiAct = coverage.rows.filter((row) => row.requirement.framework === 'eu-ai-act');
    const rows = this.aiAct && aiAct.length > 0 ? [...coverage.rows.filter((row) => row.requirement.framework !== 'eu-ai-act'), ...(await this.aiAct.aiActRows(aiAct, null, asOf, asOf?.toISOString() ?? now))] : coverage.rows;
    return summarisePosture(frameworks, posture, rows, now, asOf?.toISOString() ?? null);
  }
}

/** What a coverage query reads for a framework and scope, the scope checked. */
function coverageParams(frameworkKey: string, scope: CoverageScope | null | undefined): Omit<CoverageParams, 'now'> {
  const riskTier = scope?.riskTier ?? null;
  if (scope?.systemId && (frameworkKey !== 'eu-ai-act' || scope.assetId || riskTier)) {
    throw badUserInput('A system scope is an EU AI Act map of its own: not for another framework, nor with assetId or riskTier', [{ path: 'scope.systemId', message: 'not combinable' }]);
  }
  if (riskTier && !RISK_TIER_SCOPE[frameworkKey]?.[riskTier]) {
    throw badUserInput(`A risk-tier scope is defined for the EU AI Act only, not for ${frameworkKey}`, [{ path: 'scope.riskTier', message: 'not defined for this framework' }]);
  }
  return { frameworks: [frameworkKey], kinds: ASSESSABLE_KINDS, assetId: scope?.assetId ?? null, riskTier, tierAnchors: RISK_TIER_SCOPE };
}

/** Whether the scope's asset was found (at the map's instant) and is an asset. */
const assetFound = (result: CoverageResult) => result.assetFound && result.assetType !== null && isAssetType(result.assetType);
