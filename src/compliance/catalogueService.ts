import { randomUUID } from 'node:crypto';
import type { RequestGateway } from '../db/gateway';
import { badUserInput } from '../errors';
import type { EstateService } from '../estate/estateService';
import { entityKey, EntityRow } from '../estate/model';
import type { Logger } from '../logger';
import { ATLAS_SEED_LINK_SOURCE, withoutShippedAtlas } from './atlasSeed';
import { ATLAS_SEED_FRAMEWORK, AtlasCounts, CatalogueBatch, parseAtlas, readSeedCatalogue } from './catalogue';
import { complianceRepository as repo, SatisfiesWriteRow } from './complianceRepository';
import { requirementKey, SatisfactionCoverage } from './model';
import { soaRepository } from './soaRepository';

/** The demo organisation's compliance claims, loaded after the demo estate (seed/demo-compliance.json). */
export interface DemoComplianceFile {
  source: string;
  estateSource: string;
  satisfies: Array<{ control: string; framework: string; identifier: string; coverage: SatisfactionCoverage; rationale: string }>;
  notApplicable: Array<{ framework: string; identifier: string; rationale: string }>;
  /** Controls included in a Statement of Applicability with a stated justification (exclusions are `notApplicable`). */
  applicable?: Array<{ framework: string; identifier: string; justification: string }>;
}

/** The keys of the demo controls a demo file claims for. */
export const demoControlKeys = (demo: DemoComplianceFile): string[] => [...new Set(demo.satisfies.map((item) => entityKey('Control', demo.estateSource, item.control)))];

/**
 * The demo file's claims as rows to write, each control by its id among `controls` (the demo
 * estate's), and every requirement they or its declarations name. Throws on a control the demo
 * estate lacks: a broken seed must stop the start.
 */
export function planDemoClaims(demo: DemoComplianceFile, controls: EntityRow[]): { satisfies: SatisfiesWriteRow[]; requirementKeys: string[] } {
  const idByExternalId = new Map(controls.map((row) => [row.externalId, row.id]));
  const satisfies = demo.satisfies.map((item) => {
    const controlId = idByExternalId.get(item.control);
    if (!controlId) throw new Error(`demo compliance: no demo control ${item.control}`);
    return { controlId, requirementKey: requirementKey(item.framework, item.identifier), coverage: item.coverage, rationale: item.rationale, source: demo.source };
  });
  const declared = [...demo.notApplicable, ...(demo.applicable ?? [])].map((item) => requirementKey(item.framework, item.identifier));
  return { satisfies, requirementKeys: [...new Set([...satisfies.map((row) => row.requirementKey), ...declared])] };
}

/**
 * What comes from files: the seed catalogues and crosswalks, the MITRE ATLAS distribution, and the
 * demo organisation's claims. Each load is one transaction.
 */
export class CatalogueService {
  constructor(
    private readonly db: RequestGateway,
    private readonly estate: EstateService,
  ) {}

  /**
   * Loads the seed catalogues and crosswalks in one transaction. Skips the work when the files are
   * unchanged since the last load (unless forced), so every start pays only one small query, and a
   * database seeded by an older checkout takes the new files on its next start. Once ATLAS has been
   * imported from a distribution file, the shipped ATLAS catalogue is left out (withoutShippedAtlas).
   */
  async loadSeedCatalogue(options: { force?: boolean; logger?: Logger } = {}): Promise<{ loaded: boolean; requirements: number; mappings: number }> {
    const { batch, fingerprint } = readSeedCatalogue();
    return this.db.writeTx(async (tx) => {
      const previous = await repo.lockCatalogue(tx);
      if (previous === fingerprint && !options.force) return { loaded: false, requirements: batch.requirements.length, mappings: batch.mappings.length };
      const [atlas] = await repo.frameworks(tx, [ATLAS_SEED_FRAMEWORK]);
      const write: CatalogueBatch = atlas?.importedFrom ? withoutShippedAtlas(batch) : batch;
      await repo.writeCatalogue(tx, write);
      await repo.recordCatalogueLoad(tx, fingerprint);
      options.logger?.info('compliance catalogues loaded', { requirements: write.requirements.length, mappings: write.mappings.length });
      return { loaded: true, requirements: write.requirements.length, mappings: write.mappings.length };
    });
  }

  /**
   * Imports MITRE ATLAS from its distribution file (ATLAS.yaml): idempotent, one transaction, under
   * the same lock as the seed load. Existing OWASP crosswalks keep pointing at the same identifiers.
   * Into the shipped framework, the file's links replace the shipped ones (a newer release may drop
   * some), so their source is withdrawn in the same transaction.
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
      const replacesShipped = frameworkKey === ATLAS_SEED_FRAMEWORK;
      await repo.writeCatalogue(tx, replacesShipped ? { ...parsed.batch, mappingSources: [...parsed.batch.mappingSources, ATLAS_SEED_LINK_SOURCE] } : parsed.batch);
    });
    return { ...parsed.counts, framework: frameworkKey, version: parsed.batch.frameworks[0].version };
  }

  /**
   * Records the demo organisation's claims and declarations as they stood from `at` (a round of the
   * demo's history, src/seed/demoHistory.ts); idempotent (a claim sent again unchanged keeps its
   * validity, and no repeat declarations).
   */
  async loadDemoCompliance(demo: DemoComplianceFile, at: string): Promise<{ satisfies: number; notApplicable: number }> {
    // Read before the write, through the estate's reads: an unlocked read inside the transaction
    // would not hold the controls either, and the write itself fails if one has gone meanwhile.
    const plan = planDemoClaims(demo, await this.estate.byKeys(demoControlKeys(demo)));
    return this.db.writeTx(async (tx) => {
      const found = new Set((await repo.requirementsByKeys(tx, plan.requirementKeys)).map((row) => row.key));
      const missing = plan.requirementKeys.filter((key) => !found.has(key));
      if (missing.length > 0) throw new Error(`demo compliance: unknown requirements ${missing.join(', ')}`);
      await repo.upsertSatisfies(tx, plan.satisfies, 'seed', at);
      const active = new Map((await repo.applicability(tx, plan.requirementKeys)).map((row) => [row.key, row.declarations.find((d) => !d.withdrawnAt)]));
      let declared = 0;
      for (const item of demo.notApplicable) {
        const key = requirementKey(item.framework, item.identifier);
        if (active.get(key)?.rationale === item.rationale) continue;
        await repo.declareNotApplicable(tx, { id: randomUUID(), requirementKey: key, rationale: item.rationale, actor: 'seed', now: at });
        declared += 1;
      }
      const inclusions = demo.applicable ?? [];
      const decided = new Map((await soaRepository.context(tx, inclusions.map((item) => requirementKey(item.framework, item.identifier)), [], null)).decisions.map((row) => [row.key, row.decisions]));
      for (const item of inclusions) {
        const key = requirementKey(item.framework, item.identifier);
        const inForce = decided.get(key)?.find((decision) => !decision.endedAt);
        if (inForce?.included && inForce.justification === item.justification) continue;
        await soaRepository.decide(tx, { id: randomUUID(), requirementKey: key, included: true, justification: item.justification, actor: 'seed', at });
      }
      return { satisfies: plan.satisfies.length, notApplicable: declared };
    });
  }
}
