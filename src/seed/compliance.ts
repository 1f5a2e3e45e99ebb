import { readRiskCategoryMappings } from '../compliance/riskCategories';
import type { Logger } from '../logger';
import type { ApiServer } from '../server';

/**
 * Loads the framework catalogues and crosswalks shipped in seed/ (the whole ATLAS matrix among them;
 * `npm run import:atlas` brings a newer release and ATLAS's own descriptions). Runs at every start:
 * it is one small query when the files have not changed since the last load. The register's
 * risk categories are checked against the catalogue first, so a broken mapping stops the start too.
 */
export async function loadComplianceCatalogues(server: ApiServer, logger: Logger): Promise<void> {
  readRiskCategoryMappings();
  const context = server.createContext('LoadComplianceCatalogues', 'seed');
  await context.services.catalogue.loadSeedCatalogue({ logger });
}
