import { AuditLog } from '../../src/estate/audit';
import type { EndpointRow, StaleRelationshipRow } from '../../src/estate/estateRepository';
import type { EntityRow } from '../../src/estate/model';
import { completeSync, draftSync, readSyncPayload, referencedRecords } from '../../src/estate/sync';
import type { SyncInventoryInput } from '../../src/generated/graphql';

/** The sync planner over plain data: what a call would do, decided without a database. */
const SOURCE = 'tool';
const stored = (type: EntityRow['type'], externalId: string, fields: Record<string, unknown> = {}): EntityRow =>
  ({ id: `id-${externalId}`, key: `${type}|${SOURCE}|${externalId}`, type, source: SOURCE, externalId, name: externalId, version: 1, createdAt: '', updatedAt: '', ...fields }) as EntityRow;
const endpoint = (row: EntityRow): EndpointRow => ({ key: row.key, id: row.id, type: row.type, source: row.source });
const audit = () => new AuditLog('tester', '2026-11-30T00:00:00.000Z', SOURCE);
const input = (overrides: Partial<SyncInventoryInput>): SyncInventoryInput => ({ source: SOURCE, ...overrides });

test('a payload is read once: records keyed, problems collected with their paths, the batch size enforced', () => {
  const payload = readSyncPayload(
    input({ assets: { aiModels: [{ externalId: 'm', name: 'M' }, { externalId: 'm', name: 'Again' }], datasets: [{ externalId: 'd', name: '' }] } }),
    100,
  );
  expect(payload.records.map((record) => record.key)).toEqual(['AIModel|tool|m']);
  expect(payload.recordTypes).toEqual(['AIModel', 'Dataset']);
  expect(payload.problems.map((problem) => problem.path)).toEqual(['assets.aiModels[1].externalId', 'assets.datasets[0].name']);
  expect([...payload.rejectedKeys]).toEqual(['Dataset|tool|d']);
  expect(() => readSyncPayload(input({ assets: { owners: [{ externalId: 'o', name: 'O' }, { externalId: 'p', name: 'P' }] } }), 1)).toThrow(/at most 1/);
  expect(() => readSyncPayload(input({ source: ' \n ' }), 10)).toThrow(/source/);
});

test('records are created, updated or left alone; relationships resolve to planned and stored ends', () => {
  const model = stored('AIModel', 'm', { riskTier: 'LOW' });
  const dataset = stored('Dataset', 'd');
  const payload = readSyncPayload(
    input({
      assets: { aiModels: [{ externalId: 'm', name: 'm', riskTier: 'HIGH' }, { externalId: 'new', name: 'New' }], datasets: [{ externalId: 'd', name: 'd' }] },
      relationships: [
        { type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'm' }, to: { type: 'Dataset', externalId: 'd' } },
        { type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'new' }, to: { type: 'Dataset', externalId: 'd' } },
        { type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'm' }, to: { type: 'Dataset', externalId: 'missing' } },
      ],
    }),
    100,
  );
  expect(referencedRecords(payload)).toEqual({ recordKeys: ['AIModel|tool|m', 'AIModel|tool|new', 'Dataset|tool|d'], endpointKeys: ['Dataset|tool|missing'], endpointIds: [] });
  const draft = draftSync(payload, { records: [model, dataset], asSent: new Map(), endpoints: [] }, audit());
  expect(draft.report.assets).toEqual({ created: 1, updated: 1, unchanged: 1, deleted: 0 });
  expect(draft.updatedRecords).toEqual([expect.objectContaining({ id: model.id, properties: { riskTier: 'HIGH' } })]);
  expect(draft.relationships).toHaveLength(2);
  // Only a relationship between two records that existed before can already be stored.
  expect(draft.mayExist.map((write) => write.fromId)).toEqual([model.id]);
  expect(payload.problems.map((problem) => problem.path)).toEqual(['relationships[2].to']);

  const plan = completeSync(draft, new Map([[0, { sources: [SOURCE] }]]), null);
  expect(plan.report.relationships).toEqual({ created: 1, updated: 0, unchanged: 1, deleted: 0 });
  expect(plan.report.ok).toBe(false);
  expect(plan.audit.rows.map((row) => row.action)).toEqual(['UPDATE', 'CREATE', 'LINK']);
});

test('a REPLACE removes what the source no longer sends, counted by the type it writes', () => {
  const payload = readSyncPayload(input({ mode: 'REPLACE', assets: { risks: [{ externalId: 'r', name: 'r' }] } }), 100);
  const draft = draftSync(payload, { records: [stored('Risk', 'r')], asSent: new Map(), endpoints: [] }, audit());
  const staleModel = stored('AIModel', 'old');
  const staleLink: StaleRelationshipRow = { fromId: staleModel.id, type: 'TRAINED_ON', toId: 'id-d', fromType: 'AIModel', sources: [SOURCE, 'other'], validFrom: '2026-11-01T00:00:00.000Z' };
  const plan = completeSync(draft, new Map(), { entities: [staleModel], relationships: [staleLink] });
  expect(plan.deletedIds).toEqual([staleModel.id]);
  expect(plan.withdrawn).toEqual([{ fromId: staleModel.id, type: 'TRAINED_ON', toId: 'id-d', source: SOURCE }]);
  expect([...plan.removals]).toEqual([['AIModel', 2]]);
  expect(plan.report).toMatchObject({ ok: true, assets: { unchanged: 1, deleted: 1 }, relationships: { deleted: 1 } });
  // Another source still asserts the relationship: withdrawing is not an UNLINK.
  expect(plan.audit.rows.map((row) => row.action)).toEqual(['DELETE']);
});

test('relationships by id, wrong endpoint types and duplicates are reported where they are', () => {
  const model = stored('AIModel', 'm');
  const owner = stored('Owner', 'o');
  const payload = readSyncPayload(
    input({
      relationships: [
        { type: 'OWNED_BY', from: { id: model.id }, to: { id: owner.id } },
        { type: 'OWNED_BY', from: { id: model.id }, to: { id: owner.id } },
        { type: 'TRAINED_ON', from: { id: model.id }, to: { id: owner.id } },
        { type: 'OWNED_BY', from: { id: 'nope' }, to: { id: owner.id } },
      ],
    }),
    100,
  );
  const draft = draftSync(payload, { records: [], asSent: new Map(), endpoints: [endpoint(model), endpoint(owner)] }, audit());
  expect(draft.relationships).toHaveLength(1);
  // The duplicate is still a write the caller must be allowed; the mistyped one never gets that far.
  expect(draft.relationshipOwners).toEqual([{ type: 'AIModel', source: SOURCE }, { type: 'AIModel', source: SOURCE }]);
  expect(payload.problems.map((problem) => problem.path)).toEqual(['relationships[1]', 'relationships[2]', 'relationships[3].from']);
});

test('a record sent again after its deletion is created under its old id, whatever it held when retired', () => {
  const retired = stored('AIModel', 'back', { retired: true, retiredAt: '2026-11-02T00:00:00.000Z', riskTier: 'HIGH' });
  const payload = readSyncPayload(input({ assets: { aiModels: [{ externalId: 'back', name: 'Back' }] } }), 100);
  const draft = draftSync(payload, { records: [retired], asSent: new Map(), endpoints: [] }, audit());
  expect(draft.report.assets).toMatchObject({ created: 1, updated: 0 });
  expect(draft.createdRecords).toEqual([]);
  expect(draft.revivedRecords).toEqual([expect.objectContaining({ id: retired.id, properties: expect.objectContaining({ name: 'Back' }) })]);
  expect(draft.audit.rows.map((row) => [row.action, row.entityId])).toEqual([['CREATE', retired.id]]);
});

test('a dated call only appends: it may not change, revive or remove what changed after its instant, nor be dated in the future', () => {
  const at = '2026-10-01T00:00:00.000Z';
  const later = { updatedAt: '2026-10-05T00:00:00.000Z' };
  const payload = readSyncPayload(input({ at: new Date(at), mode: 'REPLACE', assets: { aiModels: [{ externalId: 'm', name: 'Renamed' }, { externalId: 'same', name: 'same' }] } }), 100);
  expect(payload.at).toBe(at);
  const draft = draftSync(payload, { records: [stored('AIModel', 'm', later), stored('AIModel', 'same', later)], asSent: new Map(), endpoints: [] }, audit());
  const gone = stored('AIModel', 'gone', later);
  const link: StaleRelationshipRow = { fromId: 'id-same', type: 'TRAINED_ON', toId: 'id-d', fromType: 'AIModel', sources: [SOURCE], validFrom: '2026-09-01T00:00:00.000Z' };
  const plan = completeSync(draft, new Map(), { entities: [gone], relationships: [link] });
  // The unchanged record and the older link are no obstacle; the renamed and the deleted record are.
  expect(plan.report.errors.map((problem) => problem.path)).toEqual(['assets.aiModels[0]', 'mode']);
  expect(plan.report.ok).toBe(false);
  expect(() => readSyncPayload(input({ at: new Date(Date.now() + 60_000) }), 100)).toThrow(/future/);
});
