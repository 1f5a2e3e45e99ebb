import type { GraphQLSchema } from 'graphql';
import type { Config } from './config';
import type { RequestGateway } from './db/gateway';
import type { ComplianceService } from './compliance/complianceService';
import type { EstateService } from './estate/estateService';
import type { LineageService } from './lineage/lineageService';
import type { Logger } from './logger';

/** The rules of each domain, built per request around that request's gateway view and loaders. */
export interface Services {
  estate: EstateService;
  compliance: ComplianceService;
  lineage: LineageService;
}

/** What every resolver receives: built fresh for each request, loaders included. */
export interface GraphQLContext {
  requestId: string;
  /** Who the audit history names for this request's writes. */
  actor: string;
  config: Config;
  logger: Logger;
  schema: GraphQLSchema;
  db: RequestGateway;
  services: Services;
}
