import DataLoader from 'dataloader';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, notFound } from '../errors';
import type { EstateService } from '../estate/estateService';
import { EntityRow, isAssetType } from '../estate/model';
import type { CoverageScope, RequirementRefInput } from '../generated/graphql';
import { complianceRepository as repo } from './complianceRepository';
import { appliedRiskTier, buildCoverageMap, PostureSummary, summarisePosture } from './coverage';
import { assembleThreatChain, checkDepth, readRoute, satisfactionMatch, SatisfactionMatch, ThreatChain } from './crosswalk';
import { ApplicabilityRow, ASSESSABLE_KINDS, CoverageMap, FrameworkRow, MappingRow, RequirementKind, requirementKey, RequirementRow, RISK_TIER_SCOPE, StepRow } from './model';

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

  async controlsFor(ref: RequirementRefInput, depth: number | null | undefined): Promise<ControlMatchView[]> {
    const start = await this.existingRequirement(ref);
    const rows = await this.db.readTx((tx) => repo.controlsFor(tx, start.key, checkDepth(depth ?? 1, 0)));
    return rows.map((row) => ({ control: row.control, ...satisfactionMatch(row) }));
  }

  async requirementsFor(controlId: string, depth: number | null | undefined, frameworks: string[] | null | undefined): Promise<RequirementMatchView[]> {
    const hops = checkDepth(depth ?? 1, 0);
    const control = await this.estate.byId.load(controlId);
    if (control?.type !== 'Control') throw notFound(`Control ${controlId}`);
    return this.claims(controlId, hops, frameworks);
  }

  /** What Control.requirements shows: the same as requirementsFor, for a control already loaded. */
  async claims(controlId: string, depth: number, frameworks: string[] | null | undefined): Promise<RequirementMatchView[]> {
    const rows = await this.db.readTx((tx) => repo.requirementsFor(tx, controlId, checkDepth(depth, 0), someOrNull(frameworks)));
    return rows.map((row) => ({ requirement: row.requirement, ...satisfactionMatch(row) }));
  }

  // ---- Coverage, threats, posture ----------------------------------------------------------------

  async coverage(frameworkKey: string, scope: CoverageScope | null | undefined): Promise<CoverageMap> {
    const riskTier = scope?.riskTier ?? null;
    if (riskTier && !RISK_TIER_SCOPE[frameworkKey]?.[riskTier]) {
      throw badUserInput(`A risk-tier scope is defined for the EU AI Act only, not for ${frameworkKey}`, [{ path: 'scope.riskTier', message: 'not defined for this framework' }]);
    }
    const assetId = scope?.assetId ?? null;
    const now = new Date().toISOString();
    // One round trip: the framework, the asset check and every requirement's claims come together.
    const result = await this.db.readTx((tx) => repo.coverage(tx, { frameworks: [frameworkKey], kinds: ASSESSABLE_KINDS, assetId, riskTier, tierAnchors: RISK_TIER_SCOPE, now }));
    const [framework] = result.frameworks;
    if (!framework) throw notFound(`Framework ${frameworkKey}`);
    if (assetId && (!result.assetFound || !result.assetType || !isAssetType(result.assetType))) throw notFound(`Asset ${assetId}`);
    return buildCoverageMap(framework, result.rows, assetId, appliedRiskTier(frameworkKey, result.tier), now);
  }

  async threatChain(ref: RequirementRefInput): Promise<ThreatChain> {
    const start = await this.existingRequirement(ref);
    if (!['TECHNIQUE', 'RISK'].includes(start.kind)) {
      throw badUserInput('A threat chain starts from an ATLAS technique or an OWASP LLM risk', [{ path: 'requirement', message: `${start.key} is a ${start.kind}` }]);
    }
    const row = await this.db.readTx((tx) => repo.threatChain(tx, start.key));
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', `Requirement ${start.key} vanished while its threat chain was read`);
    return assembleThreatChain(row);
  }

  async postureSummary(): Promise<PostureSummary> {
    const frameworks = await this.frameworks();
    const now = new Date().toISOString();
    const [posture, coverage] = await Promise.all([
      this.db.readTx((tx) => repo.posture(tx)),
      this.db.readTx((tx) => repo.coverage(tx, { frameworks: frameworks.map((f) => f.key), kinds: ASSESSABLE_KINDS, assetId: null, riskTier: null, tierAnchors: {}, now })),
    ]);
    return summarisePosture(frameworks, posture, coverage.rows, now);
  }
}
