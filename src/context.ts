import type { GraphQLSchema } from 'graphql';
import type { Access } from './auth/access';
import type { ApiKeyService } from './auth/apiKeys';
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
  apiKeys: ApiKeyService;
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
  schema: GraphQLSchema;
  db: RequestGateway;
  services: Services;
}
