import { randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import { AgentService } from './agents/agentService';
import { Access, Principal, SYSTEM_PRINCIPAL } from './auth/access';
import { ApiKeyService } from './auth/apiKeys';
import type { Config } from './config';
import type { Neo4jGateway, RequestGateway } from './db/gateway';
import { CatalogueService } from './compliance/catalogueService';
import { ClaimService } from './compliance/claimService';
import { ComplianceService } from './compliance/complianceService';
import { SoaService } from './compliance/soaService';
import { EditService } from './estate/editService';
import { EstateService } from './estate/estateService';
import { SyncService } from './estate/syncService';
import { HistoryService } from './history/historyService';
import { ExportService } from './formats/exportService';
import { ImportService } from './formats/importService';
import { CompromiseService } from './lineage/compromiseService';
import { IncidentService } from './incidents/incidentService';
import { PolicyService } from './policies/policyService';
import { ShadowService } from './shadow/shadowService';
import { LineageService } from './lineage/lineageService';
import { SystemService } from './systems/systemService';
import { GateService } from './gates/gateService';
import { VendorService } from './vendors/vendorService';
import { SignalService } from './signals/signalService';
import { WeightedSemaphore } from './weightedSemaphore';
import type { Logger } from './logger';

/** The rules of each domain, built per request around that request's gateway view and loaders. */
export interface Services {
  /** Reading the estate: records, lists, neighbours, history. */
  estate: EstateService;
  /** Hand edits of records and relationships. */
  edits: EditService;
  /** Bulk sync from inventory tools. */
  sync: SyncService;
  /** The graph as it was at an instant, and what changed between two. */
  history: HistoryService;
  compromise: CompromiseService;
  /** Incidents run on playbooks: step progress, time to contain and to close. */
  incidents: IncidentService;
  /** Shadow AI: discovery sources, what they find, registration and dismissal. */
  shadow: ShadowService;
  /** Policies and their acknowledgements; assets nobody owns. */
  policies: PolicyService;
  /** Reading compliance: catalogues, crosswalks, claims, coverage, posture. */
  compliance: ComplianceService;
  /** Mappings, satisfaction claims and applicability, asserted by hand. */
  claims: ClaimService;
  /** The ISO/IEC 42001 Statement of Applicability: read, and controls included or excluded. */
  soa: SoaService;
  /** Catalogues, ATLAS and the demo claims, loaded from files. */
  catalogue: CatalogueService;
  lineage: LineageService;
  /** Least privilege for agents: effective privileges through invocations, findings, who reaches a tool. */
  agents: AgentService;
  /** AI systems under the EU AI Act: classification, proposals, the obligations that apply. */
  systems: SystemService;
  /** The vendor risk programme: assessments, reviews due, tiers with exposure, changes since a review. */
  vendors: VendorService;
  /** Lifecycle gates: approvals written, overdue conditions, recorded exceptions. */
  gates: GateService;
  /** Monitoring signals: recorded in hourly buckets, judged by rules that open incidents. */
  signals: SignalService;
  apiKeys: ApiKeyService;
  /** Documents in the ecosystem's formats (CycloneDX...), imported as syncs. */
  formats: ImportService;
  /** The estate in the ecosystem's formats (the AI-BOM, OSCAL assessment results). */
  exports: ExportService;
}

/** What every resolver receives: built fresh for each request, loaders included. */
export interface GraphQLContext {
  requestId: string;
  /** Who the audit history names for this request's writes. */
  actor: string;
  /** What the caller may do; services ask it before they write. */
  access: Access;
  config: Config;
  logger: Logger;
  db: RequestGateway;
  services: Services;
}

/** What request contexts are built from: made once at start. */
export interface ContextDependencies {
  config: Config;
  logger: Logger;
  gateway: Neo4jGateway;
  /** The executable schema, whose input types check patches as GraphQL checks a create. */
  schema: GraphQLSchema;
}

/**
 * Builds one request's context. A caller given as a plain name is the project's own work (a seed,
 * a script) acting with full rights under that name.
 */
export type ContextFactory = (operation: string | undefined, caller?: Principal | string, requestId?: string) => GraphQLContext;

/** A principal for the project's own work (seeding, scripts): full rights, named in the audit. */
export const systemPrincipal = (name: string): Principal => ({ ...SYSTEM_PRINCIPAL, name });

/** The one place where request contexts are made: the server, export routes, seeds, scripts and tests all take it. */
export function createContextFactory(deps: ContextDependencies): ContextFactory {
  const signalAdmission = new WeightedSemaphore(deps.config.limits.signalsInFlight);
  return (operation, caller = SYSTEM_PRINCIPAL, requestId = randomUUID()) => {
    const principal = typeof caller === 'string' ? systemPrincipal(caller) : caller;
    const db = deps.gateway.forRequest({ operation, requestId });
    const access = new Access(principal);
    const estate = new EstateService(db, deps.config);
    const edits = new EditService(db, deps.schema, access, estate, deps.config.gates.enforcement);
    const sync = new SyncService(db, deps.config, access);
    const history = new HistoryService(db, deps.config);
    const systems = new SystemService(db, access, estate, edits, history);
    const compliance = new ComplianceService(db, estate, systems);
    return {
      requestId,
      actor: access.actor,
      access,
      config: deps.config,
      logger: deps.logger,
      db,
      services: {
        estate,
        edits,
        sync,
        history,
        compromise: new CompromiseService(db, access, edits, new LineageService(db, deps.config)),
        incidents: new IncidentService(db, access, estate, history, edits),
        shadow: new ShadowService(db, access, estate, history, edits, sync),
        policies: new PolicyService(db, deps.config, access, estate, history, edits),
        compliance,
        claims: new ClaimService(db, access, compliance, estate),
        soa: new SoaService(db, access, compliance),
        catalogue: new CatalogueService(db, estate),
        lineage: new LineageService(db, deps.config),
        agents: new AgentService(db),
        systems,
        vendors: new VendorService(db, deps.config, estate, sync, new LineageService(db, deps.config), new HistoryService(db, deps.config)),
        gates: new GateService(db, estate, sync),
        signals: new SignalService(db, deps.config, access, estate, history, signalAdmission),
        apiKeys: new ApiKeyService(db, access),
        formats: new ImportService(sync, deps.schema, deps.config, access),
        exports: new ExportService(db, deps.config, compliance),
      },
    };
  };
}
