import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tuneBoltChannel } from '../../src/db/boltChannel';
import { CypherCatalog } from '../../src/db/cypherCatalog';
import { createDriver, Neo4jGateway } from '../../src/db/gateway';
import { silentLogger } from '../../src/logger';

const fixtures = CypherCatalog.load<string>(path.join(__dirname, '../fixtures/cypher'), []);
/** The driver's wrapper of a message's chunks, which decodes each string by walking them. */
const combinedBuffers = createRequire(require.resolve('neo4j-driver'))('neo4j-driver-bolt-connection/lib/channel/combined-buf') as { default: (...parts: unknown[]) => unknown };

let gateway: Neo4jGateway<string>;
beforeAll(() => {
  gateway = new Neo4jGateway(createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' }), 'neo4j', fixtures, silentLogger);
});
afterAll(() => gateway.close());

test('both adjustments apply to the installed driver (a driver upgrade that moves its internals fails here)', () => {
  expect(tuneBoltChannel()).toEqual({ coalescedWrites: true, joinedChunks: true });
});

test('a megabyte of parameters leaves in a few socket writes', async () => {
  const values = Array.from({ length: 16_000 }, (_, i) => `${i}-é漢😀-${'x'.repeat(i % 97)}`);
  const db = gateway.forRequest({ operation: 'test' });
  await db.read('echoValues', { values: ['warm'] });
  const writes = [jest.spyOn(net.Socket.prototype as unknown as { _write: () => void }, '_write'), jest.spyOn(net.Socket.prototype as unknown as { _writev: () => void }, '_writev')];
  try {
    const [row] = await db.read<{ values: string[] }>('echoValues', { values });
    expect(Buffer.byteLength(JSON.stringify(values))).toBeGreaterThan(1_000_000);
    // Chunked 1,400 bytes at a time and written one by one, it would be over 700.
    expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBeLessThanOrEqual(4);
    expect(row.values).toEqual(values);
  } finally {
    for (const spy of writes) spy.mockRestore();
  }
});

test('an answer of many chunks is decoded from one joined buffer, whole, multi-byte characters included', async () => {
  // Lengths that drift against any chunk size, so that chunk boundaries fall inside two-, three- and four-byte characters.
  const values = Array.from({ length: 16_000 }, (_, i) => `${i}-é漢😀-${'x'.repeat(i % 97)}`);
  const combined = jest.spyOn(combinedBuffers, 'default');
  try {
    const [row] = await gateway.forRequest({ operation: 'test' }).read<{ values: string[] }>('echoValues', { values });
    expect(Buffer.byteLength(JSON.stringify(values))).toBeGreaterThan(1_000_000);
    expect(row.values).toEqual(values);
    expect(combined).not.toHaveBeenCalled();
  } finally {
    combined.mockRestore();
  }
});
