import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CypherCatalog } from '../../src/db/cypherCatalog';
import { freePort, startEmbeddedNeo4j } from '../../src/db/embeddedNeo4j';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { silentLogger } from '../../src/logger';

const fixtures = CypherCatalog.load<string>(path.join(__dirname, '../fixtures/cypher'), []);

test('the embedded Neo4j keeps its data across a clean stop and a restart, and its neo4j:// URI routes', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-graph-embedded-'));
  const config = { port: await freePort(), dataDir, password: undefined, heap: '512m', pageCache: '64m', startupTimeoutMs: 300_000 };
  const count = async (uri: string, id: string) => {
    const gateway = new Neo4jGateway(createDriver({ uri, user: 'neo4j', password: undefined, database: 'neo4j' }), 'neo4j', fixtures, silentLogger);
    try {
      return await gateway.forRequest({}).read('countEntity', { id });
    } finally {
      await gateway.close();
    }
  };
  try {
    const first = await startEmbeddedNeo4j(config, silentLogger);
    const gateway = new Neo4jGateway(createDriver({ uri: first.uri, user: 'neo4j', password: undefined, database: 'neo4j' }), 'neo4j', fixtures, silentLogger);
    await gateway.forRequest({}).write('createEntity', { id: 'kept' });
    await gateway.close();
    await first.stop();

    const second = await startEmbeddedNeo4j(config, silentLogger);
    expect(await count(second.uri.replace('bolt://', 'neo4j://'), 'kept')).toEqual([{ count: 1 }]);
    await second.stop();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
