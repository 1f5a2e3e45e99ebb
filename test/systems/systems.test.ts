import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { pause, rel } from '../support/timeline';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
const as = (role: Principal['role'], source?: string): Principal => ({ name: `${role.toLowerCase()}-key`, kind: 'apiKey', role, ...(source ? { source } : {}) });

const CLASSIFY = `mutation($id: ID!, $input: AISystemClassificationInput!, $v: Int) {
  classifyAISystem(systemId: $id, input: $input, expectedVersion: $v) {
    id version
    classification { category article50 categories roles annexIIIPoint annexIIIArea annexILegislation exception exceptionReasoning profiling rationale classifiedBy classifiedAt }
  }
}`;
const SYSTEM = `query($id: ID!, $asOf: DateTime) { node(id: $id, asOf: $asOf) { ... on AISystem {
  name version intendedPurpose classification { category roles annexIIIPoint classifiedBy }
  models { name } agents { name } drives { name }
} } }`;
const OBLIGATIONS = `query($id: ID!, $asOf: DateTime) { obligations(systemId: $id, asOf: $asOf) {
  date asOf classification { category categories roles }
  obligations { requirement { identifier } applies roles categories appliesFrom reason }
} }`;

const HIGH_RISK = { category: 'HIGH_RISK', roles: ['PROVIDER', 'DEPLOYER'], annexIIIPoint: '5(b)', rationale: 'Scores the creditworthiness of consumers applying for loans.' };

/**
 * A credit-decisioning system built from the organisation's own scorecard and a vendor's document
 * model, driving a loan decision; a chatbot agent; a control on the scorecard, one on another
 * model, and one applying to nothing (organisation-wide).
 */
async function estate() {
  const source = unique('systems');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        vendors: [{ externalId: 'vendor-docs', name: `DocVendor ${source}` }],
        aiModels: [
          { externalId: 'scorecard', name: `Scorecard ${source}`, tags: ['credit'] },
          { externalId: 'doc-base', name: `Doc base ${source}` },
          { externalId: 'doc-tuned', name: `Doc tuned ${source}` },
          { externalId: 'other', name: `Other model ${source}` },
        ],
        agents: [{ externalId: 'bot', name: `Chatbot ${source}`, purpose: 'Answer customers’ questions in chat' }],
        decisions: [{ externalId: 'loan', name: 'Consumer loan approval', businessProcess: 'Unsecured lending origination', tags: ['credit'] }],
        controls: [
          { externalId: 'on-scorecard', name: `Scorecard validation ${source}`, implementationStatus: 'IMPLEMENTED' },
          { externalId: 'on-other', name: `Other validation ${source}`, implementationStatus: 'IMPLEMENTED' },
          { externalId: 'everywhere', name: `Literacy programme ${source}`, implementationStatus: 'IMPLEMENTED' },
        ],
        aiSystems: [
          { externalId: 'credit', name: `Credit decisioning ${source}`, intendedPurpose: 'Decide consumer loan applications' },
          { externalId: 'chat', name: `Customer chat ${source}`, intendedPurpose: 'Answer customers in chat' },
        ],
      },
      relationships: [
        rel('PROVIDED_BY', ['AIModel', 'doc-base'], ['Vendor', 'vendor-docs']),
        rel('BASED_ON', ['AIModel', 'doc-tuned'], ['AIModel', 'doc-base']),
        rel('PART_OF', ['AIModel', 'scorecard'], ['AISystem', 'credit']),
        rel('PART_OF', ['AIModel', 'doc-base'], ['AISystem', 'credit']),
        rel('PART_OF', ['AIModel', 'doc-tuned'], ['AISystem', 'credit']),
        rel('PART_OF', ['Agent', 'bot'], ['AISystem', 'chat']),
        rel('INFORMS', ['AIModel', 'scorecard'], ['Decision', 'loan']),
        rel('DRIVES', ['AISystem', 'credit'], ['Decision', 'loan']),
        rel('APPLIES_TO', ['Control', 'on-scorecard'], ['AIModel', 'scorecard']),
        rel('APPLIES_TO', ['Control', 'on-other'], ['AIModel', 'other']),
      ],
    },
  });
  const id = async (type: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;
  return {
    source,
    credit: await id('AISystem', 'credit'),
    chat: await id('AISystem', 'chat'),
    scorecard: await id('AIModel', 'scorecard'),
    controls: { onScorecard: await id('Control', 'on-scorecard'), onOther: await id('Control', 'on-other'), everywhere: await id('Control', 'everywhere') },
  };
}

test('an AI system is synced with its parts and decisions, navigable from both ends', async () => {
  const { credit, scorecard } = await estate();
  const { node } = await api.data(SYSTEM, { id: credit });
  expect(node.models.map((m: { name: string }) => m.name.split(' ')[0]).sort()).toEqual(['Doc', 'Doc', 'Scorecard']);
  expect(node.drives).toEqual([{ name: 'Consumer loan approval' }]);
  expect(node.classification).toBeNull();
  const { node: model } = await api.data('query($id: ID!) { node(id: $id) { ... on AIModel { partOf { id } } } }', { id: scorecard });
  expect(model.partOf).toEqual([{ id: credit }]);
});

test('a proposal reads the graph: an Annex III candidate from the loan decision, provider and deployer from the parts, Article 50 from the chatbot', async () => {
  const { credit, chat } = await estate();
  const PROPOSE = 'query($id: ID!) { proposeClassification(systemId: $id) { category article50 roles annexIIIPoint reasons } }';
  const proposal = (await api.data(PROPOSE, { id: credit })).proposeClassification;
  expect(proposal).toMatchObject({ category: 'HIGH_RISK', annexIIIPoint: '5(b)', roles: ['DEPLOYER', 'PROVIDER'] });
  expect(proposal.reasons.join('\n')).toMatch(/Annex III point 5\(b\) candidate .*Consumer loan approval/);
  expect(proposal.reasons.join('\n')).toMatch(/Deployer: AIModel "Doc base .*" is provided by DocVendor/);
  const chatbot = (await api.data(PROPOSE, { id: chat })).proposeClassification;
  expect(chatbot).toMatchObject({ category: 'MINIMAL', article50: true, annexIIIPoint: null });
  // A proposal records nothing.
  expect((await api.data(SYSTEM, { id: credit })).node.classification).toBeNull();
  expect(code(await api.execute(PROPOSE, { id: 'no-such-system' }))).toBe('NOT_FOUND');
});

test('classification is a COMPLIANCE (or ADMIN) decision, audited and versioned; VIEWER and SYNC keys are refused, and neither a sync nor a patch can set it', async () => {
  const { source, credit } = await estate();
  expect(code(await api.execute(CLASSIFY, { id: credit, input: HIGH_RISK }, as('VIEWER')))).toBe('FORBIDDEN');
  expect(code(await api.execute(CLASSIFY, { id: credit, input: HIGH_RISK }, as('SYNC', source)))).toBe('FORBIDDEN');
  const first = (await api.data(CLASSIFY, { id: credit, input: HIGH_RISK }, as('COMPLIANCE'))).classifyAISystem;
  expect(first.classification).toMatchObject({
    category: 'HIGH_RISK',
    article50: false,
    categories: ['HIGH_RISK'],
    roles: ['PROVIDER', 'DEPLOYER'],
    annexIIIPoint: '5(b)',
    annexIIIArea: 'Essential private and public services and benefits',
    classifiedBy: 'key:compliance-key',
    exception: null,
  });
  expect(first.version).toBe(2);
  const admin = (await api.data(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['DEPLOYER'] } }, as('ADMIN'))).classifyAISystem;
  expect(admin).toMatchObject({ version: 3, classification: { roles: ['DEPLOYER'], classifiedBy: 'key:admin-key' } });
  const { node } = await api.data('query($id: ID!) { node(id: $id) { ... on AISystem { history { action actor reason changes { field after } } } } }', { id: credit });
  expect(node.history[0]).toMatchObject({ action: 'UPDATE', actor: 'key:admin-key', reason: 'EU AI Act classification' });
  expect(node.history[1].changes).toEqual(expect.arrayContaining([{ field: 'aiActCategory', after: 'HIGH_RISK' }, { field: 'annexIIIPoint', after: '5(b)' }]));

  // The record's own fields stay the sync's; the classification is out of reach of both write paths.
  const patch = await api.execute('mutation($id: ID!) { updateEntity(id: $id, patch: { fields: { aiActCategory: "MINIMAL" } }) { version } }', { id: credit });
  expect(code(patch)).toBe('BAD_USER_INPUT');
  const sync = await api.execute(SYNC, { input: { source, assets: { aiSystems: [{ externalId: 'credit', name: 'x', aiActCategory: 'MINIMAL' }] } } });
  expect(sync.errors?.[0]).toBeDefined();
  await api.data(SYNC, { input: { source, assets: { aiSystems: [{ externalId: 'credit', name: `Renamed ${source}` }] } } });
  expect((await api.data(SYSTEM, { id: credit })).node.classification).toMatchObject({ category: 'HIGH_RISK', roles: ['DEPLOYER'] });
});

test('another source’s SYNC key can neither create its systems nor link into them', async () => {
  const { source, credit, scorecard } = await estate();
  const other = unique('other');
  const create = await api.execute('mutation($s: String) { createAISystem(input: { externalId: "x", name: "X" }, source: $s) { id } }', { s: source }, as('SYNC', other));
  expect(code(create)).toBe('FORBIDDEN');
  const link = await api.execute('mutation($from: ID!, $to: ID!) { link(type: PART_OF, fromId: $from, toId: $to) { created } }', { from: scorecard, to: credit }, as('SYNC', other));
  expect(code(link)).toBe('FORBIDDEN');
  const wrongEnds = await api.execute('mutation($from: ID!, $to: ID!) { link(type: DRIVES, fromId: $from, toId: $to) { created } }', { from: scorecard, to: credit });
  expect(code(wrongEnds)).toBe('BAD_USER_INPUT');
});

test('hostile or impossible classifications are BAD_USER_INPUT naming the field, and write nothing', async () => {
  const { credit, scorecard } = await estate();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...HIGH_RISK, annexIIIPoint: '9(z)' }, 'input.annexIIIPoint'],
    [{ ...HIGH_RISK, annexIIIPoint: '5' }, 'input.annexIIIPoint'],
    [{ ...HIGH_RISK, annexIIIPoint: "5(b)' OR 1=1 //" }, 'input.annexIIIPoint'],
    [{ ...HIGH_RISK, annexIIIPoint: null }, 'input.category'],
    [{ ...HIGH_RISK, annexIIIPoint: null, annexILegislation: 'Directive 2099/1/EU' }, 'input.annexILegislation'],
    [{ ...HIGH_RISK, category: 'MINIMAL' }, 'input.annexIIIPoint'],
    [{ ...HIGH_RISK, category: 'MINIMAL', exception: 'PREPARATORY_TASK' }, 'input.exceptionReasoning'],
    [{ ...HIGH_RISK, category: 'MINIMAL', exception: 'PREPARATORY_TASK', exceptionReasoning: '   ' }, 'input.exceptionReasoning'],
    [{ ...HIGH_RISK, category: 'MINIMAL', exception: 'PREPARATORY_TASK', exceptionReasoning: 'Prepares files.', profiling: true }, 'input.exception'],
    [{ ...HIGH_RISK, exception: 'NARROW_PROCEDURAL_TASK', exceptionReasoning: 'Checks completeness.' }, 'input.exception'],
    [{ ...HIGH_RISK, exceptionReasoning: 'Why not.' }, 'input.exceptionReasoning'],
    [{ ...HIGH_RISK, category: 'TRANSPARENCY', annexIIIPoint: null }, 'input.category'],
    [{ ...HIGH_RISK, roles: [] }, 'input.roles'],
    [{ ...HIGH_RISK, rationale: '  ' }, 'input.rationale'],
    [{ ...HIGH_RISK, rationale: 'bell\u0007' }, 'input.rationale'],
  ];
  for (const [input, path] of cases) {
    const result = await api.execute(CLASSIFY, { id: credit, input });
    expect({ input, code: code(result) }).toEqual({ input, code: 'BAD_USER_INPUT' });
    expect((result.errors?.[0].extensions?.problems as Array<{ path: string }>).map((problem) => problem.path)).toContain(path);
  }
  // A role or category the Act does not know never reaches the service.
  expect(code(await api.execute(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['OPERATOR'] } }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(CLASSIFY, { id: credit, input: { ...HIGH_RISK, category: 'VERY_HIGH' } }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(CLASSIFY, { id: scorecard, input: HIGH_RISK }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(CLASSIFY, { id: 'no-such-system', input: HIGH_RISK }))).toBe('NOT_FOUND');
  expect((await api.data(SYSTEM, { id: credit })).node).toMatchObject({ version: 1, classification: null });
});

test('two callers classifying at once: both are recorded in turn; with the version read, one wins and the other gets CONFLICT', async () => {
  const { credit } = await estate();
  const both = await Promise.all([
    api.execute(CLASSIFY, { id: credit, input: HIGH_RISK }, as('COMPLIANCE')),
    api.execute(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['DEPLOYER'] } }, as('ADMIN')),
  ]);
  expect(both.map(code)).toEqual([undefined, undefined]);
  expect((await api.data(SYSTEM, { id: credit })).node.version).toBe(3);
  const raced = await Promise.all([
    api.execute(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['PROVIDER'] }, v: 3 }, as('COMPLIANCE')),
    api.execute(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['IMPORTER'] }, v: 3 }, as('COMPLIANCE')),
  ]);
  expect(raced.map(code).sort()).toEqual(['CONFLICT', undefined]);
  expect((await api.data(SYSTEM, { id: credit })).node.version).toBe(4);
});

test('obligations: what binds the system for its roles and categories on the date, with why; as of an instant before a reclassification, the old ones', async () => {
  const { credit } = await estate();
  const unclassified = (await api.data(OBLIGATIONS, { id: credit })).obligations;
  expect(unclassified).toMatchObject({ classification: null, obligations: [] });

  await api.data(CLASSIFY, { id: credit, input: HIGH_RISK });
  await pause();
  const highRiskAt = new Date();
  await pause();
  const now = (await api.data(OBLIGATIONS, { id: credit })).obligations;
  const identifiers = now.obligations.map((o: { requirement: { identifier: string } }) => o.requirement.identifier);
  expect(identifiers).toEqual(expect.arrayContaining(['Article 26(1)', 'Article 10(2)', 'Article 4, first paragraph']));
  expect(identifiers).not.toContain('Article 50(1)');
  const deployerDuty = now.obligations.find((o: { requirement: { identifier: string } }) => o.requirement.identifier === 'Article 26(1)');
  expect(deployerDuty).toMatchObject({ applies: true, roles: ['DEPLOYER'], categories: ['HIGH_RISK'], appliesFrom: '2026-08-02' });
  expect(deployerDuty.reason).toMatch(/binds the deployer of a high risk system; Credit decisioning .* is one\. It applies from 2026-08-02: in force on/);

  // Reclassified: minimal risk, deployer only, talking to people.
  await api.data(CLASSIFY, { id: credit, input: { category: 'MINIMAL', article50: true, roles: ['DEPLOYER'], rationale: 'Reassessed: it only drafts letters.' } });
  const after = (await api.data(OBLIGATIONS, { id: credit })).obligations;
  expect(after.classification).toEqual({ category: 'MINIMAL', categories: ['MINIMAL', 'TRANSPARENCY'], roles: ['DEPLOYER'] });
  const later = after.obligations.map((o: { requirement: { identifier: string } }) => o.requirement.identifier);
  expect(later).toContain('Article 50(4)');
  expect(later).not.toContain('Article 26(1)');
  const then = (await api.data(OBLIGATIONS, { id: credit, asOf: highRiskAt.toISOString() })).obligations;
  expect(then.asOf).toBe(highRiskAt.toISOString());
  expect(then.classification.category).toBe('HIGH_RISK');
  expect(then.obligations.map((o: { requirement: { identifier: string } }) => o.requirement.identifier)).toEqual(identifiers);
  expect(code(await api.execute(OBLIGATIONS, { id: credit, asOf: '2999-01-01T00:00:00Z' }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(OBLIGATIONS, { id: 'nope' }))).toBe('NOT_FOUND');
});

const MAP = `query($scope: CoverageScope, $asOf: DateTime) { coverage(framework: "eu-ai-act", scope: $scope, asOf: $asOf) {
  systemId total counts { status count }
  items { requirement { identifier } status notApplicable { rationale computed } controls { control { name } } }
} }`;
const SATISFY = 'mutation($c: ID!, $id: String!) { satisfy(controlId: $c, requirement: { framework: "eu-ai-act", identifier: $id }, coverage: FULL, rationale: "Test claim.") { coverage } }';
type Item = { requirement: { identifier: string }; status: string; notApplicable: { rationale: string; computed: boolean } | null; controls: Array<{ control: { name: string } }> };

test('coverage scoped to a system: only what applies to it, and only the controls on its parts, its decisions or on nothing', async () => {
  const { credit, controls, source } = await estate();
  for (const control of Object.values(controls)) await api.data(SATISFY, { c: control, id: 'Article 26' });
  expect(code(await api.execute(MAP, { scope: { systemId: credit } }))).toBe('BAD_USER_INPUT'); // not classified yet
  await api.data(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['DEPLOYER'] } });
  const { coverage } = await api.data(MAP, { scope: { systemId: credit } });
  expect(coverage.systemId).toBe(credit);
  const identifiers = coverage.items.map((item: Item) => item.requirement.identifier);
  expect(identifiers).toEqual(expect.arrayContaining(['Article 4', 'Article 26']));
  // Provider duties do not bind a deployer.
  expect(identifiers).not.toContain('Article 10');
  expect(identifiers).not.toContain('Article 1');
  const article26 = coverage.items.find((item: Item) => item.requirement.identifier === 'Article 26');
  const mine = article26.controls.map((c: { control: { name: string } }) => c.control.name).filter((name: string) => name.endsWith(source)).sort();
  expect(mine).toEqual([`Literacy programme ${source}`, `Scorecard validation ${source}`]);
  for (const bad of [{ systemId: credit, riskTier: 'HIGH' }, { systemId: credit, assetId: credit }]) expect(code(await api.execute(MAP, { scope: bad }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute('query($s: CoverageScope) { coverage(framework: "nist-ai-rmf", scope: $s) { total } }', { s: { systemId: credit } }))).toBe('BAD_USER_INPUT');
  expect(code(await api.execute(MAP, { scope: { systemId: 'no-such-system' } }))).toBe('NOT_FOUND');
});

test('the organisation-wide map: articles that bind no operator, and obligations no classified system has, are NOT_APPLICABLE with the computed reason', async () => {
  const { credit } = await estate();
  await api.data(CLASSIFY, { id: credit, input: HIGH_RISK });
  await pause();
  const at = new Date().toISOString();
  const { coverage } = await api.data(MAP, { asOf: at });
  const item = (identifier: string): Item => coverage.items.find((entry: Item) => entry.requirement.identifier === identifier);
  expect(item('Article 1')).toMatchObject({ status: 'NOT_APPLICABLE', notApplicable: { rationale: 'Article 1 binds no operator.', computed: true } });
  // A high-risk provider system exists at `at`, whatever other tests classify.
  expect(item('Article 10').status).not.toBe('NOT_APPLICABLE');
  expect(coverage.counts.find((c: { status: string }) => c.status === 'NOT_APPLICABLE').count).toBeGreaterThanOrEqual(68);
});

test('upcoming obligations: what binds a classified system by the date and no control satisfies yet', async () => {
  const { credit } = await estate();
  await api.data(CLASSIFY, { id: credit, input: HIGH_RISK });
  const UPCOMING = 'query($before: Date!, $asOf: DateTime) { upcomingObligations(before: $before, asOf: $asOf) { requirement { identifier } appliesFrom inForce status systems { id } } }';
  const list = (await api.data(UPCOMING, { before: '2026-08-02' })).upcomingObligations;
  const mine = list.filter((item: { systems: Array<{ id: string }> }) => item.systems.some((system) => system.id === credit));
  expect(mine.map((item: { requirement: { identifier: string } }) => item.requirement.identifier)).toEqual(expect.arrayContaining(['Article 13(1)', 'Article 26(1)']));
  expect(mine.every((item: { appliesFrom: string; status: string }) => item.appliesFrom <= '2026-08-02' && ['GAP', 'PARTIAL'].includes(item.status))).toBe(true);
  // Article 11(2) applies from 2027 (Annex I products): not due by 2 August 2026.
  expect(mine.map((item: { requirement: { identifier: string } }) => item.requirement.identifier)).not.toContain('Article 11(2)');
  for (const bad of ['2026-13-45', 'tomorrow', '']) expect(code(await api.execute(UPCOMING, { before: bad }))).toBe('BAD_USER_INPUT');
});

test('exports follow the system scope: CSV, Markdown and OSCAL of what applies to one system; a bad scope is a 400', async () => {
  const { credit } = await estate();
  await api.data(CLASSIFY, { id: credit, input: { ...HIGH_RISK, roles: ['DEPLOYER'] } });
  const base = `http://127.0.0.1:${api.app.port}`;
  const csv = await fetch(`${base}/exports/coverage?framework=eu-ai-act&format=csv&system=${credit}`);
  expect(csv.status).toBe(200);
  const identifiers = (await csv.text()).split('\r\n').slice(1, -1).map((line) => line.split('","')[2]);
  const { coverage } = await api.data(MAP, { scope: { systemId: credit } });
  expect(identifiers).toEqual(coverage.items.map((item: Item) => item.requirement.identifier));
  expect(identifiers).toContain('Article 26');
  expect(identifiers).not.toContain('Article 10');
  const md = await (await fetch(`${base}/exports/coverage?framework=eu-ai-act&format=md&system=${credit}`)).text();
  expect(md).toContain(`what applies to AI system ${credit}`);
  const oscal = (await (await fetch(`${base}/exports/oscal?framework=eu-ai-act&system=${credit}`)).json()) as { 'assessment-results': { metadata: { title: string } } };
  expect(oscal['assessment-results'].metadata.title).toContain(`the obligations that apply to AI system ${credit}`);
  expect((await fetch(`${base}/exports/coverage?framework=nist-ai-rmf&format=csv&system=${credit}`)).status).toBe(400);
  expect((await fetch(`${base}/exports/coverage?framework=eu-ai-act&format=csv&system=no-such-system`)).status).toBe(404);
});
