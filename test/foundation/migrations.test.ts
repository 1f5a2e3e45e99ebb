import { CypherCatalog, splitStatements } from '../../src/db/cypherCatalog';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { applyMigrations } from '../../src/db/migrations';
import { silentLogger } from '../../src/logger';

test('migrations apply twice with the same result', async () => {
  const driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
  const gateway = new Neo4jGateway(driver, 'neo4j', CypherCatalog.load(), silentLogger);
  const schemaNames = async () => {
    const session = driver.session();
    try {
      const constraints = await session.run('SHOW CONSTRAINTS YIELD name RETURN name');
      const indexes = await session.run('SHOW INDEXES YIELD name, state RETURN name, state');
      return {
        constraints: constraints.records.map((r) => r.get('name') as string).sort(),
        indexes: indexes.records.map((r) => `${r.get('name')}:${r.get('state')}`).sort(),
      };
    } finally {
      await session.close();
    }
  };
  try {
    const first = await applyMigrations(gateway, silentLogger);
    const afterFirst = await schemaNames();
    const second = await applyMigrations(gateway, silentLogger);
    expect(second).toBe(first);
    expect(await schemaNames()).toEqual(afterFirst);
    expect(afterFirst.constraints).toEqual(expect.arrayContaining(['entity_id', 'entity_key', 'api_key_id']));
    expect(afterFirst.constraints).not.toContain('audit_event_id');
    expect(afterFirst.indexes.every((index) => index.endsWith(':ONLINE'))).toBe(true);
  } finally {
    await gateway.close();
  }
});

test('statement files split on semicolons at line ends and drop comment lines', () => {
  expect(splitStatements('// why\nCREATE A;\nCREATE B;\n\n')).toEqual(['CREATE A', 'CREATE B']);
});
