import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { rel, timeline } from '../support/timeline';
import { viewer, compliance, syncFor } from '../support/principals';

let api: TestApi;
let recording: TestApi;
// Two APIs start (one per enforcement mode); on a loaded machine that takes longer than a test.
beforeAll(async () => {
  [api, recording] = await Promise.all([createTestApi(), createTestApi({ GATE_ENFORCEMENT: 'record' })]);
}, 600_000);
afterAll(async () => {
  await api.close();
  await recording.close();
});


const RECORD = `mutation($input: RecordGateApprovalInput!) {
  recordGateApproval(input: $input) { id stage outcome conditions approves { id } approvedBy { name } restsOn { name } }
}`;
const UPDATE = 'mutation($id: ID!, $stage: String!) { updateEntity(id: $id, patch: { fields: { lifecycleStage: $stage } }) { id ... on AIModel { lifecycleStage } } }';
const EXPOSURE = `query($asOf: DateTime) { exposure(asOf: $asOf) { ungatedModels { decision { source name } sources { name } } } }`;

/** A model at VALIDATION informing a high-impact decision, an approver of each gate, a junior approver, evidence. */
async function estate(source: string) {
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'VALIDATION' }],
        decisions: [{ externalId: 'loan', name: 'Loan', impactLevel: 'HIGH' }],
        owners: [
          { externalId: 'cro', name: 'Chief risk officer', approvesStages: ['APPROVED', 'DEPLOYED'] },
          { externalId: 'lead', name: 'Team lead', approvesStages: ['APPROVED'] },
        ],
        evidence: [{ externalId: 'validation-report', name: 'Validation report' }],
      },
      relationships: [rel('INFORMS', ['AIModel', 'scorer'], ['Decision', 'loan'])],
    },
  });
  const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  return { model: await id('AIModel', 'scorer') };
}

const approval = (source: string, externalId: string, stage: string, approver: string, extra: Record<string, unknown> = {}) => ({
  source,
  approval: { externalId, name: `${stage} gate of the scorer`, stage, outcome: 'APPROVED', decidedAt: '2026-11-01T09:00:00Z', ...extra },
  subject: { type: 'AIModel', externalId: 'scorer', source },
  approver: { type: 'Owner', externalId: approver, source },
  evidence: [{ type: 'Evidence', externalId: 'validation-report', source }],
});

const stageOf = async (target: TestApi, source: string) => (await target.data('query($s: String!) { entityByKey(type: AIModel, source: $s, externalId: "scorer") { ... on AIModel { lifecycleStage } } }', { s: source })).entityByKey.lifecycleStage;
const ungated = async (source: string, asOf?: string) =>
  (await api.data(EXPOSURE, { asOf })).exposure.ungatedModels.filter((entry: { decision: { source: string } }) => entry.decision.source === source);

test('a move through a gate without an approval is refused, by sync and by edit, and nothing is written', async () => {
  const source = unique('gates');
  const { model } = await estate(source);
  const bySync = await api.execute(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'DEPLOYED' }] } } });
  expect(bySync.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(bySync.errors?.[0].message).toMatch(/from VALIDATION to DEPLOYED crosses the DEPLOYED gate without an APPROVED or CONDITIONAL approval/);
  const byEdit = await api.execute(UPDATE, { id: model, stage: 'APPROVED' });
  expect(byEdit.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await stageOf(api, source)).toBe('VALIDATION');
  // A dry run lists it instead.
  const dry = await api.data(SYNC, { input: { source, dryRun: true, assets: { aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'APPROVED' }] } } });
  expect(dry.syncInventory.errors).toEqual([{ path: 'assets.aiModels[0].lifecycleStage', message: expect.stringMatching(/APPROVED gate/) }]);
  // Moves that cross no gate pass: back a stage, or to RETIRED.
  await api.data(UPDATE, { id: model, stage: 'TRAINING' });
  expect(await stageOf(api, source)).toBe('TRAINING');
});

test('approvals let a record through its gates; a stage name alone does not make it gated in exposure', async () => {
  const source = unique('gates');
  const { model } = await estate(source);
  const steps = timeline();
  await steps.step(async () => expect(await ungated(source)).toEqual([{ decision: { source, name: 'Loan' }, sources: [{ name: 'Scorer' }] }]));
  // The approval and the move in one sync.
  await steps.step(() =>
    api.data(SYNC, {
      input: {
        source,
        assets: {
          aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'APPROVED' }],
          gateApprovals: [{ externalId: 'gate-approved', name: 'Use approval', stage: 'APPROVED', outcome: 'APPROVED', decidedAt: '2026-11-02T10:00:00Z' }],
        },
        relationships: [rel('APPROVES', ['GateApproval', 'gate-approved'], ['AIModel', 'scorer']), rel('APPROVED_BY', ['GateApproval', 'gate-approved'], ['Owner', 'lead'])],
      },
    }),
  );
  expect(await ungated(source)).toEqual([]);
  // DEPLOYED needs its own gate: refused, then approved on conditions already overdue, then through.
  expect((await api.execute(UPDATE, { id: model, stage: 'DEPLOYED' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const recorded = await api.data(
    RECORD,
    { input: approval(source, 'gate-deployed', 'DEPLOYED', 'cro', { outcome: 'CONDITIONAL', conditions: ['Bias re-test on the 2026Q4 sample'], conditionsDueAt: '2026-11-20T00:00:00Z' }) },
    compliance,
  );
  expect(recorded.recordGateApproval).toMatchObject({ stage: 'DEPLOYED', outcome: 'CONDITIONAL', approves: [{ id: model }], approvedBy: [{ name: 'Chief risk officer' }], restsOn: [{ name: 'Validation report' }] });
  await steps.step(() => api.data(UPDATE, { id: model, stage: 'DEPLOYED' }));
  expect(await stageOf(api, source)).toBe('DEPLOYED');
  expect(await ungated(source)).toEqual([]);

  const overdue = await api.data('query($s: String) { gateConditionsOverdue(source: $s) { approval { externalId } subjects { name } conditions dueAt daysOverdue } }', { s: source });
  expect(overdue.gateConditionsOverdue).toEqual([
    { approval: { externalId: 'gate-deployed' }, subjects: [{ name: 'Scorer' }], conditions: ['Bias re-test on the 2026Q4 sample'], dueAt: '2026-11-20T00:00:00.000Z', daysOverdue: expect.any(Number) },
  ]);
  // Met: no longer overdue now, still overdue as of before it was met.
  await steps.step(() => api.data('mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { conditionsMetAt: "2026-11-25T00:00:00Z" } }) { id } }', { id: recorded.recordGateApproval.id }));
  expect((await api.data('query($s: String) { gateConditionsOverdue(source: $s) { dueAt } }', { s: source })).gateConditionsOverdue).toEqual([]);
  const before = steps.instants[2].toISOString();
  expect((await api.data('query($s: String, $asOf: DateTime) { gateConditionsOverdue(source: $s, asOf: $asOf) { approval { externalId } } }', { s: source, asOf: before })).gateConditionsOverdue).toEqual([
    { approval: { externalId: 'gate-deployed' } },
  ]);

  // Exposure as of before the first approval still names the model; a REJECTED approval of its gate makes it ungated again.
  expect(await ungated(source, steps.instants[0].toISOString())).toEqual([{ decision: { source, name: 'Loan' }, sources: [{ name: 'Scorer' }] }]);
  expect(await ungated(source, steps.instants[1].toISOString())).toEqual([]);
  await steps.step(() => api.data(RECORD, { input: approval(source, 'gate-deployed-revoked', 'DEPLOYED', 'cro', { outcome: 'REJECTED', decidedAt: '2026-11-28T00:00:00Z' }) }, compliance));
  expect(await ungated(source)).toEqual([{ decision: { source, name: 'Loan' }, sources: [{ name: 'Scorer' }] }]);
  expect(await ungated(source, steps.instants[3].toISOString())).toEqual([]);
  // Past the DEPLOYED gate with its latest approval REJECTED: ungated now, not before the rejection.
  const UNGATED = 'query($s: String, $asOf: DateTime) { ungatedRecords(source: $s, asOf: $asOf) { record { name } stage gate latestApproval { outcome } exception { id } } }';
  expect((await api.data(UNGATED, { s: source })).ungatedRecords).toEqual([{ record: { name: 'Scorer' }, stage: 'DEPLOYED', gate: 'DEPLOYED', latestApproval: { outcome: 'REJECTED' }, exception: null }]);
  expect((await api.data(UNGATED, { s: source, asOf: steps.instants[3].toISOString() })).ungatedRecords).toEqual([]);
});

test('an approver who may not approve the stage, an unknown or ungated stage, missing conditions: coded errors, nothing written', async () => {
  const source = unique('gates');
  await estate(source);
  const refused = async (input: Record<string, unknown>, pattern: RegExp) => {
    const result = await api.execute(RECORD, { input }, compliance);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result.errors)).toMatch(pattern);
  };
  await refused(approval(source, 'g1', 'DEPLOYED', 'lead'), /Owner \\"Team lead\\" may not approve the DEPLOYED gate \(their approvesStages: APPROVED\)/);
  await refused(approval(source, 'g2', 'DESIGN', 'cro'), /DESIGN is not a gated stage; the gates are APPROVED, DEPLOYED/);
  await refused(approval(source, 'g3', 'NOT_A_STAGE', 'cro'), /NOT_A_STAGE/);
  await refused(approval(source, 'g4', 'APPROVED', 'cro', { outcome: 'CONDITIONAL' }), /a CONDITIONAL approval states its conditions/);
  await refused(approval(source, 'g5', 'APPROVED', 'cro', { decidedAt: null }), /decidedAt: is required/);
  await refused({ ...approval(source, 'g6', 'APPROVED', 'cro'), approver: { type: 'Owner', externalId: 'nobody', source } }, /no Owner with externalId \\"nobody\\"/);
  // Hostile text and sizes.
  await refused(approval(source, 'g7', 'APPROVED', 'cro', { name: 'evil\u0000name' }), /control characters/);
  await refused(approval(source, 'g8', 'APPROVED', 'cro', { outcome: 'CONDITIONAL', conditions: Array.from({ length: 1001 }, () => 'x'), conditionsDueAt: '2027-01-01T00:00:00Z' }), /more than 1000 items/);
  // The programme's relationships are not linked by hand.
  const { model } = { model: (await api.data(KEY_LOOKUP, { type: 'AIModel', source, externalId: 'scorer' })).entityByKey.id };
  const owner = (await api.data(KEY_LOOKUP, { type: 'Owner', source, externalId: 'cro' })).entityByKey.id;
  expect((await api.execute('mutation($f: ID!, $t: ID!) { link(type: APPROVED_BY, fromId: $f, toId: $t) { created } }', { f: model, t: owner })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const written = await api.data('query($s: String) { entities(type: GateApproval, filter: { source: $s }) { totalCount } }', { s: source });
  expect(written.entities.totalCount).toBe(0);
});

test('roles: COMPLIANCE and ADMIN approve, a SYNC key never does, a VIEWER writes nothing; a SYNC key moves its models once approved', async () => {
  const source = unique('gates');
  const { model } = await estate(source);
  expect((await api.execute(RECORD, { input: approval(source, 'g', 'APPROVED', 'lead') }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await api.execute(RECORD, { input: approval(source, 'g', 'APPROVED', 'lead') }, syncFor(source))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const own = await api.execute(
    SYNC,
    { input: { source, assets: { gateApprovals: [{ externalId: 'g', name: 'g', stage: 'APPROVED', outcome: 'APPROVED', decidedAt: '2026-11-01T00:00:00Z' }] } } },
    syncFor(source),
  );
  expect(own.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // The inventory's own move: refused until COMPLIANCE approves under its own source, then through.
  const move = { input: { source, assets: { aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'APPROVED' }] } } };
  expect((await api.execute(SYNC, move, syncFor(source))).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const grc = unique('grc');
  await api.data(
    RECORD,
    { input: { ...approval(source, 'g', 'APPROVED', 'lead'), source: grc, evidence: [] } },
    compliance,
  );
  expect((await api.data(SYNC, move, syncFor(source))).syncInventory.ok).toBe(true);
  // Another source's key moves nothing here.
  expect((await api.execute(UPDATE, { id: model, stage: 'TRAINING' }, syncFor(unique('other')))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await stageOf(api, source)).toBe('APPROVED');
});

test('two callers at once: the same approval twice, and two moves each with their own approval', async () => {
  const source = unique('gates');
  await estate(source);
  const twice = await Promise.all([0, 1].map(() => api.execute(RECORD, { input: approval(source, 'same', 'APPROVED', 'cro') }, compliance)));
  expect(twice.map((result) => result.errors)).toEqual([undefined, undefined]);
  expect(twice[0].data!.recordGateApproval.id).toBe(twice[1].data!.recordGateApproval.id);

  const other = unique('gates');
  await estate(other);
  const moveWithApproval = (target: string) =>
    api.execute(SYNC, {
      input: {
        source: target,
        assets: {
          aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'DEPLOYED' }],
          gateApprovals: [{ externalId: 'deploy', name: 'Deploy', stage: 'DEPLOYED', outcome: 'APPROVED', decidedAt: '2026-11-02T00:00:00Z' }],
        },
        relationships: [rel('APPROVES', ['GateApproval', 'deploy'], ['AIModel', 'scorer']), rel('APPROVED_BY', ['GateApproval', 'deploy'], ['Owner', 'cro'])],
      },
    });
  const moves = await Promise.all([moveWithApproval(source), moveWithApproval(other)]);
  expect(moves.map((result) => result.errors)).toEqual([undefined, undefined]);
  expect([await stageOf(api, source), await stageOf(api, other)]).toEqual(['DEPLOYED', 'DEPLOYED']);
});

test('GATE_ENFORCEMENT=record lets a move through and records a gate-exception Risk in the same change set, kept by later syncs', async () => {
  const source = unique('gates');
  const { model } = await estate(source);
  const payload = { source, mode: 'REPLACE', assets: { aiModels: [{ externalId: 'scorer', name: 'Scorer', lifecycleStage: 'DEPLOYED' }] } };
  const moved = await recording.data(SYNC, { input: payload });
  expect(moved.syncInventory).toMatchObject({ ok: true, assets: { created: 1, updated: 1 } });
  const exceptions = await recording.data('query($s: String) { gateExceptions(source: $s) { risk { externalId name tags status threatens { id } history { actor at } } subjects { name } } }', { s: source });
  expect(exceptions.gateExceptions).toEqual([
    {
      risk: {
        externalId: 'gate-exception-deployed-scorer',
        name: 'Gate exception: Scorer past DEPLOYED without approval',
        tags: ['gate-exception', 'gate:DEPLOYED'],
        status: 'IDENTIFIED',
        threatens: [{ id: model }],
        history: expect.arrayContaining([expect.objectContaining({ actor: 'anonymous' })]),
      },
      subjects: [{ name: 'Scorer' }],
    },
  ]);
  const { node } = await recording.data('query($id: ID!) { node(id: $id) { ... on AIModel { history(first: 1) { at } } } }', { id: model });
  expect(exceptions.gateExceptions[0].risk.history[0].at).toBe(node.history[0].at);
  // The same REPLACE again: nothing changes, the exception stays.
  expect((await recording.data(SYNC, { input: payload })).syncInventory).toMatchObject({ assets: { created: 0, updated: 0, deleted: 0 } });
  expect((await recording.data('query($s: String) { gateExceptions(source: $s) { risk { externalId } } }', { s: source })).gateExceptions).toHaveLength(1);
  // By edit too: the other gate's exception.
  await recording.data(UPDATE, { id: model, stage: 'VALIDATION' });
  await recording.data(UPDATE, { id: model, stage: 'APPROVED' });
  const both = await recording.data('query($s: String) { gateExceptions(source: $s) { risk { externalId } } }', { s: source });
  expect(both.gateExceptions.map((entry: { risk: { externalId: string } }) => entry.risk.externalId).sort()).toEqual(['gate-exception-approved-scorer', 'gate-exception-deployed-scorer']);
  // The model sits past the APPROVED gate without an approval of it: listed with that gate's exception.
  const listed = await recording.data('query($s: String) { ungatedRecords(source: $s) { record { name } stage gate latestApproval { id } exception { externalId } } }', { s: source });
  expect(listed.ungatedRecords).toEqual([{ record: { name: 'Scorer' }, stage: 'APPROVED', gate: 'APPROVED', latestApproval: null, exception: { externalId: 'gate-exception-approved-scorer' } }]);
});
