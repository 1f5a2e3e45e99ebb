import { randomUUID } from 'node:crypto';
import type { Access } from '../auth/access';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, failOnProblems, InputProblem, notFound } from '../errors';
import type { EstateService } from '../estate/estateService';
import type { EntityRow } from '../estate/model';
import type { MapRequirementsInput, RequirementRefInput } from '../generated/graphql';
import { checkName, checkText } from '../inputLimits';
import { complianceRepository as repo } from './complianceRepository';
import type { ComplianceService } from './complianceService';
import { ApplicabilityRow, MAPPING_TYPES, MappingRow, requirementKey, RequirementRow, SatisfactionCoverage } from './model';

/** A rationale: required free text, under the limits every domain shares. */
function checkRationale(value: string, field: string): string {
  const problems: InputProblem[] = [];
  checkText(value, field, problems, { required: true });
  failOnProblems(problems, field);
  return value.trim();
}

/**
 * What the compliance team asserts by hand: crosswalk mappings, satisfaction claims and
 * not-applicable declarations. Mappings and claims check the records they link inside the
 * transaction that writes them.
 */
export class ClaimService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly reads: ComplianceService,
    private readonly estate: EstateService,
  ) {}

  async mapRequirements(input: MapRequirementsInput): Promise<MappingRow> {
    this.access.requireCompliance('Editing crosswalk mappings');
    const rationale = checkRationale(input.rationale, 'rationale');
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

  async satisfy(
    controlId: string,
    ref: RequirementRefInput,
    coverage: SatisfactionCoverage,
    rationale: string,
  ): Promise<{ control: EntityRow; requirement: RequirementRow; coverage: SatisfactionCoverage; rationale: string }> {
    this.access.requireCompliance('Claiming that a control satisfies a requirement');
    const text = checkRationale(rationale, 'rationale');
    if (coverage !== 'FULL' && coverage !== 'PARTIAL') throw badUserInput('coverage must be FULL or PARTIAL');
    const key = requirementKey(ref.framework, ref.identifier);
    await this.db.writeTx(async (tx) => {
      const endpoints = await repo.satisfyEndpoints(tx, controlId, key);
      if (!endpoints.controlType) throw notFound(`Control ${controlId}`);
      if (endpoints.controlType !== 'Control') throw badUserInput(`SATISFIES goes from a Control, not from a ${endpoints.controlType}`, [{ path: 'controlId', message: `is a ${endpoints.controlType}` }]);
      if (!endpoints.requirementFound) throw notFound(`Requirement ${key}`);
      await repo.upsertSatisfies(tx, [{ controlId, requirementKey: key, coverage, rationale: text, source: 'manual' }], this.access.actor, new Date().toISOString());
    });
    // Read after the commit, through the loaders every resolver uses: the payload shows the
    // control and requirement as the next request will.
    const control = await this.estate.byId.load(controlId);
    if (!control) throw codedError('INTERNAL_SERVER_ERROR', 'A control vanished right after a claim on it was written');
    this.reads.requirementByKey.clear(key);
    return { control, requirement: await this.reads.linkedRequirement(key), coverage, rationale: text };
  }

  async unsatisfy(controlId: string, ref: RequirementRefInput): Promise<{ removed: boolean }> {
    this.access.requireCompliance('Withdrawing a satisfaction claim');
    // The claim ends rather than vanishes: coverage as of an earlier instant still counts it.
    const removed = await this.db.writeTx((tx) => repo.deleteSatisfies(tx, controlId, requirementKey(ref.framework, ref.identifier), new Date().toISOString()));
    return { removed };
  }

  async declareNotApplicable(ref: RequirementRefInput, rationale: string): Promise<ApplicabilityRow> {
    this.access.requireCompliance('Declaring a requirement not applicable');
    const text = checkRationale(rationale, 'rationale');
    const requirement = await this.reads.existingRequirement(ref);
    return this.db.writeTx((tx) => repo.declareNotApplicable(tx, { id: randomUUID(), requirementKey: requirement.key, rationale: text, actor: this.access.actor, now: new Date().toISOString() }));
  }

  async withdrawNotApplicable(ref: RequirementRefInput): Promise<{ removed: boolean }> {
    this.access.requireCompliance('Withdrawing a not-applicable declaration');
    const requirement = await this.reads.existingRequirement(ref);
    const withdrawn = await this.db.writeTx((tx) => repo.withdrawNotApplicable(tx, requirement.key, this.access.actor, new Date().toISOString()));
    return { removed: withdrawn > 0 };
  }
}
