import { CypherCatalog, splitStatements } from '../../src/db/cypherCatalog';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { applyMigrations } from '../../src/db/migrations';
import { silentLogger } from '../../src/logger';

test('migrations create every named rule once: a second run changes nothing, a dropped rule stays dropped', async () => {
  const driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
  const catalog = CypherCatalog.load();
  const gateway = new Neo4jGateway(driver, 'neo4j', catalog, silentLogger);
  // Ids change when a rule is dropped and created again, so equal ids prove the rules were kept.
  const schemaRules = async () => {
    const session = driver.session();
    try {
      const constraints = await session.run('SHOW CONSTRAINTS YIELD id, name RETURN name, id');
      const indexes = await session.run('SHOW INDEXES YIELD id, name, state RETURN name, id, state');
      return {
        constraints: Object.fromEntries(constraints.records.map((r) => [r.get('name') as string, String(r.get('id'))])),
        indexes: Object.fromEntries(indexes.records.map((r) => [r.get('name') as string, `${String(r.get('id'))}:${r.get('state')}`])),
      };
    } finally {
      await session.close();
    }
  };
  const statements = catalog.namesUnder('migrations').flatMap((name) => splitStatements(catalog.get(name)));
  const created = statements.map((statement) => /^CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/.exec(statement)).filter((match): match is RegExpExecArray => match !== null);
  const dropped = statements.map((statement) => /^DROP (?:CONSTRAINT|INDEX) (\w+) IF EXISTS/.exec(statement)?.[1]).filter((name): name is string => name !== undefined);
  try {
    await applyMigrations(gateway, silentLogger);
    const afterFirst = await schemaRules();
    await applyMigrations(gateway, silentLogger);
    expect(await schemaRules()).toEqual(afterFirst);
    expect(created.length).toBeGreaterThan(10);
    for (const [, kind, name] of created) expect(Object.keys(kind === 'CONSTRAINT' ? afterFirst.constraints : afterFirst.indexes)).toContain(name);
    for (const name of dropped) expect(Object.keys(afterFirst.constraints)).not.toContain(name);
    expect(Object.values(afterFirst.indexes).every((index) => index.endsWith(':ONLINE'))).toBe(true);
  } finally {
    await gateway.close();
  }
});

test('statement files split on semicolons at line ends and drop comment lines', () => {
  expect(splitStatements('// why\nCREATE A;\nCREATE B;\n\n')).toEqual(['CREATE A', 'CREATE B']);
});
