import { createTestApi, TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  // The demo loads at start, as for a newcomer; other test files may be loading it at the same time.
  api = await createTestApi({ SEED_DEMO: 'true' });
  // Loading every dated round of the demo takes minutes on a loaded machine.
}, 600_000);
afterAll(() => api.close());

const SOA = `query($asOf: DateTime) { statementOfApplicability(asOf: $asOf) { total included excluded entries {
  requirement { identifier } included justification justificationSource implementation
  implementedBy { control { name } } risks { name } owners { name } decision { decidedBy decidedAt } } } }`;
type Entry = {
  requirement: { identifier: string };
  included: boolean;
  justification: string;
  justificationSource: string;
  implementation: string;
  implementedBy: Array<{ control: { name: string } }>;
  risks: Array<{ name: string }>;
  owners: Array<{ name: string }>;
  decision: { decidedBy: string; decidedAt: string } | null;
};
const read = async (asOf?: string) =>
  (await api.data<{ statementOfApplicability: { total: number; included: number; excluded: number; entries: Entry[] } }>(SOA, { asOf })).statementOfApplicability;

test('the demo organisation’s Statement of Applicability: two exclusions with reasons, stated and risk-based inclusions', async () => {
  const soa = await read();
  expect(soa.total).toBe(38);
  const entry = (identifier: string) => soa.entries.find((row) => row.requirement.identifier === identifier)!;
  // Other test files may decide on their own catalogues only, so the demo's decisions are pinned.
  for (const identifier of ['A.10.4', 'A.5.5']) {
    expect(entry(identifier)).toMatchObject({ included: false, implementation: 'EXCLUDED', justificationSource: 'STATED', decision: { decidedBy: 'seed', decidedAt: '2026-07-01T08:00:00.000Z' } });
    expect(entry(identifier).justification.length).toBeGreaterThan(80);
  }
  for (const identifier of ['A.2.2', 'A.3.2', 'A.5.2', 'A.6.2.8', 'A.8.2']) {
    expect(entry(identifier)).toMatchObject({ included: true, justificationSource: 'STATED', decision: { decidedBy: 'seed' } });
  }
  // The model validation gate answers two risks of the register: the inclusion says so.
  const validation = entry('A.6.2.4');
  expect(validation).toMatchObject({ included: true, justificationSource: 'RISK_TREATMENT', decision: null });
  expect(validation.implementedBy.map((claim) => claim.control.name)).toContain('Independent model validation gate');
  expect(validation.risks.map((risk) => risk.name)).toEqual(expect.arrayContaining(['Challenger scorecard influencing lending before approval', 'Corruption of credit training features']));
  expect(validation.owners.length).toBeGreaterThan(0);
  expect(soa.entries.every((row) => row.justification.trim().length > 0)).toBe(true);
  expect(soa.entries.filter((row) => row.justificationSource === 'DEFAULT').length).toBeLessThanOrEqual(38 - 2 - 5 - 7);
});

test('the demo’s decisions read as of the first inventory, when they were made', async () => {
  const then = await read('2026-07-01T08:00:00Z');
  const excluded = then.entries.filter((row) => !row.included).map((row) => row.requirement.identifier);
  expect(excluded).toEqual(expect.arrayContaining(['A.5.5', 'A.10.4']));
});
