import fs from 'node:fs';
import type { Logger } from '../logger';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';

export const DEMO_ESTATE_FILE = projectPath('seed/demo-estate.json');

const SYNC_DEMO = `mutation SeedDemoEstate($input: SyncInventoryInput!) {
  syncInventory(input: $input) { ok assets { created updated unchanged } relationships { created updated unchanged } }
}`;

/**
 * Loads the demo organisation through the public sync mutation, exactly as an inventory tool would,
 * so the demo also exercises the path users depend on. Does nothing once the demo source has data.
 */
export async function loadDemoEstate(server: ApiServer, logger: Logger): Promise<boolean> {
  const variables = JSON.parse(fs.readFileSync(DEMO_ESTATE_FILE, 'utf8')) as { input: { source: string } };
  const context = server.createContext('SeedDemoEstate', 'seed');
  const existing = await context.services.estate.list(null, { source: variables.input.source }, 1, null, false);
  if (existing.nodes.length > 0) return false;
  const response = await server.apollo.executeOperation({ query: SYNC_DEMO, variables }, { contextValue: context });
  if (response.body.kind !== 'single' || response.body.singleResult.errors) {
    throw new Error(`Loading the demo estate failed: ${JSON.stringify(response.body.kind === 'single' ? response.body.singleResult.errors : response.body)}`);
  }
  logger.info('demo estate loaded', { result: response.body.singleResult.data });
  return true;
}
