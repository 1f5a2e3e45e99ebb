import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
let at: string;
beforeAll(async () => {
  // The demo estate loads at start and its compliance officer classifies its systems.
  api = await createTestApi({ SEED_DEMO: 'true' });
  at = new Date().toISOString();
}, 600_000);
afterAll(() => api?.close());

type System = { id: string; externalId: string; name: string; classification: { category: string; categories: string[]; roles: string[]; annexIIIPoint: string | null; exception: string | null; classifiedBy: string } | null };

const SYSTEMS = `query($asOf: DateTime) { aiSystems(filter: { source: "demo" }, first: 50, asOf: $asOf) { nodes {
  id externalId name classification { category categories roles annexIIIPoint exception classifiedBy }
} } }`;

async function demoSystems(): Promise<Map<string, System>> {
  const { aiSystems } = await api.data(SYSTEMS, { asOf: at });
  return new Map(aiSystems.nodes.map((system: System) => [system.externalId, system]));
}

test('the demo organisation classifies its five systems, as its Chief Compliance Officer', async () => {
  const systems = await demoSystems();
  const summary = Object.fromEntries([...systems].map(([key, system]) => [key, system.classification && [system.classification.category, system.classification.roles, system.classification.annexIIIPoint, system.classification.exception]]));
  expect(summary).toEqual({
    'sys-credit-decisioning': ['HIGH_RISK', ['PROVIDER', 'DEPLOYER'], '5(b)', null],
    'sys-loan-document-intake': ['MINIMAL', ['PROVIDER', 'DEPLOYER'], '5(b)', 'NARROW_PROCEDURAL_TASK'],
    'sys-customer-assistant': ['MINIMAL', ['PROVIDER', 'DEPLOYER'], null, null],
    'sys-genai-workspace': ['GPAI', ['DEPLOYER'], null, null],
    'sys-card-fraud-detection': ['MINIMAL', ['PROVIDER', 'DEPLOYER'], null, null],
  });
  expect(systems.get('sys-customer-assistant')!.classification!.categories).toEqual(['MINIMAL', 'TRANSPARENCY']);
  expect([...systems.values()].every((system) => system.classification!.classifiedBy === 'Grace Achebe (Chief Compliance Officer)')).toBe(true);
  // The proposal agrees with the person on the credit system.
  const { proposeClassification } = await api.data('query($id: ID!) { proposeClassification(systemId: $id) { category annexIIIPoint roles } }', { id: systems.get('sys-credit-decisioning')!.id });
  expect(proposeClassification).toEqual({ category: 'HIGH_RISK', annexIIIPoint: '5(b)', roles: ['DEPLOYER', 'PROVIDER'] });
});

/**
 * The organisation-wide map counts only what applies: at one instant (so that other tests'
 * systems, classified later, do not move it), every AI Act article with obligations is assessed
 * exactly when one of its obligations binds a system classified then and is in force, and is
 * otherwise NOT_APPLICABLE with the computed reason; an article that binds no operator too.
 */
test('the organisation-wide AI Act map counts only obligations that apply to a classified system', async () => {
  const { coverage, requirements, aiSystems } = await api.data(
    `query($asOf: DateTime) {
      coverage(framework: "eu-ai-act", asOf: $asOf) { total counts { status count } items { requirement { identifier bindsOperator } status notApplicable { rationale computed } } }
      requirements(framework: "eu-ai-act", kinds: [OBLIGATION]) { identifier parent { identifier } roles categories appliesFrom }
      aiSystems(first: 500, asOf: $asOf) { nodes { classification { categories roles } } }
    }`,
    { asOf: at },
  );
  type Obligation = { identifier: string; parent: { identifier: string }; roles: string[]; categories: string[]; appliesFrom: string };
  const classified = aiSystems.nodes.map((node: { classification: { categories: string[]; roles: string[] } | null }) => node.classification).filter(Boolean);
  const today = at.slice(0, 10);
  const applies = (obligation: Obligation) =>
    obligation.appliesFrom <= today &&
    classified.some((system: { categories: string[]; roles: string[] }) => system.roles.some((role) => obligation.roles.includes(role)) && system.categories.some((category) => obligation.categories.includes(category)));
  const byArticle = new Map<string, Obligation[]>();
  for (const obligation of requirements as Obligation[]) byArticle.set(obligation.parent.identifier, [...(byArticle.get(obligation.parent.identifier) ?? []), obligation]);

  let assessed = 0;
  for (const item of coverage.items as Array<{ requirement: { identifier: string; bindsOperator: boolean | null }; status: string; notApplicable: { rationale: string; computed: boolean } | null }>) {
    const obligations = byArticle.get(item.requirement.identifier);
    const declared = item.notApplicable && !item.notApplicable.computed;
    if (item.requirement.bindsOperator === false) {
      expect({ item: item.requirement.identifier, status: item.status }).toEqual({ item: item.requirement.identifier, status: 'NOT_APPLICABLE' });
    } else if (obligations && !declared) {
      const applicable = obligations.some(applies);
      expect({ item: item.requirement.identifier, computedNotApplicable: item.notApplicable?.computed ?? false }).toEqual({ item: item.requirement.identifier, computedNotApplicable: !applicable });
    }
    if (item.status !== 'NOT_APPLICABLE') assessed += 1;
  }
  const count = (status: string) => coverage.counts.find((c: { status: string }) => c.status === status).count;
  expect(count('SATISFIED') + count('PARTIAL') + count('GAP')).toBe(assessed);
  expect(count('NOT_APPLICABLE')).toBeGreaterThan(coverage.total / 2);

  const status = (identifier: string) => coverage.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === identifier);
  // The credit system's provider and deployer duties, the assistant's Article 50: assessed.
  for (const identifier of ['Article 9', 'Article 10', 'Article 13', 'Article 26', 'Article 50']) expect(status(identifier).status).not.toBe('NOT_APPLICABLE');
  expect(status('Article 1').notApplicable).toEqual({ rationale: 'Article 1 binds no operator.', computed: true });
});

test('per system: the credit system’s map and obligations, the intake system under the Article 6(3) exception, the GPAI workspace bound by nothing of Chapter V', async () => {
  const systems = await demoSystems();
  const MAP = 'query($id: ID!, $asOf: DateTime) { coverage(framework: "eu-ai-act", scope: { systemId: $id }, asOf: $asOf) { total items { requirement { identifier } status } } }';
  const OBLIGATIONS = 'query($id: ID!, $asOf: DateTime) { obligations(systemId: $id, asOf: $asOf) { obligations { requirement { identifier } applies reason } } }';
  const credit = (await api.data(MAP, { id: systems.get('sys-credit-decisioning')!.id, asOf: at })).coverage;
  const identifiers = credit.items.map((item: { requirement: { identifier: string } }) => item.requirement.identifier);
  expect(identifiers).toEqual(expect.arrayContaining(['Article 4', 'Article 9', 'Article 10', 'Article 14', 'Article 26']));
  expect(identifiers).not.toContain('Article 50');
  const creditDuties = (await api.data(OBLIGATIONS, { id: systems.get('sys-credit-decisioning')!.id, asOf: at })).obligations.obligations;
  expect(creditDuties.find((duty: { requirement: { identifier: string } }) => duty.requirement.identifier === 'Article 26(1)').applies).toBe(true);

  const intake = (await api.data(OBLIGATIONS, { id: systems.get('sys-loan-document-intake')!.id, asOf: at })).obligations.obligations;
  const intakeIds = intake.map((duty: { requirement: { identifier: string } }) => duty.requirement.identifier);
  // Not high-risk: no deployer duties of Article 26; the exception's own duties instead (document it, register it).
  expect(intakeIds).not.toContain('Article 26(1)');
  expect(intakeIds).toEqual(expect.arrayContaining(['Article 6(4)', 'Article 49(2)']));
  const assistant = (await api.data(OBLIGATIONS, { id: systems.get('sys-customer-assistant')!.id, asOf: at })).obligations.obligations;
  const assistantIds = assistant.map((duty: { requirement: { identifier: string } }) => duty.requirement.identifier);
  expect(assistantIds).toContain('Article 50(1)');
  expect(assistantIds).not.toContain('Article 6(4)');
  const workspace = (await api.data(OBLIGATIONS, { id: systems.get('sys-genai-workspace')!.id, asOf: at })).obligations.obligations;
  expect(workspace.map((duty: { requirement: { identifier: string } }) => duty.requirement.identifier).filter((id: string) => /^Article 5[3-5]/.test(id))).toEqual([]);
});

test('due by 2 August 2026: the obligations that bind a demo system and are still open', async () => {
  const systems = await demoSystems();
  const { upcomingObligations } = await api.data('query($asOf: DateTime) { upcomingObligations(before: "2026-08-02", asOf: $asOf) { requirement { identifier } status systems { id } } }', { asOf: at });
  const credit = systems.get('sys-credit-decisioning')!.id;
  const forCredit = upcomingObligations.filter((item: { systems: Array<{ id: string }> }) => item.systems.some((system) => system.id === credit));
  const identifiers = forCredit.map((item: { requirement: { identifier: string } }) => item.requirement.identifier);
  // Article 13 has no claim in the demo: its transparency duties are open; Article 14's human review is satisfied.
  expect(identifiers).toContain('Article 13(1)');
  expect(identifiers.filter((id: string) => id.startsWith('Article 14('))).toEqual([]);
});
