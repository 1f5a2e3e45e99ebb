import type { Resolvers } from './generated/graphql';
import { agentResolvers } from './agents/resolvers';
import { gateResolvers } from './gates/resolvers';
import { vendorResolvers } from './vendors/resolvers';
import { authResolvers } from './auth/resolvers';
import { baseResolvers } from './base/resolvers';
import { estateResolvers } from './estate/resolvers';
import { complianceResolvers } from './compliance/resolvers';
import { soaResolvers } from './compliance/soaResolvers';
import { formatsResolvers } from './formats/resolvers';
import { historyResolvers } from './history/resolvers';
import { lineageResolvers } from './lineage/resolvers';
import { systemResolvers } from './systems/resolvers';
import { incidentResolvers } from './incidents/resolvers';
import { policyResolvers } from './policies/resolvers';
import { shadowResolvers } from './shadow/resolvers';
import { signalResolvers } from './signals/resolvers';

/** Every domain's resolvers, merged into one map by the schema builder. */
export const resolvers: Resolvers[] = [baseResolvers, authResolvers, estateResolvers, lineageResolvers, complianceResolvers, formatsResolvers, historyResolvers, agentResolvers, systemResolvers, vendorResolvers, gateResolvers, incidentResolvers, shadowResolvers, policyResolvers, signalResolvers, soaResolvers];
