import type { Tx } from '../db/gateway';
import { concurrentChange } from '../errors';
import type { EntityRow, EntityType } from '../estate/model';
import type { RiskTier } from '../generated/graphql';
import { recordAt } from '../history/historyRepository';
import type { CatalogueBatch } from './catalogue';
import type { ApplicabilityRow, FrameworkRow, MappingRow, RequirementRow, ScopedRequirementRow, StepRow } from './model';

export interface CoverageParams {
  frameworks: string[];
  kinds: readonly string[];
  assetId: string | null;
  riskTier: string | null;
  tierAnchors: Record<string, Record<string, string[]>>;
  now: string;
}

/** The same map as it stood at an instant (findCoverageAsOf). */
export interface CoverageAsOfParams extends Omit<CoverageParams, 'now'> {
  asOf: Date;
}

export interface CoverageResult {
  assetFound: boolean;
  assetType: EntityType | null;
  tier: RiskTier | null;
  frameworks: FrameworkRow[];
  rows: ScopedRequirementRow[];
}

export interface RouteRow {
  requirement: RequirementRow;
  steps: StepRow[];
}

export interface SatisfiedRouteRow {
  coverage: 'FULL' | 'PARTIAL';
  rationale: string | null;
  satisfied: RequirementRow;
  steps: StepRow[];
}

export interface ThreatChainRow {
  start: RequirementRow;
  techniques: RequirementRow[];
  mitigations: Array<{ mitigation: RequirementRow; addresses: string[] }>;
  controls: Array<{
    control: EntityRow;
    implements: Array<{ key: string; coverage: string }>;
    assets: EntityRow[];
    requirements: Array<{ requirement: RequirementRow; coverage: 'FULL' | 'PARTIAL'; rationale: string | null }>;
  }>;
}

export interface PostureRow {
  tiers: string[];
  openRisks: EntityRow[];
  openIncidents: EntityRow[];
}

export interface SatisfiesWriteRow {
  controlId: string;
  requirementKey: string;
  coverage: 'FULL' | 'PARTIAL';
  rationale: string;
  source: string;
}

const CATALOGUE_LOCK = 'catalogue';

/**
 * The as-of queries return states as stored (a node's or a version's properties); each becomes a
 * record of that instant (recordAt): the history's properties off, the instant on, so that what it
 * leads to is read at that instant too and evidence tells whether it had expired then.
 */
const claimsAt = (rows: ScopedRequirementRow[], at: Date): ScopedRequirementRow[] =>
  rows.map((row) => ({
    ...row,
    controls: row.controls.map((claim) => ({
      ...claim,
      control: recordAt(claim.control, at),
      evidence: claim.evidence.map((evidence) => recordAt(evidence, at) as EntityRow & { expired: boolean }),
      owners: claim.owners.map((owner) => recordAt(owner, at)),
    })),
  }));

/** The compliance domain's named queries, typed; callers choose the transaction. */
export const complianceRepository = {
  /** Serialises catalogue loads (see lockCatalogue.cypher); returns the last load's fingerprint. */
  async lockCatalogue(tx: Tx, key: string = CATALOGUE_LOCK): Promise<string | null> {
    const [row] = await tx.run<{ fingerprint: string | null }>('compliance/lockCatalogue', { key });
    return row.fingerprint;
  },
  async recordCatalogueLoad(tx: Tx, fingerprint: string, key: string = CATALOGUE_LOCK): Promise<void> {
    await tx.run('compliance/recordCatalogueLoad', { key, fingerprint });
  },
  async writeCatalogue(tx: Tx, batch: CatalogueBatch): Promise<void> {
    if (batch.frameworks.length > 0) await tx.run('compliance/upsertFrameworks', { rows: batch.frameworks });
    if (batch.requirements.length > 0) {
      await tx.run('compliance/upsertRequirements', { rows: batch.requirements });
      await tx.run('compliance/linkRequirementParents', { rows: batch.requirements.map((row) => ({ key: row.key, framework: row.framework, parentKeys: row.parentKeys })) });
    }
    if (batch.mappings.length > 0) await tx.run('compliance/upsertMappings', { rows: batch.mappings });
    for (const source of batch.mappingSources) {
      const keep = batch.mappings.filter((row) => row.source === source).map((row) => `${row.fromKey}>${row.toKey}`);
      await tx.run('compliance/withdrawStaleMappings', { source, keep });
    }
  },
  async frameworks(tx: Tx, keys: string[] | null): Promise<FrameworkRow[]> {
    const rows = await tx.run<{ framework: FrameworkRow }>('compliance/findFrameworks', { keys });
    return rows.map((row) => row.framework);
  },
  async requirementsByKeys(tx: Tx, keys: string[]): Promise<RequirementRow[]> {
    if (keys.length === 0) return [];
    const rows = await tx.run<{ requirement: RequirementRow }>('compliance/findRequirementsByKeys', { keys });
    return rows.map((row) => row.requirement);
  },
  async listRequirements(tx: Tx, framework: string, kinds: string[] | null, text: string | null): Promise<RequirementRow[]> {
    const rows = await tx.run<{ requirement: RequirementRow }>('compliance/listRequirements', { framework, kinds, text });
    return rows.map((row) => row.requirement);
  },
  children(tx: Tx, keys: string[]) {
    return tx.run<{ key: string; children: RequirementRow[] }>('compliance/findRequirementChildren', { keys });
  },
  mappings(tx: Tx, keys: string[]) {
    return tx.run<{ key: string; mappings: MappingRow[] }>('compliance/findMappings', { keys });
  },
  applicability(tx: Tx, keys: string[]) {
    return tx.run<{ key: string; declarations: ApplicabilityRow[] }>('compliance/findApplicability', { keys });
  },
  related(tx: Tx, key: string, depth: number, frameworks: string[] | null): Promise<RouteRow[]> {
    return tx.run<RouteRow>('compliance/findRelatedRequirements', { key, depth, frameworks });
  },
  controlsFor(tx: Tx, key: string, depth: number) {
    return tx.run<SatisfiedRouteRow & { control: EntityRow }>('compliance/findControlsForRequirement', { key, depth });
  },
  requirementsFor(tx: Tx, controlId: string, depth: number, frameworks: string[] | null) {
    return tx.run<SatisfiedRouteRow & { requirement: RequirementRow }>('compliance/findRequirementsForControl', { controlId, depth, frameworks });
  },
  async controlsForAsOf(tx: Tx, key: string, depth: number, asOf: Date) {
    const rows = await tx.run<SatisfiedRouteRow & { control: EntityRow }>('compliance/findControlsForRequirementAsOf', { key, depth, asOf });
    return rows.map((row) => ({ ...row, control: recordAt(row.control, asOf) }));
  },
  /** The control as it stood at `asOf` (null when it did not exist then) and what its claims of then reach. */
  async requirementsForAsOf(tx: Tx, controlId: string, depth: number, frameworks: string[] | null, asOf: Date) {
    const [row] = await tx.run<{ control: EntityRow | null; matches: Array<SatisfiedRouteRow & { requirement: RequirementRow }> }>('compliance/findRequirementsForControlAsOf', {
      controlId,
      depth,
      frameworks,
      asOf,
    });
    return { control: row.control && recordAt(row.control, asOf), matches: row.matches };
  },
  async coverage(tx: Tx, params: CoverageParams): Promise<CoverageResult> {
    const [row] = await tx.run<CoverageResult>('compliance/findCoverage', { ...params, kinds: [...params.kinds] });
    return row;
  },
  async coverageAsOf(tx: Tx, params: CoverageAsOfParams): Promise<CoverageResult> {
    const [row] = await tx.run<CoverageResult>('compliance/findCoverageAsOf', { ...params, kinds: [...params.kinds] });
    return { ...row, rows: claimsAt(row.rows, params.asOf) };
  },
  async threatChain(tx: Tx, key: string, asOf: Date | null = null): Promise<ThreatChainRow | null> {
    if (!asOf) {
      const [row] = await tx.run<ThreatChainRow>('compliance/findThreatChain', { key });
      return row ?? null;
    }
    const [row] = await tx.run<ThreatChainRow>('compliance/findThreatChainAsOf', { key, asOf });
    if (!row) return null;
    return { ...row, controls: row.controls.map((c) => ({ ...c, control: recordAt(c.control, asOf), assets: c.assets.map((asset) => recordAt(asset, asOf)) })) };
  },
  async posture(tx: Tx, asOf: Date | null = null): Promise<PostureRow> {
    if (!asOf) {
      const [row] = await tx.run<PostureRow>('compliance/findPosture', {});
      return row;
    }
    const [row] = await tx.run<PostureRow>('compliance/findPostureAsOf', { asOf });
    return { ...row, openRisks: row.openRisks.map((risk) => recordAt(risk, asOf)), openIncidents: row.openIncidents.map((incident) => recordAt(incident, asOf)) };
  },
  async satisfyEndpoints(tx: Tx, controlId: string, requirementKey: string) {
    const [row] = await tx.run<{ controlType: string | null; controlName: string | null; requirementFound: boolean }>('compliance/findSatisfyEndpoints', { controlId, requirementKey });
    return row;
  },
  /**
   * Writes claims whose ends were checked earlier in the transaction, and fails when one is gone:
   * a control deleted by a concurrent call meanwhile would otherwise drop its claim silently.
   */
  async upsertSatisfies(tx: Tx, rows: SatisfiesWriteRow[], actor: string, now: string): Promise<void> {
    if (rows.length === 0) return;
    const [{ written }] = await tx.run<{ written: number }>('compliance/upsertSatisfies', { rows, actor, now: new Date(now) });
    if (written !== rows.length) throw concurrentChange();
  },
  /** Ends a claim at `now`; the claim stays readable as it was (a :WAS, see deleteSatisfies.cypher). */
  async deleteSatisfies(tx: Tx, controlId: string, requirementKey: string, now: string): Promise<boolean> {
    const [row] = await tx.run<{ deleted: number }>('compliance/deleteSatisfies', { controlId, requirementKey, now: new Date(now) });
    return row.deleted > 0;
  },
  async deleteMapping(tx: Tx, fromKey: string, toKey: string, source: string): Promise<boolean> {
    const [row] = await tx.run<{ deleted: number }>('compliance/deleteMapping', { fromKey, toKey, source });
    return row.deleted > 0;
  },
  async declareNotApplicable(tx: Tx, params: { id: string; requirementKey: string; rationale: string; actor: string; now: string }): Promise<ApplicabilityRow> {
    const [row] = await tx.run<{ declaration: ApplicabilityRow }>('compliance/declareNotApplicable', { ...params, now: new Date(params.now) });
    return row.declaration;
  },
  async withdrawNotApplicable(tx: Tx, requirementKey: string, actor: string, now: string): Promise<number> {
    const [row] = await tx.run<{ withdrawn: number }>('compliance/withdrawNotApplicable', { requirementKey, actor, now: new Date(now) });
    return row.withdrawn;
  },
};
