import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { CypherCatalog, MAX_QUANTIFIED_DEPTH } from '../../src/db/cypherCatalog';
import { createDriver } from '../../src/db/gateway';

const catalog = CypherCatalog.load();
const FLOW = ['TRAINED_ON', 'DERIVED_FROM'];
const walkNames = [...catalog.namesUnder('lineage'), ...catalog.namesUnder('formats')];
const boundedNames = walkNames.filter((name) => catalog.get(name, { maxDepth: 1, flowTypes: FLOW }) !== catalog.get(name, { maxDepth: 2, flowTypes: FLOW }));
const typeNamedNames = walkNames.filter((name) => catalog.get(name, { maxDepth: 1, flowTypes: FLOW }) !== catalog.get(name, { maxDepth: 1, flowTypes: ['BASED_ON'] }));

test('the traversal queries take their depth into the quantifier', () => {
  expect(boundedNames).toEqual(expect.arrayContaining(['lineage/findReachable', 'lineage/findLineage', 'lineage/findCompromisedUpstream']));
  const text = catalog.get('lineage/findReachable', { maxDepth: neo4j.int(7), flowTypes: FLOW });
  expect(text).toContain('{0,7}');
  expect(text).not.toContain('$maxDepth}');
  // The same depth gives the same text, so Neo4j's plan cache holds one entry per depth.
  expect(catalog.get('lineage/findReachable', { maxDepth: 7, flowTypes: FLOW })).toBe(text);
});

test.each([0, MAX_QUANTIFIED_DEPTH + 1, 2.5, undefined, '3} MATCH (n) DETACH DELETE n //'])('a depth of %p is refused, never written into the text', (maxDepth) => {
  expect(() => catalog.get('lineage/findReachable', { maxDepth, flowTypes: FLOW })).toThrow(/needs an integer maxDepth/);
});

test('the walks name their relationship types in the pattern, the ended WAS copies only where they are asked for', () => {
  expect(typeNamedNames).toEqual(expect.arrayContaining(['lineage/findReachable', 'lineage/findLineage', 'lineage/findReachableAsOf', 'formats/findDependencyClosure']));
  const now = catalog.get('lineage/findReachable', { maxDepth: 3, flowTypes: ['TRAINED_ON', 'DERIVED_FROM', 'TRAINED_ON'] });
  expect(now).toContain('[flow:DERIVED_FROM|TRAINED_ON]');
  expect(now).not.toContain('$flowTypes]');
  expect(now).not.toMatch(/\[flow:[^\]]*WAS/);
  expect(catalog.get('lineage/findReachableAsOf', { maxDepth: 3, flowTypes: FLOW })).toContain('[flow:DERIVED_FROM|TRAINED_ON|WAS]');
  // Any order of the same types is one text, so the plan cache sees one entry per set.
  expect(catalog.get('lineage/findReachable', { maxDepth: 3, flowTypes: ['DERIVED_FROM', 'TRAINED_ON'] })).toBe(now);
  // None asked: a pattern that no relationship matches.
  expect(catalog.get('lineage/findReachable', { maxDepth: 3, flowTypes: [] })).toContain('[flow:!%]');
});

test.each([undefined, 'TRAINED_ON', ['TRAINED_ON]->() DETACH DELETE n //'], ['trained_on'], [1]])('flow types %p are refused, never written into the text', (flowTypes) => {
  expect(() => catalog.get('lineage/findReachable', { maxDepth: 3, flowTypes })).toThrow(/needs flowTypes as a list of relationship type names/);
});

test('every depth-bounded query compiles in Neo4j at the smallest and largest depth, with no flow type and with some', async () => {
  const driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
  try {
    for (const name of boundedNames) {
      for (const [maxDepth, flowTypes] of [[1, []], [1, FLOW], [MAX_QUANTIFIED_DEPTH, FLOW]] as const) {
        await expect(driver.executeQuery(`EXPLAIN ${catalog.get(name, { maxDepth, flowTypes })}`, {}, { database: 'neo4j' })).resolves.toBeDefined();
      }
    }
  } finally {
    await driver.close();
  }
}, 300_000);

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

test('statements leave without their comment lines, and nothing else of them is cut', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cypher-'));
  fs.writeFileSync(
    path.join(dir, 'commented.cypher'),
    ['// What this query is for,', '  // and why it is written so.', 'MATCH (n:Entity {id: $id}) // the record', '', '    // a note inside', "RETURN n.name AS name, 'https://example.org' AS link,", '  "//not a comment" AS text', ''].join('\n'),
  );
  try {
    expect(CypherCatalog.load(dir, ['commented']).get('commented')).toBe(
      ["MATCH (n:Entity {id: $id}) // the record", "RETURN n.name AS name, 'https://example.org' AS link,", '  "//not a comment" AS text'].join('\n'),
    );
    expect(catalog.get('lineage/findReachable', { maxDepth: 6, flowTypes: FLOW })).not.toMatch(/^\s*\/\//m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
