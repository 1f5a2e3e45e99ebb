import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CypherCatalog } from '../../src/db/cypherCatalog';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { codedError } from '../../src/errors';
import { createLogger, silentLogger } from '../../src/logger';
import { applyMigrations } from '../../src/db/migrations';

const fixtures = CypherCatalog.load<string>(path.join(__dirname, '../fixtures/cypher'), []);
const connect = (uri: string) => new Neo4jGateway(createDriver({ uri, user: 'neo4j', password: undefined, database: 'neo4j', maxRetryMs: 500 }), 'neo4j', fixtures, silentLogger, 500);

let gateway: Neo4jGateway<string>;
beforeAll(async () => {
  gateway = connect(process.env.NEO4J_URI!);
  const migrations = new Neo4jGateway(createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' }), 'neo4j', CypherCatalog.load(), silentLogger);
  await applyMigrations(migrations, silentLogger);
  await migrations.close();
});
afterAll(() => gateway.close());

test('values come back as plain JavaScript: integers as numbers, datetimes as ISO strings', async () => {
  const [row] = await gateway.forRequest({ operation: 'test' }).read<{ n: unknown; at: unknown; list: unknown }>('returnValues', {});
  expect(row).toEqual({ n: 42, at: '2026-01-02T03:04:05.000Z', list: [1, 2, 3] });
});

test('transactions carry metadata naming the operation', async () => {
  const operation = `op-${randomUUID()}`;
  const [row] = await gateway.forRequest({ operation }).read<{ metadata: Record<string, string> }>('showOwnMetadata', {});
  expect(row.metadata).toMatchObject({ app: 'lineage-graph', operation });
});

test('a uniqueness violation becomes CONFLICT and the transaction writes nothing', async () => {
  const id = randomUUID();
  const db = gateway.forRequest({ operation: 'test' });
  await expect(db.write('createEntityTwice', { id })).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  expect(await db.read('countEntity', { id })).toEqual([{ count: 0 }]);
});

test('a failing query is masked as INTERNAL_SERVER_ERROR without the driver message', async () => {
  const failure = gateway.forRequest({ operation: 'test' }).read('brokenSyntax', {});
  await expect(failure).rejects.toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
});

test('coded errors raised inside a transaction pass through unchanged and roll it back', async () => {
  const id = randomUUID();
  const db = gateway.forRequest({ operation: 'test' });
  const work = db.writeTx(async (tx) => {
    await tx.run('createEntity', { id });
    throw codedError('BAD_USER_INPUT', 'rejected by a rule');
  });
  await expect(work).rejects.toMatchObject({ message: 'rejected by a rule', extensions: { code: 'BAD_USER_INPUT' } });
  expect(await db.read('countEntity', { id })).toEqual([{ count: 0 }]);
});

test('statements sent together run in order, and a failure is blamed on the first that failed, with nothing written', async () => {
  const id = randomUUID();
  const lines: string[] = [];
  const logged = new Neo4jGateway(createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' }), 'neo4j', fixtures, createLogger('error', (line) => lines.push(line)));
  try {
    const db = logged.forRequest({ operation: 'test' });
    const ordered = await db.writeTx((tx) => Promise.all([tx.run('createEntity', { id }), tx.run<{ count: number }>('countEntity', { id })]));
    expect(ordered[1]).toEqual([{ count: 1 }]);

    const other = randomUUID();
    const work = db.writeTx((tx) => Promise.all([tx.run('createEntity', { id: other }), tx.run('brokenSyntax'), tx.run('countEntity', { id: other })]));
    await expect(work).rejects.toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ msg: 'neo4j query failed', query: 'brokenSyntax' })]);
    expect(await db.read('countEntity', { id: other })).toEqual([{ count: 0 }]);
  } finally {
    await logged.close();
  }
});

test('an unreachable database becomes SERVICE_UNAVAILABLE and ping says false', async () => {
  const unreachable = connect('bolt://127.0.0.1:1');
  try {
    await expect(unreachable.forRequest({}).read('returnValues', {})).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(await unreachable.ping(500)).toBe(false);
  } finally {
    await unreachable.close();
  }
});

test('the request view counts the queries it sends', async () => {
  const db = gateway.forRequest({});
  await db.read('returnValues', {});
  await db.readTx(async (tx) => {
    await tx.run('returnValues');
    await tx.run('returnValues');
  });
  expect(db.queryCount).toBe(3);
});
