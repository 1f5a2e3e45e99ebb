import type { Logger } from '../logger';
import { splitStatements } from './cypherCatalog';
import type { Neo4jGateway } from './gateway';

/**
 * Applies every statement under `cypher/migrations/`, in file order. Statements are written with
 * IF NOT EXISTS, so running them again on a migrated database changes nothing.
 */
export async function applyMigrations(gateway: Neo4jGateway, logger: Logger): Promise<number> {
  let applied = 0;
  for (const name of gateway.catalog.namesUnder('migrations')) {
    for (const statement of splitStatements(gateway.catalog.get(name))) {
      await gateway.runAutoCommit(statement);
      applied += 1;
    }
  }
  await gateway.runAutoCommit('CALL db.awaitIndexes(300)');
  logger.info('migrations applied', { statements: applied });
  return applied;
}
