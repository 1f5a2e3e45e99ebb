import type { Logger } from '../logger';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';

export const DEMO_COMPLIANCE_FILE = projectPath('seed/demo-compliance.json');

/**
 * Loads the framework catalogues and crosswalks shipped in seed/ (ATLAS as identifiers and names
 * only; `npm run import:atlas` brings the full matrix). Runs at every start: it is one small query
 * when the files have not changed since the last load.
 */
export async function loadComplianceCatalogues(server: ApiServer, logger: Logger): Promise<void> {
  const context = server.createContext('LoadComplianceCatalogues', 'seed');
  await context.services.catalogue.loadSeedCatalogue({ logger });
}

/** The demo organisation's control-to-requirement claims and not-applicable declarations. */
export async function loadDemoCompliance(server: ApiServer, logger: Logger): Promise<void> {
  const context = server.createContext('SeedDemoCompliance', 'seed');
  const result = await context.services.catalogue.loadDemoCompliance(DEMO_COMPLIANCE_FILE);
  logger.info('demo compliance loaded', result);
}
