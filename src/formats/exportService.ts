import type { ComplianceService } from '../compliance/complianceService';
import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { badUserInput, notFound } from '../errors';
import type { EntityType, RelationshipType } from '../estate/model';
import type { CoverageScope } from '../generated/graphql';
import { buildAiBom } from './cyclonedx/exporter';
import { formatsRepository as repo } from './formatsRepository';
import { buildAssessmentResults } from './oscal/assessmentResults';

/** The records an AI-BOM holds: components (models, datasets, agents) and the parties they name. */
const AIBOM_TYPES: readonly EntityType[] = ['AIModel', 'Dataset', 'Agent', 'Vendor', 'Owner'];
/** What a record rests on, followed from it for a one-record AI-BOM; vendors and owners are reached last. */
const CLOSURE_TYPES: readonly RelationshipType[] = ['BASED_ON', 'TRAINED_ON', 'FINE_TUNED_ON', 'EVALUATED_ON', 'DERIVED_FROM', 'USES_MODEL', 'RETRIEVES_FROM', 'CAN_INVOKE', 'PROVIDED_BY', 'OWNED_BY'];

export interface AiBomScope {
  /** One record's dependency closure instead of the estate. */
  root?: string | null;
  /** Only this source's records. */
  source?: string | null;
}

/** Exports of the estate and its coverage in the ecosystem's formats; every role may read them. */
export class ExportService {
  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly compliance: ComplianceService,
  ) {}

  /** A CycloneDX 1.6 ML-BOM of the estate, or of what one record rests on. */
  async aiBom(scope: AiBomScope = {}): Promise<Record<string, unknown>> {
    return this.db.readTx(async (tx) => {
      const { traversalNodeLimit, maxTraversalDepth } = this.config.limits;
      let records = scope.root ? await repo.closure(tx, scope.root, CLOSURE_TYPES, maxTraversalDepth, traversalNodeLimit) : await repo.records(tx, AIBOM_TYPES, scope.source ?? null);
      if (scope.root) {
        if (records.length === 0) throw notFound(`Record ${scope.root}`);
        if (records.length > traversalNodeLimit) {
          throw badUserInput(`The dependency closure of ${scope.root} holds more than TRAVERSAL_NODE_LIMIT=${traversalNodeLimit} records; export the estate instead`, [{ path: 'root', message: 'closure too large' }]);
        }
        records = records.filter((record) => AIBOM_TYPES.includes(record.type) && (!scope.source || record.source === scope.source));
      }
      const relationships = await repo.outgoing(tx, records.map((record) => record.id), CLOSURE_TYPES);
      return buildAiBom(records, relationships);
    });
  }

  /** A framework's coverage (scoped and dated as the coverage query is) as an OSCAL 1.1 assessment-results document. */
  async oscal(framework: string, scope: CoverageScope | null, asOf: Date | null = null): Promise<Record<string, unknown>> {
    return buildAssessmentResults(await this.compliance.coverage(framework, scope, asOf));
  }
}
