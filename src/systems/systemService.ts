import type { Access } from '../auth/access';
import { complianceRepository } from '../compliance/complianceRepository';
import type { AsOf } from '../compliance/complianceService';
import { ASSESSABLE_KINDS, RequirementRow, ScopedRequirementRow } from '../compliance/model';
import type { RequestGateway, Tx } from '../db/gateway';
import { badUserInput, failOnProblems, InputProblem, notFound } from '../errors';
import type { EditService } from '../estate/editService';
import type { EstateService } from '../estate/estateService';
import type { EntityRow } from '../estate/model';
import type { AiSystemClassificationInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import type { HistoryService } from '../history/historyService';
import { AI_ACT, applyApplicability, ClassifiedSystem, dayOf, ObligationCheck, systemObligations, UpcomingItem, upcomingObligations } from './applicability';
import { checkClassification, Classification, classificationOf } from './classification';
import { Proposal, proposeClassification } from './proposal';
import { systemRepository as repo } from './systemRepository';

export interface SystemObligationsView {
  system: EntityRow;
  date: string;
  asOf: string | null;
  classification: Classification | null;
  obligations: ObligationCheck[];
}

export type ProposalView = Proposal & { system: EntityRow };

export interface UpcomingView extends Omit<UpcomingItem, 'systemIds'> {
  systems: EntityRow[];
}

const classifiedSystem = (row: EntityRow): ClassifiedSystem | null => {
  const classification = classificationOf(row);
  return classification && {
    id: row.id,
    name: row.name,
    roles: classification.roles,
    categories: classification.categories,
    exception: classification.exception !== null,
    annexI: classification.annexILegislation !== null,
  };
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * AI systems under the EU AI Act: their classification (a person's recorded decision, written
 * through the estate's edit path so that it is versioned and audited), a classification proposed
 * from the graph, and which obligations apply (src/systems/applicability.ts decides). Built per
 * request; the coverage map asks it for the AI Act's applicability (aiActRows).
 */
export class SystemService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly estate: EstateService,
    private readonly edits: EditService,
    private readonly history: HistoryService,
  ) {}

  /** Records a classification: COMPLIANCE or ADMIN, checked against the regulation, one audited version. */
  async classify(systemId: string, input: AiSystemClassificationInput, expectedVersion: number | null | undefined): Promise<EntityRow> {
    this.access.requireCompliance('classifying an AI system');
    const problems: InputProblem[] = [];
    const fields = checkClassification(input, this.access.actor, '', problems);
    failOnProblems(problems, 'classification');
    return this.edits.write(
      systemId,
      expectedVersion,
      {
        admit: (existing) => {
          if (existing.type !== 'AISystem') throw badUserInput(`Only AI systems are classified, not a ${existing.type}`, [{ path: 'systemId', message: existing.type }]);
        },
        reason: 'EU AI Act classification',
      },
      (_existing, now) => ({ ...fields!, classifiedAt: now }),
    );
  }

  async propose(systemId: string): Promise<ProposalView> {
    const graph = await this.db.readTx((tx) => repo.graph(tx, systemId));
    if (!graph) throw notFound(`AI system ${systemId}`);
    return { system: graph.system, ...proposeClassification(graph) };
  }

  /** The system as it stood at `asOf` (now without), NOT_FOUND when it was no AI system then. */
  private async systemAt(systemId: string, asOf: Date | null): Promise<EntityRow> {
    const row = asOf ? await this.history.recordAt(systemId, asOf.toISOString()) : await this.estate.byId.load(systemId);
    if (row?.type !== 'AISystem') throw notFound(`AI system ${systemId}${asOf ? ` at ${asOf.toISOString()}` : ''}`);
    return row;
  }

  private obligationCatalogue(tx: Tx): Promise<RequirementRow[]> {
    return complianceRepository.listRequirements(tx, AI_ACT, ['OBLIGATION'], null);
  }

  async obligations(systemId: string, asOfArg?: AsOf): Promise<SystemObligationsView> {
    const asOf = await checkAsOf(this.db, asOfArg);
    const system = await this.systemAt(systemId, asOf);
    const date = dayOf(asOf ?? new Date());
    const classification = classificationOf(system);
    const classified = classifiedSystem(system);
    const obligations = classified ? systemObligations(await this.db.readTx((tx) => this.obligationCatalogue(tx)), classified, date) : [];
    return { system, date, asOf: asOf?.toISOString() ?? null, classification, obligations };
  }

  async upcoming(before: string, asOfArg?: AsOf): Promise<UpcomingView[]> {
    if (!DATE.test(before)) throw badUserInput('before must be a date such as 2026-08-02', [{ path: 'before', message: 'not a date' }]);
    const asOf = await checkAsOf(this.db, asOfArg);
    const date = dayOf(asOf ?? new Date());
    const { systems, obligations, rows } = await this.db.readTx(async (tx) => {
      const params = { frameworks: [AI_ACT], kinds: [...ASSESSABLE_KINDS, 'OBLIGATION'], assetId: null, riskTier: null, tierAnchors: {} };
      const coverage = asOf ? await complianceRepository.coverageAsOf(tx, { ...params, asOf }) : await complianceRepository.coverage(tx, { ...params, now: new Date().toISOString() });
      return { systems: await repo.classified(tx, asOf), obligations: await this.obligationCatalogue(tx), rows: coverage.rows };
    });
    const classified = systems.map(classifiedSystem).filter((system) => system !== null);
    const byId = new Map(systems.map((system) => [system.id, system]));
    return upcomingObligations(rows, obligations, classified, before, date).map(({ systemIds, ...item }) => ({ ...item, systems: systemIds.map((id) => byId.get(id)!) }));
  }

  /**
   * An AI Act map's rows with applicability decided (the coverage map's scoping): organisation-wide,
   * each requirement that applies to none of the classified systems becomes NOT_APPLICABLE with the
   * reason; for one system, only what applies to it, with only the controls that count for it.
   */
  async aiActRows(rows: ScopedRequirementRow[], systemId: string | null, asOf: Date | null, at: string): Promise<ScopedRequirementRow[]> {
    const date = dayOf(asOf ?? at);
    if (systemId === null) {
      const { systems, obligations } = await this.db.readTx(async (tx) => ({ systems: await repo.classified(tx, asOf), obligations: await this.obligationCatalogue(tx) }));
      return applyApplicability(rows, obligations, systems.map(classifiedSystem).filter((system) => system !== null), date, at);
    }
    const system = await this.systemAt(systemId, asOf);
    const classified = classifiedSystem(system);
    if (!classified) throw badUserInput(`AI system "${system.name}" is not classified${asOf ? ` at ${asOf.toISOString()}` : ''}: classifyAISystem first`, [{ path: 'scope.systemId', message: 'not classified' }]);
    const controlIds = [...new Set(rows.flatMap((row) => row.controls.map((claim) => claim.control.id)))];
    const { obligations, counting } = await this.db.readTx(async (tx) => ({
      obligations: await this.obligationCatalogue(tx),
      counting: await repo.countingControls(tx, systemId, controlIds, asOf),
    }));
    const scoped = rows.map((row) => ({ ...row, controls: row.controls.filter((claim) => counting.has(claim.control.id)) }));
    return applyApplicability(scoped, obligations, [classified], date, at, true);
  }
}
