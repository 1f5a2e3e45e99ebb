import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Principal } from '../../src/auth/access';
import { SOA_CSV_COLUMNS, soaToCsv, soaToHtml, soaToMarkdown } from '../../src/compliance/soaExporters';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, parseCsv, SATISFY } from './support';

let api: TestApi;
let base: string;

const viewer: Principal = { name: 'soa-viewer', kind: 'apiKey', role: 'VIEWER' };
const grc: Principal = { name: 'soa-grc', kind: 'apiKey', role: 'COMPLIANCE' };
const otherGrc: Principal = { name: 'soa-grc-2', kind: 'apiKey', role: 'COMPLIANCE' };
const syncKey = (source: string): Principal => ({ name: `sync-${source}`, kind: 'apiKey', role: 'SYNC', source });

const ENTRY = `requirement { identifier } objective { identifier } included justification justificationSource implementation
  implementedBy { control { name } coverage rationale evidence { name } owners { name } } risks { name } owners { name }
  decision { included justification decidedBy decidedAt endedAt } decisions { included justification decidedBy decidedAt endedAt endedBy }`;
const STATEMENT = `query($framework: String, $asOf: DateTime) { statementOfApplicability(framework: $framework, asOf: $asOf) {
  framework { key } asOf total included excluded counts { implementation count } entries { ${ENTRY} } } }`;
const DECIDE = `mutation($r: RequirementRefInput!, $included: Boolean!, $why: String) {
  decideApplicability(requirement: $r, included: $included, justification: $why) { ${ENTRY} } }`;

type Entry = {
  requirement: { identifier: string };
  objective: { identifier: string } | null;
  included: boolean;
  justification: string;
  justificationSource: string;
  implementation: string;
  implementedBy: Array<{ control: { name: string }; coverage: string; evidence: Array<{ name: string }>; owners: Array<{ name: string }> }>;
  risks: Array<{ name: string }>;
  owners: Array<{ name: string }>;
  decision: { included: boolean; justification: string | null; decidedBy: string; decidedAt: string; endedAt: string | null } | null;
  decisions: Array<{ included: boolean; justification: string | null; decidedBy: string; decidedAt: string; endedAt: string | null; endedBy: string | null }>;
};
type Statement = { framework: { key: string }; asOf: string | null; total: number; included: number; excluded: number; counts: Array<{ implementation: string; count: number }>; entries: Entry[] };

const statement = async (framework: string, asOf?: string, caller?: Principal) =>
  (await api.data<{ statementOfApplicability: Statement }>(STATEMENT, { framework, asOf }, caller)).statementOfApplicability;
const entryOf = (soa: Statement, identifier: string) => soa.entries.find((entry) => entry.requirement.identifier === identifier)!;
const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

/**
 * A control catalogue of its own (two objectives, five controls) and an estate of its own: a control
 * with valid and expired evidence, an owner and a risk it treats, claiming C1 fully and C2 partly.
 */
async function world() {
  const framework = await createTestFramework(
    api,
    [
      { identifier: 'G1', kind: 'CHAPTER', title: 'First objective' },
      { identifier: 'C1', kind: 'CONTROL', parent: 'G1', title: 'Logging, "central" & <kept>' },
      { identifier: 'C2', kind: 'CONTROL', parent: 'G1' },
      { identifier: 'G2', kind: 'CHAPTER', title: 'Second objective' },
      { identifier: 'C3', kind: 'CONTROL', parent: 'G2' },
      { identifier: 'C4', kind: 'CONTROL', parent: 'G2' },
      { identifier: 'C5', kind: 'CONTROL', parent: 'G2' },
    ],
    'soa',
  );
  const source = unique('soa');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        controls: [{ externalId: 'ctl', name: 'Central logging', implementationStatus: 'IMPLEMENTED' }],
        evidence: [
          { externalId: 'ev-valid', name: 'Log retention test', expiresAt: '2999-01-01T00:00:00Z' },
          { externalId: 'ev-old', name: 'Last year audit', expiresAt: '2020-01-01T00:00:00Z' },
        ],
        owners: [{ externalId: 'own', name: 'Platform team' }],
        risks: [{ externalId: 'risk', name: 'Untraceable agent actions', status: 'TREATING' }],
      },
      relationships: [
        { type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'ev-valid' }, to: { type: 'Control', externalId: 'ctl' } },
        { type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'ev-old' }, to: { type: 'Control', externalId: 'ctl' } },
        { type: 'OWNED_BY', from: { type: 'Control', externalId: 'ctl' }, to: { type: 'Owner', externalId: 'own' } },
        { type: 'MITIGATED_BY', from: { type: 'Risk', externalId: 'risk' }, to: { type: 'Control', externalId: 'ctl' } },
      ],
    },
  });
  const controlId = await idOf(api, source, 'Control', 'ctl');
  await api.data(SATISFY, { controlId, r: { framework, identifier: 'C1' }, coverage: 'FULL', why: 'Every agent action is logged centrally.' });
  await api.data(SATISFY, { controlId, r: { framework, identifier: 'C2' }, coverage: 'PARTIAL', why: 'Covers production only.' });
  const ref = (identifier: string) => ({ framework, identifier });
  return { framework, source, controlId, ref };
}

beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
});
afterAll(() => api.close());

test('the ISO/IEC 42001 statement lists all 38 Annex A controls, each with an implementation status and a justification', async () => {
  const soa = await statement('iso-42001', undefined, viewer);
  const { requirements } = await api.data<{ requirements: Array<{ identifier: string }> }>('{ requirements(framework: "iso-42001", kinds: [CONTROL]) { identifier } }');
  expect(requirements).toHaveLength(38);
  expect(soa.total).toBe(38);
  expect(soa.entries.map((entry) => entry.requirement.identifier)).toEqual(requirements.map((r) => r.identifier));
  expect(soa.included + soa.excluded).toBe(38);
  expect(soa.counts.reduce((sum, c) => sum + c.count, 0)).toBe(38);
  for (const entry of soa.entries) {
    expect({ id: entry.requirement.identifier, justified: entry.justification.trim().length > 0 }).toEqual({ id: entry.requirement.identifier, justified: true });
    expect(['IMPLEMENTED', 'PARTIALLY_IMPLEMENTED', 'NOT_IMPLEMENTED', 'EXCLUDED']).toContain(entry.implementation);
    expect(entry.objective?.identifier).toBe(entry.requirement.identifier.split('.').slice(0, -1).join('.'));
  }
});

test('the statement is built from the graph: claims, evidence valid on the date, owners, treated risks', async () => {
  const { framework } = await world();
  const soa = await statement(framework);
  expect(soa.total).toBe(5);
  const c1 = entryOf(soa, 'C1');
  expect(c1).toMatchObject({
    objective: { identifier: 'G1' },
    included: true,
    implementation: 'IMPLEMENTED',
    justificationSource: 'RISK_TREATMENT',
    risks: [{ name: 'Untraceable agent actions' }],
    owners: [{ name: 'Platform team' }],
    decision: null,
  });
  expect(c1.justification).toContain('Untraceable agent actions');
  expect(c1.implementedBy).toEqual([
    { control: { name: 'Central logging' }, coverage: 'FULL', rationale: 'Every agent action is logged centrally.', evidence: [{ name: 'Log retention test' }], owners: [{ name: 'Platform team' }] },
  ]);
  expect(entryOf(soa, 'C2').implementation).toBe('PARTIALLY_IMPLEMENTED');
  expect(entryOf(soa, 'C3')).toMatchObject({ included: true, implementation: 'NOT_IMPLEMENTED', justificationSource: 'DEFAULT', implementedBy: [], decision: null });
  expect(soa.counts).toEqual([
    { implementation: 'IMPLEMENTED', count: 1 },
    { implementation: 'PARTIALLY_IMPLEMENTED', count: 1 },
    { implementation: 'NOT_IMPLEMENTED', count: 3 },
    { implementation: 'EXCLUDED', count: 0 },
  ]);
});

test('an exclusion needs a justification; with one it is the coverage map’s NOT_APPLICABLE, and an inclusion ends it', async () => {
  const { framework, ref } = await world();
  for (const why of [null, '', '   \n ']) {
    const refused = await api.execute(DECIDE, { r: ref('C3'), included: false, why }, grc);
    expect({ why, code: codeOf(refused) }).toEqual({ why, code: 'BAD_USER_INPUT' });
  }
  expect(entryOf(await statement(framework), 'C3').decisions).toEqual([]);

  const excluded = (await api.data<{ decideApplicability: Entry }>(DECIDE, { r: ref('C3'), included: false, why: 'We run no such system.' }, grc)).decideApplicability;
  expect(excluded).toMatchObject({ included: false, implementation: 'EXCLUDED', justification: 'We run no such system.', justificationSource: 'STATED', decision: { included: false, decidedBy: 'key:soa-grc', endedAt: null } });
  const { coverage } = await api.data(`{ coverage(framework: "${framework}") { items { requirement { identifier } status notApplicable { rationale declaredBy } } } }`);
  expect(coverage.items.find((item: { requirement: { identifier: string } }) => item.requirement.identifier === 'C3')).toEqual({
    requirement: { identifier: 'C3' },
    status: 'NOT_APPLICABLE',
    notApplicable: { rationale: 'We run no such system.', declaredBy: 'key:soa-grc' },
  });

  const included = (await api.data<{ decideApplicability: Entry }>(DECIDE, { r: ref('C3'), included: true, why: 'A new system needs it after all.' }, grc)).decideApplicability;
  expect(included).toMatchObject({ included: true, implementation: 'NOT_IMPLEMENTED', justification: 'A new system needs it after all.', justificationSource: 'STATED' });
  expect(included.decisions.map((d) => [d.included, d.endedAt === null, d.endedBy])).toEqual([
    [true, true, null],
    [false, false, 'key:soa-grc'],
  ]);
  // An inclusion may leave its justification to the graph: C1's controls treat a risk.
  const c1 = (await api.data<{ decideApplicability: Entry }>(DECIDE, { r: ref('C1'), included: true, why: '  ' }, grc)).decideApplicability;
  expect(c1).toMatchObject({ justificationSource: 'RISK_TREATMENT', decision: { included: true, justification: null } });
  // The existing declaration is an exclusion too, and wins over an inclusion in force, as the map shows it.
  await api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "Declared the old way.") { id } }', { r: ref('C3') }, grc);
  expect(entryOf(await statement(framework), 'C3')).toMatchObject({ included: false, justification: 'Declared the old way.', implementation: 'EXCLUDED' });
});

test('VIEWER and SYNC read the statement; only COMPLIANCE and ADMIN decide; refusals write nothing', async () => {
  const { framework, source, ref } = await world();
  expect((await statement(framework, undefined, syncKey(source))).total).toBe(5);
  const refusals = [viewer, syncKey(source), syncKey(unique('other'))];
  for (const caller of refusals) {
    for (const included of [true, false]) {
      const result = await api.execute(DECIDE, { r: ref('C4'), included, why: 'Tried.' }, caller);
      expect({ caller: caller.name, code: codeOf(result) }).toEqual({ caller: caller.name, code: 'FORBIDDEN' });
    }
  }
  expect(entryOf(await statement(framework), 'C4').decisions).toEqual([]);
  await api.data(DECIDE, { r: ref('C4'), included: false, why: 'Compliance decided.' }, grc);
  const admin = (await api.data<{ decideApplicability: Entry }>(DECIDE, { r: ref('C4'), included: true, why: 'Admin decided.' })).decideApplicability;
  expect(admin.decisions.map((d) => [d.decidedBy, d.included])).toEqual([
    ['anonymous', true],
    ['key:soa-grc', false],
  ]);
});

test('two callers deciding one control at once leave one decision in force, the other ended by it', async () => {
  const { framework, ref } = await world();
  const results = await Promise.all([
    api.execute(DECIDE, { r: ref('C5'), included: false, why: 'Out of scope.' }, grc),
    api.execute(DECIDE, { r: ref('C5'), included: true, why: 'In scope.' }, otherGrc),
  ]);
  expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);
  const c5 = entryOf(await statement(framework), 'C5');
  expect(c5.decisions).toHaveLength(2);
  const [newest, older] = c5.decisions;
  expect(newest.endedAt).toBeNull();
  expect(older.endedAt).not.toBeNull();
  expect(Date.parse(older.endedAt!)).toBeGreaterThanOrEqual(Date.parse(older.decidedAt));
  expect(older.endedBy).toBe(newest.decidedBy);
  expect(c5.included).toBe(newest.included);
  expect(c5.decision?.justification).toBe(newest.justification);
});

test('hostile input is a coded error and writes nothing', async () => {
  const { framework, ref } = await world();
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['control characters', { r: ref('C4'), included: false, why: 'ok\u0000then' }, 'BAD_USER_INPUT'],
    ['a justification too long', { r: ref('C4'), included: false, why: 'x'.repeat(20_001) }, 'BAD_USER_INPUT'],
    ['a control objective', { r: ref('G1'), included: false, why: 'Groups are not controls.' }, 'BAD_USER_INPUT'],
    ['an unknown control', { r: ref('C4"}) DETACH DELETE n //'), included: false, why: 'Injected.' }, 'NOT_FOUND'],
    ['an unknown framework', { r: { framework: 'no-such-framework', identifier: 'A.1' }, included: true, why: null }, 'NOT_FOUND'],
    ['an empty reference', { r: { framework: ' ', identifier: '' }, included: true, why: null }, 'BAD_USER_INPUT'],
  ];
  for (const [what, variables, code] of cases) {
    const result = await api.execute(DECIDE, variables, grc);
    expect({ what, code: codeOf(result) }).toEqual({ what, code });
  }
  const wrongType = await api.execute(DECIDE, { r: ref('C4'), included: 'no', why: 'x' }, grc);
  expect(codeOf(wrongType)).toBe('BAD_USER_INPUT');
  expect((await statement(framework)).entries.flatMap((entry) => entry.decisions)).toEqual([]);

  const reads: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown framework', { framework: 'no-such-framework' }, 'NOT_FOUND'],
    ['a framework without controls', { framework: await createTestFramework(api, [{ identifier: 'Art. 1', kind: 'ARTICLE' }]) }, 'BAD_USER_INPUT'],
    ['an empty framework', { framework: '  ' }, 'BAD_USER_INPUT'],
    ['a future instant', { framework, asOf: '2999-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    ['an instant before all history', { framework, asOf: '1970-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
  ];
  for (const [what, variables, code] of reads) {
    const result = await api.execute(STATEMENT, variables, viewer);
    expect({ what, code: codeOf(result) }).toEqual({ what, code });
  }
});

test('asOf reads the statement as it stood: a later inclusion, a withdrawn claim and an unlinked risk do not show', async () => {
  const { framework, source, controlId, ref } = await world();
  await api.data(DECIDE, { r: ref('C3'), included: false, why: 'Not used yet.' }, grc);
  const before = await statement(framework);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const at = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));

  await api.data(DECIDE, { r: ref('C3'), included: true, why: 'Now used.' }, grc);
  await api.data('mutation($id: ID!, $r: RequirementRefInput!) { unsatisfy(controlId: $id, requirement: $r) { removed } }', { id: controlId, r: ref('C1') }, grc);
  await api.data('mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok } }', {
    input: { source, mode: 'REPLACE', assets: {}, relationships: [] },
  });
  const now = await statement(framework);
  expect(entryOf(now, 'C3')).toMatchObject({ included: true, justification: 'Now used.' });
  expect(entryOf(now, 'C1')).toMatchObject({ implementation: 'NOT_IMPLEMENTED', implementedBy: [] });

  const then = await statement(framework, at);
  expect(then.asOf).toBe(at);
  const { asOf: _asOf, ...thenRest } = then;
  const { asOf: _none, ...beforeRest } = before;
  expect(thenRest).toEqual(beforeRest);
  expect(entryOf(then, 'C3')).toMatchObject({ included: false, justification: 'Not used yet.', decisions: [{ included: false, endedAt: null, endedBy: null }] });
  expect(entryOf(then, 'C1')).toMatchObject({ implementation: 'IMPLEMENTED', risks: [{ name: 'Untraceable agent actions' }], owners: [{ name: 'Platform team' }] });
});

describe('exports', () => {
  test('CSV, Markdown and HTML render one row per control, escaped, from the function', async () => {
    const { framework, ref } = await world();
    await api.data(DECIDE, { r: ref('C4'), included: false, why: '=HYPERLINK("http://evil") | <script>alert(1)</script>' }, grc);
    const soa = await api.app.server.createContext('test').services.soa.statement(framework);
    const rows = parseCsv(soaToCsv(soa));
    expect(rows[0]).toEqual([...SOA_CSV_COLUMNS]);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toHaveLength(SOA_CSV_COLUMNS.length);
    const c4 = rows.find((row) => row[2] === 'C4')!;
    expect(c4[SOA_CSV_COLUMNS.indexOf('included')]).toBe('no');
    expect(c4[SOA_CSV_COLUMNS.indexOf('justification')].startsWith("'=")).toBe(true);
    expect(rows.find((row) => row[2] === 'C1')![SOA_CSV_COLUMNS.indexOf('evidence')]).toBe('Log retention test');

    const md = soaToMarkdown(soa);
    const tableRows = md.split('\n').filter((line) => /^\| C\d/.test(line));
    expect(tableRows).toHaveLength(5);
    // Escaped pipes do not open cells: every row has the header's eight.
    for (const line of tableRows) expect(line.split(/(?<!\\)\|/).length - 2).toBe(8);
    expect(md).not.toContain('<script>');

    const html = soaToHtml(soa);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Logging, &quot;central&quot; &amp; &lt;kept&gt;');
  });

  test('the HTTP route serves the ISO/IEC 42001 statement in each format, and refuses bad parameters', async () => {
    const csv = await fetch(`${base}/exports/soa?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
    const rows = parseCsv(await csv.text());
    expect(rows).toHaveLength(39);
    expect(new Set(rows.slice(1).map((row) => row[0]))).toEqual(new Set(['iso-42001']));
    for (const row of rows.slice(1)) expect(row[SOA_CSV_COLUMNS.indexOf('justification')].length).toBeGreaterThan(0);

    const md = await fetch(`${base}/exports/soa?format=md`);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toContain('| Control | Title | Included | Justification | Implementation | Implemented by | Evidence | Owners |');
    expect(text.split('\n').filter((line) => /^\| A\.\d/.test(line))).toHaveLength(38);

    const html = await fetch(`${base}/exports/soa`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await html.text();
    expect(page).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect((page.match(/<tr class="(in|out)">/g) ?? []).length).toBe(38);

    for (const [query, status] of [
      ['format=pdf', 400],
      ['asOf=yesterday', 400],
      ['asOf=2999-01-01', 400],
      ['framework=no-such-framework', 404],
    ] as const) {
      const response = await fetch(`${base}/exports/soa?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status });
    }
  });

  test('npm run coverage -- --soa prints the statement for the database in NEO4J_URI', async () => {
    const { framework } = await world();
    const root = path.resolve(__dirname, '../..');
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/coverage.ts', '--soa', '--framework', framework, '--format', 'csv'], {
      cwd: root,
      env: { ...process.env, NEO4J_URI: process.env.NEO4J_URI, LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: run.status, stderr: run.stderr.slice(0, 500) }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(parseCsv(run.stdout).map((row) => row[2])).toEqual(['identifier', 'C1', 'C2', 'C3', 'C4', 'C5']);
  });
});
