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
      await withRetries(() => gateway.runAutoCommit(statement));
      applied += 1;
    }
  }
  await gateway.runAutoCommit('CALL db.awaitIndexes(300)');
  logger.info('migrations applied', { statements: applied });
  return applied;
}

/**
 * Two processes migrating a fresh database at once (the test run's two workers, or two replicas)
 * collide on schema locks: Neo4j answers DeadlockDetected, or EquivalentSchemaRuleAlreadyExists
 * when the other one created the rule first. Every statement is IF NOT EXISTS, so running it again
 * once the other process is done is safe; a real problem still fails after the last attempt.
 */
async function withRetries(work: () => Promise<void>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.floor(Math.random() * 100)));
    }
  }
}
