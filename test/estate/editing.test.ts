import { createTestApi, TestApi, unique } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const CREATE_INPUTS: Record<string, Record<string, unknown>> = {
  AIModel: { name: 'Scorer', modelVersion: '2.1', task: 'classification', modality: 'TABULAR', lifecycleStage: 'VALIDATION', riskTier: 'HIGH', status: 'ACTIVE' },
  Dataset: { name: 'Applications', kind: 'TRAINING', classification: 'RESTRICTED', containsPersonalData: true, recordCount: 42, location: 's3://bucket/apps' },
  Vendor: { name: 'ModelCo', services: ['LLM API'], riskRating: 'HIGH', contractEndsAt: '2027-06-30T00:00:00.000Z', dataProcessingAgreement: true, dataResidency: 'EU' },
  Agent: { name: 'Helper', autonomyLevel: 'AUTONOMOUS', humanOversight: 'NONE', allowedTools: ['refund'], allowedActions: ['issue refund'] },
  Decision: { name: 'Loan approval', impactLevel: 'CRITICAL', affectedParties: ['applicants'], humanInTheLoop: false, businessProcess: 'lending' },
  Owner: { name: 'Ada', kind: 'PERSON', email: 'ada@example.com', role: 'model owner' },
  Risk: { name: 'Poisoning', category: 'TRAINING_DATA_POISONING', likelihood: 2, impact: 5, residualScore: 4, treatment: 'MITIGATE', status: 'ASSESSED' },
  Incident: { name: 'Drift', severity: 'MEDIUM', status: 'OPEN', detectedAt: '2026-10-01T08:00:00.000Z', playbook: 'PB-7' },
  Control: { name: 'Data validation', implementationStatus: 'IN_PROGRESS', controlType: 'DETECTIVE', lastTestedAt: '2026-09-01T00:00:00.000Z' },
  Evidence: { name: 'Test log', uri: 'https://e.example/log', kind: 'LOG', collectedAt: '2026-09-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' },
};

test.each(Object.entries(CREATE_INPUTS))('create%s stores every field and node(id) reads it back', async (type, fields) => {
  const externalId = unique('x');
  const create = await api.data(
    `mutation($input: ${type}Input!) { created: create${type}(input: $input) { id source externalId version createdAt ... on ${type} { ${Object.keys(fields).join(' ')} } } }`,
    { input: { externalId, ...fields } },
  );
  expect(create.created).toMatchObject({ source: 'manual', externalId, version: 1, ...fields });
  const read = await api.data(`query($id: ID!) { node(id: $id) { __typename ... on ${type} { ${Object.keys(fields).join(' ')} } } }`, { id: create.created.id });
  expect(read.node).toEqual({ __typename: type, ...fields });
});

test('creating a record whose key exists is a CONFLICT', async () => {
  const input = { externalId: unique('dup'), name: 'Once' };
  await api.data('mutation($input: OwnerInput!) { createOwner(input: $input) { id } }', { input });
  const again = await api.execute('mutation($input: OwnerInput!) { createOwner(input: $input) { id } }', { input });
  expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
});

test('updates check expectedVersion, validate fields like a create, and keep a history', async () => {
  const { createAIModel: model } = await api.data('mutation($input: AIModelInput!) { createAIModel(input: $input) { id version } }', {
    input: { externalId: unique('m'), name: 'Model', riskTier: 'LIMITED' },
  });
  const update = `mutation($id: ID!, $patch: EntityPatchInput!, $v: Int) { updateEntity(id: $id, patch: $patch, expectedVersion: $v) { version ... on AIModel { riskTier name } } }`;
  const updated = await api.data(update, { id: model.id, patch: { name: 'Model v2', fields: { riskTier: 'HIGH' } }, v: 1 }, 'alice');
  expect(updated.updateEntity).toEqual({ version: 2, riskTier: 'HIGH', name: 'Model v2' });

  const stale = await api.execute(update, { id: model.id, patch: { fields: { riskTier: 'MINIMAL' } }, v: 1 });
  expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });

  const badEnum = await api.execute(update, { id: model.id, patch: { fields: { riskTier: 'EXTREME' } } });
  expect(badEnum.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const unknownField = await api.execute(update, { id: model.id, patch: { fields: { version: 99 } } });
  expect(unknownField.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const missing = await api.execute(update, { id: 'no-such-id', patch: { name: 'x' } });
  expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  const cleared = await api.data(update, { id: model.id, patch: { fields: { riskTier: null } } });
  expect(cleared.updateEntity).toMatchObject({ version: 3, riskTier: null });

  const { history } = await api.data('query($id: ID!) { history(id: $id) { action actor changes { field before after } } }', { id: model.id });
  expect(history).toEqual([
    { action: 'UPDATE', actor: 'anonymous', changes: [{ field: 'riskTier', before: 'HIGH', after: null }] },
    { action: 'UPDATE', actor: 'alice', changes: [{ field: 'name', before: 'Model', after: 'Model v2' }, { field: 'riskTier', before: 'LIMITED', after: 'HIGH' }] },
    { action: 'CREATE', actor: 'anonymous', changes: [{ field: 'name', before: null, after: 'Model' }, { field: 'riskTier', before: null, after: 'LIMITED' }] },
  ]);
});

test('link and unlink check endpoint types and record history on both ends', async () => {
  const { createAIModel: model } = await api.data('mutation($input: AIModelInput!) { createAIModel(input: $input) { id } }', { input: { externalId: unique('m'), name: 'M' } });
  const { createDataset: dataset } = await api.data('mutation($input: DatasetInput!) { createDataset(input: $input) { id } }', { input: { externalId: unique('d'), name: 'D' } });
  const link = `mutation($type: RelationshipType!, $from: ID!, $to: ID!, $p: JSONObject) { link(type: $type, fromId: $from, toId: $to, properties: $p) { created relationship { type properties from { name } to { name } } } }`;
  const first = await api.data(link, { type: 'TRAINED_ON', from: model.id, to: dataset.id, p: { split: 'train' } });
  expect(first.link).toEqual({ created: true, relationship: { type: 'TRAINED_ON', properties: { split: 'train' }, from: { name: 'M' }, to: { name: 'D' } } });
  expect((await api.data(link, { type: 'TRAINED_ON', from: model.id, to: dataset.id })).link.created).toBe(false);

  const wrong = await api.execute(link, { type: 'TRAINED_ON', from: dataset.id, to: model.id });
  expect(wrong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const nested = await api.execute(link, { type: 'TRAINED_ON', from: model.id, to: dataset.id, p: { nested: { no: 1 } } });
  expect(nested.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const dangling = await api.execute(link, { type: 'TRAINED_ON', from: model.id, to: 'missing' });
  expect(dangling.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  const unlink = await api.data('mutation($from: ID!, $to: ID!) { unlink(type: TRAINED_ON, fromId: $from, toId: $to) { removed } }', { from: model.id, to: dataset.id });
  expect(unlink.unlink.removed).toBe(true);
  const { history } = await api.data('query($id: ID!) { history(id: $id) { action relationshipType } }', { id: dataset.id });
  expect(history.slice(0, 2)).toEqual([{ action: 'UNLINK', relationshipType: 'TRAINED_ON' }, { action: 'LINK', relationshipType: 'TRAINED_ON' }]);
});

test('delete refuses a record with relationships unless it cascades, and never leaves a dangling reference', async () => {
  const { createControl: control } = await api.data('mutation($input: ControlInput!) { createControl(input: $input) { id } }', { input: { externalId: unique('c'), name: 'C' } });
  const { createEvidence: evidence } = await api.data('mutation($input: EvidenceInput!) { createEvidence(input: $input) { id } }', { input: { externalId: unique('e'), name: 'E' } });
  await api.data('mutation($from: ID!, $to: ID!) { link(type: SUPPORTS, fromId: $from, toId: $to) { created } }', { from: evidence.id, to: control.id });

  const del = 'mutation($id: ID!, $cascade: Boolean) { deleteEntity(id: $id, cascade: $cascade) { id relationshipsRemoved } }';
  const refused = await api.execute(del, { id: control.id });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', relationships: 1 });
  expect((await api.data(del, { id: control.id, cascade: true })).deleteEntity).toEqual({ id: control.id, relationshipsRemoved: 1 });

  const after = await api.data('query($c: ID!, $e: ID!) { c: node(id: $c) { id } e: node(id: $e) { ... on Evidence { supports { id } } } history(id: $c) { action } }', { c: control.id, e: evidence.id });
  expect(after.c).toBeNull();
  expect(after.e.supports).toEqual([]);
  expect(after.history.map((event: { action: string }) => event.action)).toEqual(['DELETE', 'UNLINK', 'LINK', 'CREATE']);
});
