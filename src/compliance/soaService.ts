import { randomUUID } from 'node:crypto';
import type { Access } from '../auth/access';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, codedError, failOnProblems, InputProblem, notFound } from '../errors';
import type { RequirementRefInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import { checkText } from '../inputLimits';
import { complianceRepository } from './complianceRepository';
import type { AsOf, ComplianceService } from './complianceService';
import type { RequirementKind } from './model';
import { buildStatement, SoaEntry, StatementOfApplicability } from './soa';
import { soaRepository as repo } from './soaRepository';

/** The catalogue a Statement of Applicability is asked for when none is named. */
export const SOA_FRAMEWORK = 'iso-42001';
/** What a statement lists: the controls, not the objectives that group them. */
const SOA_KINDS: readonly RequirementKind[] = ['CONTROL'];

/**
 * The Statement of Applicability: read from the coverage rows of a framework's controls and the
 * decisions and risks beside them, in one read transaction; written as one decision per call,
 * COMPLIANCE or ADMIN only. The demo's decisions are loaded with its claims (CatalogueService).
 */
export class SoaService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
    private readonly compliance: ComplianceService,
  ) {}

  async statement(frameworkArg: string | null | undefined, asOfArg?: AsOf): Promise<StatementOfApplicability> {
    const frameworkKey = (frameworkArg ?? SOA_FRAMEWORK).trim();
    if (!frameworkKey) throw badUserInput('framework must not be empty', [{ path: 'framework', message: 'empty' }]);
    const asOf = await checkAsOf(this.db, asOfArg);
    const now = new Date().toISOString();
    const params = { frameworks: [frameworkKey], kinds: SOA_KINDS, assetId: null, riskTier: null, tierAnchors: {} };
    const { coverage, context } = await this.db.readTx(async (tx) => {
      const coverage = asOf ? await complianceRepository.coverageAsOf(tx, { ...params, asOf }) : await complianceRepository.coverage(tx, { ...params, now });
      const keys = coverage.rows.map((row) => row.requirement.key);
      const controlIds = [...new Set(coverage.rows.flatMap((row) => row.controls.map((claim) => claim.control.id)))];
      return { coverage, context: await repo.context(tx, keys, controlIds, asOf) };
    });
    const [framework] = coverage.frameworks;
    if (!framework) throw notFound(`Framework ${frameworkKey}`);
    if (coverage.rows.length === 0) {
      throw badUserInput(`Framework ${frameworkKey} has no controls to state the applicability of`, [{ path: 'framework', message: 'no requirement of kind CONTROL' }]);
    }
    return buildStatement(framework, coverage.rows, context, now, asOf?.toISOString() ?? null);
  }

  /**
   * Includes or excludes a control. An exclusion must say why; an inclusion may (blank is none).
   * Returns the control's entry as the next request reads it.
   */
  async decide(ref: RequirementRefInput, included: boolean, justificationArg: string | null | undefined): Promise<SoaEntry> {
    this.access.requireCompliance(included ? 'Including a control in the Statement of Applicability' : 'Excluding a control from the Statement of Applicability');
    const problems: InputProblem[] = [];
    const text = justificationArg ?? '';
    checkText(text, 'justification', problems, { required: !included });
    failOnProblems(problems, 'justification');
    const justification = text.trim() || null;
    const requirement = await this.compliance.existingRequirement(ref);
    if (!SOA_KINDS.includes(requirement.kind)) {
      throw badUserInput(`${requirement.key} is a ${requirement.kind}: only controls are included in or excluded from a Statement of Applicability`, [
        { path: 'requirement', message: `kind ${requirement.kind}` },
      ]);
    }
    const written = await this.db.writeTx((tx) => repo.decide(tx, { id: randomUUID(), requirementKey: requirement.key, included, justification, actor: this.access.actor, at: null }));
    if (!written) throw codedError('INTERNAL_SERVER_ERROR', `Requirement ${requirement.key} vanished while a decision on it was written`);
    const entry = (await this.statement(requirement.framework)).entries.find((row) => row.requirement.key === requirement.key);
    if (!entry) throw codedError('INTERNAL_SERVER_ERROR', `Requirement ${requirement.key} is missing from its framework's statement`);
    return entry;
  }
}
