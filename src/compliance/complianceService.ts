import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import DataLoader from 'dataloader';
import type { Access } from '../auth/access';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, failOnProblems, InputProblem, notFound } from '../errors';
import { checkName, checkText as checkFreeText } from '../inputLimits';
import { ASSET_TYPES, entityKey, EntityRow, EntityType } from '../estate/model';
import { estateRepository } from '../estate/estateRepository';
import type { CoverageScope, MapRequirementsInput, RequirementRefInput, RiskTier } from '../generated/graphql';
import type { Logger } from '../logger';
import { ATLAS_SEED_FRAMEWORK, AtlasCounts, CatalogueBatch, parseAtlas, readSeedCatalogue } from './catalogue';
import { complianceRepository as repo, SatisfiesWriteRow } from './complianceRepository';
import {
  ApplicabilityRow,
  ASSESSABLE_KINDS,
  countStatuses,
  CoverageGroup,
  CoverageMap,
  FrameworkRow,
  MAPPING_TYPES,
  MappingRow,
  RequirementKind,
  requirementKey,
  RequirementRow,
  RISK_TIER_SCOPE,
  SatisfactionCoverage,
  StepRow,
  TOP_LEVEL_GROUP,
} from './model';

export interface RouteView {
  requirement: RequirementRow;
  direct: boolean;
  hops: number;
  via: RequirementRow[];
  path: StepRow[];
}

export interface ControlMatchView {
  control: EntityRow;
  coverage: SatisfactionCoverage;
  rationale: string | null;
  direct: boolean;
  satisfies: RequirementRow;
  path: StepRow[];
}

export interface RequirementMatchView extends Omit<ControlMatchView, 'control'> {
  requirement: RequirementRow;
}

/** The demo organisation's compliance claims, loaded after the demo estate (seed/demo-compliance.json). */
export interface DemoComplianceFile {
  source: string;
  estateSource: string;
  satisfies: Array<{ control: string; framework: string; identifier: string; coverage: SatisfactionCoverage; rationale: string }>;
  notApplicable: Array<{ framework: string; identifier: string; rationale: string }>;
}

const MAX_DEPTH = 3;
const RISK_BANDS: Array<[string, number]> = [
  ['CRITICAL', 16],
  ['HIGH', 10],
  ['MEDIUM', 5],
  ['LOW', 0],
];

/**
 * The rules of the compliance domain: catalogue loading, crosswalk traversal, satisfaction claims,
 * applicability, the coverage map and the posture summary. Built per request, like EstateService.
 */
export class ComplianceService {
  readonly requirementByKey: DataLoader<string, RequirementRow | null>;
  readonly frameworkByKey: DataLoader<string, FrameworkRow | null>;
  private readonly childrenLoader: DataLoader<string, RequirementRow[]>;
  private readonly mappingLoader: DataLoader<string, MappingRow[]>;
  private readonly applicabilityLoader: DataLoader<string, ApplicabilityRow[]>;

  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
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

  /**
   * Loads the seed catalogues and crosswalks in one transaction. Skips the work when the files are
   * unchanged since the last load (unless forced), so every start pays only one small query. When
   * ATLAS was imported from its full distribution file, the ATLAS seed (identifiers and names only)
   * is left out so that it cannot flatten the imported hierarchy.
   */
  async loadSeedCatalogue(options: { force?: boolean; logger?: Logger } = {}): Promise<{ loaded: boolean; requirements: number; mappings: number }> {
    const { batch, fingerprint } = readSeedCatalogue();
    return this.db.writeTx(async (tx) => {
      const previous = await repo.lockCatalogue(tx);
      if (previous === fingerprint && !options.force) return { loaded: false, requirements: batch.requirements.length, mappings: batch.mappings.length };
      const [atlas] = await repo.frameworks(tx, [ATLAS_SEED_FRAMEWORK]);
      const write: CatalogueBatch = atlas?.importedFrom
        ? {
            ...batch,
            frameworks: batch.frameworks.filter((row) => row.key !== ATLAS_SEED_FRAMEWORK),
            requirements: batch.requirements.filter((row) => row.framework !== ATLAS_SEED_FRAMEWORK),
          }
        : batch;
      await repo.writeCatalogue(tx, write);
      await repo.recordCatalogueLoad(tx, fingerprint);
      options.logger?.info('compliance catalogues loaded', { requirements: write.requirements.length, mappings: write.mappings.length });
      return { loaded: true, requirements: write.requirements.length, mappings: write.mappings.length };
    });
  }

  /**
   * Imports MITRE ATLAS from its distribution file (ATLAS.yaml): idempotent, one transaction, under
   * the same lock as the seed load. Existing OWASP crosswalks keep pointing at the same identifiers.
   */
  async importAtlas(yamlText: string, frameworkKey: string = ATLAS_SEED_FRAMEWORK, sourceName = 'ATLAS.yaml'): Promise<AtlasCounts & { framework: string; version: string }> {
    if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(frameworkKey)) throw badUserInput('framework key must be lower-case letters, digits, ".", "_" or "-"');
    let parsed: ReturnType<typeof parseAtlas>;
    try {
      parsed = parseAtlas(yamlText, frameworkKey, sourceName);
    } catch (error) {
      throw badUserInput(error instanceof Error ? error.message : String(error));
    }
    await this.db.writeTx(async (tx) => {
      await repo.lockCatalogue(tx);
      await repo.writeCatalogue(tx, parsed.batch);
    });
    return { ...parsed.counts, framework: frameworkKey, version: parsed.batch.frameworks[0].version };
  }

  frameworks(): Promise<FrameworkRow[]> {
    return this.db.readTx((tx) => repo.frameworks(tx, null));
  }

  requirements(framework: string, kinds: RequirementKind[] | null | undefined, text: string | null | undefined): Promise<RequirementRow[]> {
    return this.db.readTx((tx) => repo.listRequirements(tx, framework, kinds && kinds.length > 0 ? kinds : null, text ? text.toLowerCase() : null));
  }

  requirement(framework: string, identifier: string): Promise<RequirementRow | null> {
    return this.requirementByKey.load(requirementKey(framework, identifier));
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
    const rows = await this.db.readTx((tx) => repo.related(tx, start.key, hops, frameworks && frameworks.length > 0 ? frameworks : null));
    return Promise.all(rows.map(async (row) => ({ requirement: row.requirement, ...(await this.route(row.steps)) })));
  }

  async controlsFor(ref: RequirementRefInput, depth: number | null | undefined): Promise<ControlMatchView[]> {
    const start = await this.existingRequirement(ref);
    const rows = await this.db.readTx((tx) => repo.controlsFor(tx, start.key, checkDepth(depth ?? 1, 0)));
    return Promise.all(
      rows.map(async (row) => {
        // A control is direct when it claims the asked requirement itself: a route of no mappings.
        return { control: row.control, coverage: row.coverage, rationale: row.rationale, direct: row.steps.length === 0, satisfies: row.satisfied, path: row.steps };
      }),
    );
  }

  async requirementsFor(controlId: string, depth: number | null | undefined, frameworks: string[] | null | undefined): Promise<RequirementMatchView[]> {
    const hops = checkDepth(depth ?? 1, 0);
    const [control] = await this.db.readTx((tx) => estateRepository.findByIds(tx, [controlId]));
    if (!control || control.type !== 'Control') throw notFound(`Control ${controlId}`);
    return this.claims(controlId, hops, frameworks);
  }

  /** What Control.requirements shows: the same as requirementsFor, for a control already loaded. */
  async claims(controlId: string, depth: number, frameworks: string[] | null | undefined): Promise<RequirementMatchView[]> {
    const rows = await this.db.readTx((tx) => repo.requirementsFor(tx, controlId, checkDepth(depth, 0), frameworks && frameworks.length > 0 ? frameworks : null));
    return Promise.all(
      rows.map(async (row) => {
        return { requirement: row.requirement, coverage: row.coverage, rationale: row.rationale, direct: row.steps.length === 0, satisfies: row.satisfied, path: row.steps };
      }),
    );
  }

  async mapRequirements(input: MapRequirementsInput): Promise<MappingRow> {
    this.access.requireCompliance('Editing crosswalk mappings');
    const rationale = checkText(input.rationale, 'rationale');
    const problems: InputProblem[] = [];
    checkName(input.source ?? 'manual', 'input.source', problems);
    failOnProblems(problems, 'mapping');
    const source = (input.source ?? 'manual').trim();
    if (!MAPPING_TYPES.includes(input.type)) throw badUserInput(`type must be one of ${MAPPING_TYPES.join(', ')}`);
    const fromKey = requirementKey(input.from.framework, input.from.identifier);
    const toKey = requirementKey(input.to.framework, input.to.identifier);
    if (fromKey === toKey) throw badUserInput('A requirement cannot map to itself', [{ path: 'input.to', message: 'same as input.from' }]);
    return this.db.writeTx(async (tx) => {
      const found = new Set((await repo.requirementsByKeys(tx, [fromKey, toKey])).map((row) => row.key));
      if (!found.has(fromKey)) throw notFound(`Requirement ${fromKey}`);
      if (!found.has(toKey)) throw notFound(`Requirement ${toKey}`);
      const row: MappingRow = { fromKey, toKey, type: input.type, source, sourceTitle: null, sourceUrl: null, rationale };
      await repo.writeCatalogue(tx, { frameworks: [], requirements: [], mappings: [row], mappingSources: [] });
      return row;
    });
  }

  async unmapRequirements(from: RequirementRefInput, to: RequirementRefInput, source: string | null | undefined): Promise<{ removed: boolean }> {
    this.access.requireCompliance('Editing crosswalk mappings');
    const removed = await this.db.writeTx((tx) =>
      repo.deleteMapping(tx, requirementKey(from.framework, from.identifier), requirementKey(to.framework, to.identifier), source ?? 'manual'),
    );
    return { removed };
  }

  async satisfy(controlId: string, ref: RequirementRefInput, coverage: SatisfactionCoverage, rationale: string) {
    this.access.requireCompliance('Claiming that a control satisfies a requirement');
    const text = checkText(rationale, 'rationale');
    if (coverage !== 'FULL' && coverage !== 'PARTIAL') throw badUserInput('coverage must be FULL or PARTIAL');
    const key = requirementKey(ref.framework, ref.identifier);
    await this.db.writeTx(async (tx) => {
      const endpoints = await repo.satisfyEndpoints(tx, controlId, key);
      if (!endpoints.controlType) throw notFound(`Control ${controlId}`);
      if (endpoints.controlType !== 'Control') throw badUserInput(`SATISFIES goes from a Control, not from a ${endpoints.controlType}`, [{ path: 'controlId', message: `is a ${endpoints.controlType}` }]);
      if (!endpoints.requirementFound) throw notFound(`Requirement ${key}`);
      await repo.upsertSatisfies(tx, [{ controlId, requirementKey: key, coverage, rationale: text, source: 'manual' }], this.access.actor, new Date().toISOString());
    });
    const [control] = await this.db.readTx((tx) => estateRepository.findByIds(tx, [controlId]));
    this.requirementByKey.clear(key);
    return { control: { ...control, tags: control.tags ?? [] }, requirement: (await this.requirementByKey.load(key))!, coverage, rationale: text };
  }

  async unsatisfy(controlId: string, ref: RequirementRefInput): Promise<{ removed: boolean }> {
    this.access.requireCompliance('Withdrawing a satisfaction claim');
    // Claims are current state, not history: the coverage map reads only live ones, and an audit
    // of who claimed what belongs to the estate's audit log once it records requirement links.
    const removed = await this.db.writeTx((tx) => repo.deleteSatisfies(tx, controlId, requirementKey(ref.framework, ref.identifier)));
    return { removed };
  }

  async declareNotApplicable(ref: RequirementRefInput, rationale: string): Promise<ApplicabilityRow> {
    this.access.requireCompliance('Declaring a requirement not applicable');
    const text = checkText(rationale, 'rationale');
    const requirement = await this.existingRequirement(ref);
    return this.db.writeTx((tx) => repo.declareNotApplicable(tx, { id: randomUUID(), requirementKey: requirement.key, rationale: text, actor: this.access.actor, now: new Date().toISOString() }));
  }

  async withdrawNotApplicable(ref: RequirementRefInput): Promise<{ removed: boolean }> {
    this.access.requireCompliance('Withdrawing a not-applicable declaration');
    const requirement = await this.existingRequirement(ref);
    const withdrawn = await this.db.writeTx((tx) => repo.withdrawNotApplicable(tx, requirement.key, this.access.actor, new Date().toISOString()));
    return { removed: withdrawn > 0 };
  }

  // ---- Coverage, threats, posture ----------------------------------------------------------------

  async coverage(frameworkKey: string, scope: CoverageScope | null | undefined): Promise<CoverageMap> {
    const riskTier = scope?.riskTier ?? null;
    if (riskTier && !RISK_TIER_SCOPE[frameworkKey]?.[riskTier]) {
      throw badUserInput(`A risk-tier scope is defined for the EU AI Act only, not for ${frameworkKey}`, [{ path: 'scope.riskTier', message: 'not defined for this framework' }]);
    }
    const assetId = scope?.assetId ?? null;
    // One round trip: the framework, the asset check and every requirement's status come together.
    const result = await this.db.readTx((tx) =>
      repo.coverage(tx, { frameworks: [frameworkKey], kinds: ASSESSABLE_KINDS, assetId, riskTier, tierAnchors: RISK_TIER_SCOPE, now: new Date().toISOString() }),
    );
    const [framework] = result.frameworks;
    if (!framework) throw notFound(`Framework ${frameworkKey}`);
    if (assetId && (!result.assetFound || !ASSET_TYPES.includes(result.assetType as EntityType))) throw notFound(`Asset ${assetId}`);
    const tier = (result.tier as RiskTier | null) ?? null;
    return buildCoverageMap(framework, result.rows, assetId, RISK_TIER_SCOPE[frameworkKey]?.[tier as RiskTier] ? tier : null);
  }

  async threatChain(ref: RequirementRefInput) {
    const start = await this.existingRequirement(ref);
    if (!['TECHNIQUE', 'RISK'].includes(start.kind)) {
      throw badUserInput('A threat chain starts from an ATLAS technique or an OWASP LLM risk', [{ path: 'requirement', message: `${start.key} is a ${start.kind}` }]);
    }
    const row = (await this.db.readTx((tx) => repo.threatChain(tx, start.key)))!;
    const known = new Map<string, RequirementRow>([[row.start.key, row.start], ...row.techniques.map((t) => [t.key, t] as const), ...row.mitigations.map((m) => [m.mitigation.key, m.mitigation] as const)]);
    return {
      start: row.start,
      techniques: row.techniques,
      mitigations: row.mitigations.map((m) => ({ mitigation: m.mitigation, addresses: m.addresses.map((key) => known.get(key)!).filter(Boolean) })),
      controls: row.controls.map((c) => ({
        control: c.control,
        implements: c.implements.map((item) => known.get(item.key)!).filter(Boolean),
        protects: c.assets,
        satisfies: c.requirements.map((r) => ({ requirement: r.requirement, coverage: r.coverage, rationale: r.rationale, direct: true, satisfies: r.requirement, path: [] })),
      })),
    };
  }

  async postureSummary() {
    const frameworks = await this.frameworks();
    const [posture, coverage] = await Promise.all([
      this.db.readTx((tx) => repo.posture(tx)),
      this.db.readTx((tx) =>
        repo.coverage(tx, { frameworks: frameworks.map((f) => f.key), kinds: ASSESSABLE_KINDS, assetId: null, riskTier: null, tierAnchors: {}, now: new Date().toISOString() }),
      ),
    ]);
    const tierCounts = new Map<string, number>();
    for (const tier of posture.tiers) tierCounts.set(tier, (tierCounts.get(tier) ?? 0) + 1);
    const order = ['PROHIBITED', 'HIGH', 'LIMITED', 'MINIMAL', 'UNCLASSIFIED'];
    const score = (risk: EntityRow) => Number(risk.residualScore ?? risk.inherentScore ?? 0);
    const band = (value: number) => RISK_BANDS.find(([, floor]) => value >= floor)![0];
    return {
      generatedAt: new Date().toISOString(),
      assetsByRiskTier: order.map((tier) => ({ tier, count: tierCounts.get(tier) ?? 0 })),
      openRisks: posture.openRisks,
      openRisksByBand: RISK_BANDS.map(([name]) => ({ band: name, count: posture.openRisks.filter((risk) => band(score(risk)) === name).length })),
      openIncidents: posture.openIncidents,
      coverage: frameworks.map((framework) => {
        const statuses = coverage.rows.filter((row) => row.requirement.framework === framework.key).map((row) => row.status);
        return { framework, total: statuses.length, counts: countStatuses(statuses) };
      }),
    };
  }

  // ---- Demo ------------------------------------------------------------------------------------

  /** Loads the demo organisation's claims and declarations; idempotent (MERGE, and no repeat declarations). */
  async loadDemoCompliance(file: string): Promise<{ satisfies: number; notApplicable: number }> {
    const demo = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoComplianceFile;
    return this.db.writeTx(async (tx) => {
      const controls = await estateRepository.findByKeys(tx, [...new Set(demo.satisfies.map((item) => entityKey('Control', demo.estateSource, item.control)))]);
      const idByExternalId = new Map(controls.map((row) => [row.externalId, row.id]));
      const rows: SatisfiesWriteRow[] = [];
      for (const item of demo.satisfies) {
        const controlId = idByExternalId.get(item.control);
        if (!controlId) throw new Error(`demo compliance: no demo control ${item.control}`);
        rows.push({ controlId, requirementKey: requirementKey(item.framework, item.identifier), coverage: item.coverage, rationale: item.rationale, source: demo.source });
      }
      const keys = [...new Set([...rows.map((row) => row.requirementKey), ...demo.notApplicable.map((item) => requirementKey(item.framework, item.identifier))])];
      const found = new Set((await repo.requirementsByKeys(tx, keys)).map((row) => row.key));
      const missing = keys.filter((key) => !found.has(key));
      if (missing.length > 0) throw new Error(`demo compliance: unknown requirements ${missing.join(', ')}`);
      const now = new Date().toISOString();
      await repo.upsertSatisfies(tx, rows, 'seed', now);
      const active = new Map((await repo.applicability(tx, keys)).map((row) => [row.key, row.declarations.find((d) => !d.withdrawnAt)]));
      let declared = 0;
      for (const item of demo.notApplicable) {
        const key = requirementKey(item.framework, item.identifier);
        if (active.get(key)?.rationale === item.rationale) continue;
        await repo.declareNotApplicable(tx, { id: randomUUID(), requirementKey: key, rationale: item.rationale, actor: 'seed', now });
        declared += 1;
      }
      return { satisfies: rows.length, notApplicable: declared };
    });
  }

  // ---- Helpers ---------------------------------------------------------------------------------

  private async existingRequirement(ref: RequirementRefInput): Promise<RequirementRow> {
    if (!ref.framework.trim() || !ref.identifier.trim()) throw badUserInput('A requirement needs a framework and an identifier', [{ path: 'requirement', message: 'empty' }]);
    const row = await this.requirement(ref.framework, ref.identifier);
    if (!row) throw notFound(`Requirement ${requirementKey(ref.framework, ref.identifier)}`);
    return row;
  }

  /** A related requirement's route: direct when one mapping links them; `via` loaded in one batch. */
  private async route(steps: StepRow[]): Promise<{ direct: boolean; hops: number; via: RequirementRow[]; path: StepRow[] }> {
    const viaKeys = steps.slice(0, -1).map((step) => (step.forward ? step.toKey : step.fromKey));
    const via = await Promise.all(viaKeys.map((key) => this.requirementByKey.load(key)));
    if (via.some((row) => row === null)) throw codedError('INTERNAL_SERVER_ERROR', 'A requirement on a crosswalk route vanished');
    return { direct: steps.length === 1, hops: steps.length, via: via as RequirementRow[], path: steps };
  }
}

function checkDepth(depth: number, min: number): number {
  if (!Number.isInteger(depth) || depth < min || depth > MAX_DEPTH) {
    throw badUserInput(`depth must be from ${min} to ${MAX_DEPTH}`, [{ path: 'depth', message: `got ${depth}` }]);
  }
  return depth;
}

/** A rationale: required free text, under the limits every domain shares. */
function checkText(value: string, field: string): string {
  const problems: InputProblem[] = [];
  checkFreeText(value, field, problems, { required: true });
  failOnProblems(problems, field);
  return value.trim();
}

/** Groups, counts and percentages of a coverage map, from the rows its one query returned. */
export function buildCoverageMap(framework: FrameworkRow, rows: Awaited<ReturnType<typeof repo.coverage>>['rows'], assetId: string | null, riskTier: RiskTier | null): CoverageMap {
  const groups = new Map<string, CoverageGroup & { statuses: CoverageMap['items'][number]['status'][] }>();
  const items = rows.map(({ top, ...row }) => {
    const selfTop = !top || top.identifier === row.requirement.identifier;
    const identifier = selfTop ? (TOP_LEVEL_GROUP[row.requirement.kind] ?? framework.name) : top.identifier;
    const group = groups.get(identifier) ?? { identifier, title: selfTop ? null : top.title, total: 0, counts: [], statuses: [] };
    group.statuses.push(row.status);
    groups.set(identifier, group);
    return { ...row, group: identifier };
  });
  return {
    framework,
    assetId,
    riskTier,
    generatedAt: new Date().toISOString(),
    total: items.length,
    counts: countStatuses(items.map((item) => item.status)),
    groups: [...groups.values()].map(({ statuses, ...group }) => ({ ...group, total: statuses.length, counts: countStatuses(statuses) })),
    items,
  };
}
