import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { CypherCatalog, MAX_QUANTIFIED_DEPTH } from '../../src/db/cypherCatalog';
import { createDriver } from '../../src/db/gateway';

const catalog = CypherCatalog.load();
const boundedNames = catalog.namesUnder('lineage').filter((name) => catalog.get(name, { maxDepth: 1 }) !== catalog.get(name, { maxDepth: 2 }));

test('the traversal queries take their depth into the quantifier', () => {
  expect(boundedNames).toEqual(expect.arrayContaining(['lineage/findReachable', 'lineage/findLineage', 'lineage/findCompromisedUpstream']));
  const text = catalog.get('lineage/findReachable', { maxDepth: neo4j.int(7) });
  expect(text).toContain('{0,7}');
  expect(text).not.toContain('$maxDepth}');
  // The same depth gives the same text, so Neo4j's plan cache holds one entry per depth.
  expect(catalog.get('lineage/findReachable', { maxDepth: 7 })).toBe(text);
});

test.each([0, MAX_QUANTIFIED_DEPTH + 1, 2.5, undefined, '3} MATCH (n) DETACH DELETE n //'])('a depth of %p is refused, never written into the text', (maxDepth) => {
  expect(() => catalog.get('lineage/findReachable', { maxDepth })).toThrow(/needs an integer maxDepth/);
});

test('every depth-bounded query compiles in Neo4j at the smallest and largest depth', async () => {
  const driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
  try {
    for (const name of boundedNames) {
      for (const maxDepth of [1, MAX_QUANTIFIED_DEPTH]) {
        await expect(driver.executeQuery(`EXPLAIN ${catalog.get(name, { maxDepth })}`, {}, { database: 'neo4j' })).resolves.toBeDefined();
      }
    }
  } finally {
    await driver.close();
  }
});

test('a catalog missing a file the code names fails when it loads, naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cypher-'));
  fs.mkdirSync(path.join(dir, 'estate'));
  fs.writeFileSync(path.join(dir, 'estate/findEntitiesByIds.cypher'), 'RETURN 1');
  try {
    expect(() => CypherCatalog.load(dir)).toThrow(/estate\/findEntitiesByKeys\.cypher/);
    expect(CypherCatalog.load(dir, ['estate/findEntitiesByIds']).get('estate/findEntitiesByIds')).toBe('RETURN 1');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
