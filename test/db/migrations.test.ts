import { randomUUID } from 'node:crypto';
import { CypherCatalog, splitStatements } from '../../src/db/cypherCatalog';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { applyMigrations } from '../../src/db/migrations';
import { estateRepository } from '../../src/estate/estateRepository';
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
    for (const name of dropped) expect([...Object.keys(afterFirst.constraints), ...Object.keys(afterFirst.indexes)]).not.toContain(name);
    expect(Object.values(afterFirst.indexes).every((index) => index.endsWith(':ONLINE'))).toBe(true);
  } finally {
    await gateway.close();
  }
});

test('statement files split on semicolons at line ends and drop comment lines', () => {
  expect(splitStatements('// why\nCREATE A;\nCREATE B;\n\n')).toEqual(['CREATE A', 'CREATE B']);
});

test('audit events written before change sets become change sets, and history still reads them', async () => {
  const driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
  const gateway = new Neo4jGateway(driver, 'neo4j', CypherCatalog.load(), silentLogger);
  const [entityId, relatedId] = [randomUUID(), randomUUID()];
  try {
    await driver.executeQuery(
      `CREATE (:AuditEvent {id: $a, seq: 0, at: datetime('2026-01-01T00:00:00Z'), actor: 'legacy', action: 'CREATE', entityId: $entityId, entityType: 'Dataset', source: 'old', changes: '[{"field":"name","before":null,"after":"D"}]'}),
              (:AuditEvent {id: $b, seq: 0, at: datetime('2026-01-02T00:00:00Z'), actor: 'legacy', action: 'LINK', entityId: $relatedId, entityType: 'AIModel', relationshipType: 'TRAINED_ON', relatedEntityId: $entityId, changes: '[]'})`,
      { a: randomUUID(), b: randomUUID(), entityId, relatedId },
      { database: 'neo4j' },
    );
    await applyMigrations(gateway, silentLogger);
    const history = await gateway.readTx((tx) => estateRepository.auditEvents(tx, entityId, 10));
    expect(history.map(({ action, actor, source, relationshipType, relatedEntityId, at }) => ({ action, actor, source, relationshipType, relatedEntityId, at }))).toEqual([
      { action: 'LINK', actor: 'legacy', source: null, relationshipType: 'TRAINED_ON', relatedEntityId: entityId, at: '2026-01-02T00:00:00.000Z' },
      { action: 'CREATE', actor: 'legacy', source: 'old', relationshipType: null, relatedEntityId: null, at: '2026-01-01T00:00:00.000Z' },
    ]);
    const { records } = await driver.executeQuery('MATCH (e:AuditEvent) RETURN count(e) AS left', {}, { database: 'neo4j' });
    expect(records[0].get('left')).toBe(0);
  } finally {
    await gateway.close();
  }
});
