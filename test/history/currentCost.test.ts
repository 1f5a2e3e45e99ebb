import fs from 'node:fs';
import path from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { CYPHER_DIR } from '../../src/db/cypherCatalog';
import { createDriver } from '../../src/db/gateway';
import { LINEAGE_TYPES } from '../../src/estate/model';
import { createTestApi, TestApi, unique } from '../support/api';
import { rel } from '../support/timeline';

/**
 * History sits beside the live graph (cypher/README.md, "History"): a relationship that ended is a
 * WAS between the same two records. Questions about now must not pay for it: the walks name their
 * types and every node keeps its relationships grouped by type (the launcher), so Neo4j reads the
 * same records for an estate with a long history as for one without. Counted in db hits, which,
 * unlike time, the machine's load does not move.
 */
let api: TestApi;
let driver: Driver;
beforeAll(async () => {
  api = await createTestApi();
  driver = createDriver({ uri: process.env.NEO4J_URI!, user: 'neo4j', password: undefined, database: 'neo4j' });
});
afterAll(async () => {
  await driver.close();
  await api.close();
});

const SYNC = `mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok errors { message } } }`;
const ROOT = `query($source: String!) { entityByKey(type: Dataset, source: $source, externalId: "d0") { id } }`;

/** Six datasets in a chain, three models trained on them, two decisions: every lineage hop kind. */
function estate(source: string, round: number, linked = true) {
  const datasets = Array.from({ length: 6 }, (_, i) => ({ externalId: `d${i}`, name: `Dataset ${i}` }));
  const relationships = [
    ...datasets.slice(1).map((_, i) => rel('DERIVED_FROM', ['Dataset', `d${i + 1}`], ['Dataset', `d${i}`], { transformation: `step ${round}` })),
    ...[0, 2, 4].map((i) => rel('TRAINED_ON', ['AIModel', `m${i}`], ['Dataset', `d${i + 1}`], { purpose: `round ${round}` })),
    rel('BASED_ON', ['AIModel', 'm2'], ['AIModel', 'm0']),
    rel('INFORMS', ['AIModel', 'm2'], ['Decision', 'credit']),
    rel('INFORMS', ['AIModel', 'm4'], ['Decision', 'fraud']),
    ...[...datasets.map((dataset) => ['Dataset', dataset.externalId]), ...[0, 2, 4].map((i) => ['AIModel', `m${i}`]), ['Decision', 'credit'], ['Decision', 'fraud']].map(
      ([type, externalId]) => rel('OWNED_BY', [type, externalId], ['Owner', 'team']),
    ),
  ];
  return {
    source,
    mode: 'REPLACE',
    assets: {
      datasets,
      aiModels: [0, 2, 4].map((i) => ({ externalId: `m${i}`, name: `Model ${i}` })),
      decisions: [{ externalId: 'credit', name: 'Credit' }, { externalId: 'fraud', name: 'Fraud' }],
      owners: [{ externalId: 'team', name: 'Team' }],
    },
    relationships: linked ? relationships : [],
  };
}

async function dbHits(query: string, params: Record<string, unknown>): Promise<number> {
  type Plan = { dbHits: number; children: Plan[] };
  const total = (plan: Plan): number => plan.dbHits + plan.children.reduce((sum, child) => sum + total(child), 0);
  const { summary } = await driver.executeQuery(`PROFILE ${query}`, params, { database: 'neo4j' });
  return total(summary.profile as unknown as Plan);
}

test('the token of every type a walk names is made before WAS, so that grouped nodes keep history behind it', () => {
  const migration = fs.readFileSync(path.join(CYPHER_DIR, 'migrations/009_relationship_types.cypher'), 'utf8');
  for (const type of LINEAGE_TYPES) expect(migration).toContain(`db.createRelationshipType('${type}')`);
});

test('current-time impact, lineage and a sync\'s look-ups read no more on an estate with history than on the same estate without', async () => {
  const [plain, churned] = [unique('now-plain'), unique('now-churn')];
  await api.data(SYNC, { input: estate(plain, 0) });
  // Every relationship ended four times over (unlinked, relinked, reshaped): 80 WAS beside 20 live.
  for (let round = 0; round < 4; round++) {
    await api.data(SYNC, { input: estate(churned, round, false) });
    await api.data(SYNC, { input: estate(churned, round) });
  }
  await api.data(SYNC, { input: estate(churned, 0) });
  const [plainRoot, churnedRoot] = await Promise.all([plain, churned].map(async (source) => (await api.data(ROOT, { source })).entityByKey.id as string));

  const walk = {
    key: null,
    flowTypes: LINEAGE_TYPES.filter((type) => type !== 'INFORMS'),
    followInforms: true,
    maxDepth: neo4j.int(6),
    record: { all: false, fields: ['id', 'type', 'name'] },
  };
  const impact = { ...walk, downstream: true, limit: neo4j.int(100), paths: 'PARENT', windows: [], whole: true, owners: null, vendors: null };
  const lineage = { ...walk, upstream: true, downstream: true, probe: neo4j.int(100), edges: true, edgeProperties: true };
  for (const [name, params] of [['lineage/findReachable', impact], ['lineage/findLineage', lineage]] as const) {
    const text = api.app.gateway.catalog.get(name, params);
    const [without, withHistory] = [await dbHits(text, { ...params, id: plainRoot }), await dbHits(text, { ...params, id: churnedRoot })];
    expect({ name, withHistory }).toEqual({ name, withHistory: without });
  }

  // A sync finds each relationship it is sent from its start record, among that record's own of
  // the types the call sends. Neo4j reads past the record's last group there, the WAS group
  // included: one read per row, however long the history (it was one per WAS before).
  const relationshipsOf = async (source: string) => {
    const { entities } = await api.data(`query($source: String!) { entities(filter: { source: $source }, first: 50) { nodes { relationships(direction: OUTGOING) { type from { id } to { id } } } } }`, { source });
    const rows = (entities.nodes as Array<{ relationships: Array<{ type: string; from: { id: string }; to: { id: string } }> }>).flatMap((node) => node.relationships);
    return rows.map((row, index) => ({ index, fromId: row.from.id, toId: row.to.id, type: row.type }));
  };
  const [plainRows, churnedRows] = [await relationshipsOf(plain), await relationshipsOf(churned)];
  expect(churnedRows).toHaveLength(plainRows.length);
  const lookUp = (rows: Awaited<ReturnType<typeof relationshipsOf>>) => ({ rows, relationshipTypes: [...new Set(rows.map((row) => row.type))] });
  const text = api.app.gateway.catalog.get('estate/findRelationshipsBetween', lookUp(plainRows));
  expect(await dbHits(text, lookUp(churnedRows))).toBeLessThanOrEqual((await dbHits(text, lookUp(plainRows))) + plainRows.length);
});
